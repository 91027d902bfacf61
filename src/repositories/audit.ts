// The admin audit log: who did what, to which target, with details. Written in the transaction
// of the action it records, so an action and its record exist together or not at all.
import type { Queryable } from '../db/index.ts';
import { type Page, type PageRequest, pageBounds } from './paging.ts';

export type AuditTargetType = 'user' | 'product' | 'payout' | 'ticket' | 'category' | 'order';

export type AuditEntry = {
  id: number;
  adminId: number;
  /** Dotted, e.g. 'user.suspend', 'product.ban', 'payout.mark_paid'. */
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
};

const AUDIT_COLUMNS = `
  a.id, a.admin_id AS "adminId", a.action, a.target_type AS "targetType",
  a.target_id AS "targetId", a.details, a.created_at AS "createdAt"`;

export interface NewAuditEntry {
  adminId: number;
  action: string;
  target?: { type: AuditTargetType; id: string | number };
  details?: Record<string, unknown>;
}

/** CheckViolationError `admin_audit_log_action_check` for an action not written like 'user.suspend'. */
export async function recordAdminAction(q: Queryable, entry: NewAuditEntry): Promise<AuditEntry> {
  return q.one<AuditEntry>(
    `INSERT INTO admin_audit_log AS a (admin_id, action, target_type, target_id, details)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${AUDIT_COLUMNS}`,
    [
      entry.adminId,
      entry.action,
      entry.target?.type ?? null,
      entry.target === undefined ? null : String(entry.target.id),
      entry.details ?? {},
    ],
  );
}

/** An entry as the audit log screen lists it: with the admin's and the target's names when known. */
export type AuditListEntry = AuditEntry & { adminName: string | null; targetName: string | null };

const NAMES = `
  (SELECT nullif(btrim(u.first_name || ' ' || u.last_name), '') FROM users u WHERE u.id = a.admin_id)
    AS "adminName",
  CASE a.target_type
    WHEN 'user' THEN (SELECT nullif(btrim(u.first_name || ' ' || u.last_name), '') FROM users u
                      WHERE u.id = a.target_id::bigint)
    WHEN 'product' THEN (SELECT p.title FROM products p WHERE p.id = a.target_id)
    WHEN 'ticket' THEN (SELECT coalesce(o.product_title, t.subject) FROM tickets t
                        LEFT JOIN orders o ON o.id = t.order_id WHERE t.id = a.target_id::bigint)
  END AS "targetName"`;

export interface AuditFilter extends PageRequest {
  adminId?: number;
  target?: { type: AuditTargetType; id: string | number };
}

/** Newest first; optionally one admin's actions or one target's history. */
export async function listAdminActions(
  q: Queryable,
  filter: AuditFilter = {},
): Promise<Page<AuditListEntry>> {
  const { limit, offset } = pageBounds(filter);
  const clauses = ['true'];
  const values: unknown[] = [];
  if (filter.adminId !== undefined) {
    values.push(filter.adminId);
    clauses.push(`a.admin_id = $${values.length}`);
  }
  if (filter.target) {
    values.push(filter.target.type, String(filter.target.id));
    clauses.push(`a.target_type = $${values.length - 1} AND a.target_id = $${values.length}`);
  }
  const where = clauses.join(' AND ');
  const [items, count] = await Promise.all([
    q.many<AuditListEntry>(
      `SELECT ${AUDIT_COLUMNS}, ${NAMES} FROM admin_audit_log a WHERE ${where}
       ORDER BY a.created_at DESC, a.id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, limit, offset],
    ),
    q.one<{ total: number }>(`SELECT count(*)::int AS total FROM admin_audit_log a WHERE ${where}`, values),
  ]);
  return { items, total: count.total, limit, offset };
}
