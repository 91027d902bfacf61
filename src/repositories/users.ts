// Users: one row per Telegram account (identity, language, suspension).
//
// Conventions of the catalog repositories: bigint columns are read as they are (the data layer
// parses int8 into exact JS numbers: Telegram ids, byte counts and cent sums stay below 2^53);
// numeric results are cast, ::int8 for whole cents or bytes (a sum of bigint), ::float8 for ratings;
// counts are read as int. Times are Dates, calendar days 'YYYY-MM-DD' text.
import type { Queryable } from '../db/index.ts';
import { likePattern, type Page, type PageRequest, pageBounds } from './paging.ts';

export type Language = 'fr' | 'en';

// Row shapes are type aliases, not interfaces: only aliases satisfy the Row constraint of Queryable.
export type User = {
  id: number;
  username: string | null;
  firstName: string;
  language: Language;
  suspendedAt: Date | null;
  suspendedUntil: Date | null;
  suspensionReason: string | null;
  suspendedBy: number | null;
  /** Suspended now: suspended_at set and no end, or an end in the future. */
  suspended: boolean;
  createdAt: Date;
  updatedAt: Date;
};

/** SQL that is true while the user aliased `u` is suspended. */
export const SUSPENDED_SQL =
  '(u.suspended_at IS NOT NULL AND (u.suspended_until IS NULL OR u.suspended_until > now()))';

const USER_COLUMNS = `
  u.id, u.username, u.first_name AS "firstName", u.language,
  u.suspended_at AS "suspendedAt", u.suspended_until AS "suspendedUntil",
  u.suspension_reason AS "suspensionReason", u.suspended_by AS "suspendedBy",
  ${SUSPENDED_SQL} AS suspended, u.created_at AS "createdAt", u.updated_at AS "updatedAt"`;

export interface TelegramIdentity {
  id: number;
  username: string | null;
  firstName: string;
}

/**
 * Creates the user on first contact, refreshes username and first name afterwards (they change
 * in Telegram). `language` only applies to a new row: a user's own choice is never overwritten.
 */
export async function upsertUser(
  q: Queryable,
  identity: TelegramIdentity,
  language: Language,
): Promise<User> {
  return q.one<User>(
    `INSERT INTO users AS u (id, username, first_name, language) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET username = excluded.username, first_name = excluded.first_name,
       updated_at = CASE WHEN (u.username, u.first_name) IS DISTINCT FROM (excluded.username, excluded.first_name)
                    THEN now() ELSE u.updated_at END
     RETURNING ${USER_COLUMNS}`,
    [identity.id, identity.username, identity.firstName, language],
  );
}

export async function getUser(q: Queryable, id: number): Promise<User | null> {
  return q.maybeOne<User>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
}

/** Locks the row until the end of the transaction (suspension, seller registration). */
export async function lockUser(q: Queryable, id: number): Promise<User | null> {
  return q.maybeOne<User>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1 FOR UPDATE`, [id]);
}

export async function setUserLanguage(q: Queryable, id: number, language: Language): Promise<boolean> {
  return (
    (await q.exec('UPDATE users SET language = $2, updated_at = now() WHERE id = $1', [id, language])) === 1
  );
}

export interface Suspension {
  reason: string;
  /** null: until restored by an admin. */
  until: Date | null;
  adminId: number;
}

export async function suspendUser(q: Queryable, id: number, suspension: Suspension): Promise<User | null> {
  return q.maybeOne<User>(
    `UPDATE users u SET suspended_at = now(), suspended_until = $2, suspension_reason = $3, suspended_by = $4,
       updated_at = now()
     WHERE u.id = $1 RETURNING ${USER_COLUMNS}`,
    [id, suspension.until, suspension.reason, suspension.adminId],
  );
}

export async function restoreUser(q: Queryable, id: number): Promise<User | null> {
  return q.maybeOne<User>(
    `UPDATE users u SET suspended_at = NULL, suspended_until = NULL, suspension_reason = NULL, suspended_by = NULL,
       updated_at = now()
     WHERE u.id = $1 RETURNING ${USER_COLUMNS}`,
    [id],
  );
}

/** False for an unknown user too: there is nothing to refuse yet. */
export async function isUserSuspended(q: Queryable, id: number): Promise<boolean> {
  const row = await q.maybeOne<{ suspended: boolean }>(
    `SELECT ${SUSPENDED_SQL} AS suspended FROM users u WHERE u.id = $1`,
    [id],
  );
  return row?.suspended ?? false;
}

export interface UserFilter extends PageRequest {
  /** A Telegram id, an @username or words of the name, any case or accent. */
  search?: string;
  suspendedOnly?: boolean;
}

/** Admin user list, newest first. */
export async function listUsers(q: Queryable, filter: UserFilter = {}): Promise<Page<User>> {
  const { limit, offset } = pageBounds(filter);
  const { where, values } = userWhere(filter);
  const [items, count] = await Promise.all([
    q.many<User>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE ${where}
       ORDER BY u.created_at DESC, u.id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, limit, offset],
    ),
    q.one<{ total: number }>(`SELECT count(*)::int AS total FROM users u WHERE ${where}`, values),
  ]);
  return { items, total: count.total, limit, offset };
}

function userWhere(filter: UserFilter): { where: string; values: unknown[] } {
  const clauses = ['true'];
  const values: unknown[] = [];
  const search = filter.search?.trim().replace(/^@/, '');
  if (search) {
    values.push(likePattern(search));
    const like = `$${values.length}`;
    if (/^\d{1,15}$/.test(search)) {
      values.push(Number(search));
      clauses.push(`(u.id = $${values.length} OR u.search_text LIKE search_normalize(${like}))`);
    } else {
      clauses.push(`u.search_text LIKE search_normalize(${like})`);
    }
  }
  if (filter.suspendedOnly) clauses.push(SUSPENDED_SQL);
  return { where: clauses.join(' AND '), values };
}
