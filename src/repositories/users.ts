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
  lastName: string;
  language: Language;
  suspendedAt: Date | null;
  suspendedUntil: Date | null;
  suspensionReason: string | null;
  suspendedBy: number | null;
  /** Suspended now: suspended_at set and no end, or an end in the future. */
  suspended: boolean;
  /** The user blocked the bot or deleted their account (Telegram answers 403); null when reachable. */
  botBlockedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** SQL that is true while the user aliased `u` is suspended. */
export const SUSPENDED_SQL =
  '(u.suspended_at IS NOT NULL AND (u.suspended_until IS NULL OR u.suspended_until > now()))';

const USER_COLUMNS = `
  u.id, u.username, u.first_name AS "firstName", u.last_name AS "lastName", u.language,
  u.suspended_at AS "suspendedAt", u.suspended_until AS "suspendedUntil",
  u.suspension_reason AS "suspensionReason", u.suspended_by AS "suspendedBy",
  ${SUSPENDED_SQL} AS suspended, u.bot_blocked_at AS "botBlockedAt", u.created_at AS "createdAt", u.updated_at AS "updatedAt"`;

export interface TelegramIdentity {
  id: number;
  username: string | null;
  firstName: string;
  lastName?: string;
}

/**
 * Creates the user on first contact, refreshes username and names afterwards (they change in
 * Telegram). `language` only applies to a new row: a user's own choice is never overwritten.
 */
/** The user as stored; `created` when this call inserted them. */
export async function upsertUser(
  q: Queryable,
  identity: TelegramIdentity,
  language: Language,
): Promise<User & { created: boolean }> {
  return q.one<User & { created: boolean }>(
    `INSERT INTO users AS u (id, username, first_name, last_name, language) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET username = excluded.username, first_name = excluded.first_name,
       last_name = excluded.last_name,
       updated_at = CASE WHEN (u.username, u.first_name, u.last_name)
                              IS DISTINCT FROM (excluded.username, excluded.first_name, excluded.last_name)
                    THEN now() ELSE u.updated_at END
     RETURNING ${USER_COLUMNS}, (xmax = 0) AS created`,
    [identity.id, identity.username, identity.firstName, identity.lastName ?? '', language],
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

/** Telegram said the user blocked the bot (or the account is gone), or that they are back. */
export async function setBotBlocked(q: Queryable, id: number, blocked: boolean): Promise<boolean> {
  const count = await q.exec(
    `UPDATE users SET bot_blocked_at = CASE WHEN $2 THEN now() END
     WHERE id = $1 AND (bot_blocked_at IS NULL) = $2`,
    [id, blocked],
  );
  return count === 1;
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

/**
 * Ends the suspensions whose end date has passed (at most `limit`, skipping rows another worker
 * holds) and returns the users restored, for their notices.
 */
export async function restoreDueSuspensions(q: Queryable, limit: number): Promise<User[]> {
  return q.many<User>(
    `WITH due AS (
       SELECT id FROM users WHERE suspended_until <= now() ORDER BY suspended_until, id
       LIMIT $1 FOR UPDATE SKIP LOCKED
     )
     UPDATE users u SET suspended_at = NULL, suspended_until = NULL, suspension_reason = NULL,
       suspended_by = NULL, updated_at = now()
     FROM due WHERE u.id = due.id
     RETURNING ${USER_COLUMNS}`,
    [limit],
  );
}

/** newest: latest first contact; spent: most paid as a buyer; suspended: suspended now, latest first. */
export type UserOrder = 'newest' | 'spent' | 'suspended';

export interface UserFilter extends PageRequest {
  /** A Telegram id, an @username, words of the name or shop name, or an email; any case or accent. */
  search?: string;
  order?: UserOrder;
}

export type UserListItem = User & {
  sellerName: string | null;
  /** The seller account's email, else the latest one given on a ticket. */
  email: string | null;
  /** What the user paid for their paid orders (prices and fees). */
  spentCents: number;
};

const ORDER_BY: Record<UserOrder, string> = {
  newest: 'u.created_at DESC, u.id',
  spent: '"spentCents" DESC, u.created_at DESC, u.id',
  suspended: 'u.suspended_at DESC, u.id',
};

/** Admin user list by page. */
export async function listUsers(q: Queryable, filter: UserFilter = {}): Promise<Page<UserListItem>> {
  const { limit, offset } = pageBounds(filter);
  const order = filter.order ?? 'newest';
  const { where, values } = userWhere(filter.search, order === 'suspended');
  const [items, count] = await Promise.all([
    q.many<UserListItem>(
      `SELECT ${USER_COLUMNS}, s.name AS "sellerName",
         coalesce(s.email, (SELECT t.email FROM tickets t WHERE t.user_id = u.id AND t.email IS NOT NULL
                            ORDER BY t.created_at DESC LIMIT 1)) AS email,
         coalesce(spent.cents, 0) AS "spentCents"
       FROM users u
       LEFT JOIN seller_profiles s ON s.user_id = u.id
       LEFT JOIN (SELECT buyer_id, sum(total_cents) AS cents FROM orders WHERE status = 'paid' GROUP BY buyer_id)
         spent ON spent.buyer_id = u.id
       WHERE ${where}
       ORDER BY ${ORDER_BY[order]} LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, limit, offset],
    ),
    q.one<{ total: number }>(`SELECT count(*)::int AS total FROM users u WHERE ${where}`, values),
  ]);
  return { items, total: count.total, limit, offset };
}

function userWhere(text: string | undefined, suspendedOnly: boolean): { where: string; values: unknown[] } {
  const clauses = ['true'];
  const values: unknown[] = [];
  const search = text?.trim().replace(/^@/, '');
  if (search) {
    values.push(likePattern(search));
    const like = `search_normalize($${values.length})`;
    // Names and usernames through the trigram index; shop names and emails of the few who have one.
    const matches = [
      `u.search_text LIKE ${like}`,
      `u.id IN (SELECT s.user_id FROM seller_profiles s
                WHERE search_normalize(s.name) LIKE ${like} OR lower(s.email) LIKE ${like}
                UNION SELECT t.user_id FROM tickets t WHERE lower(t.email) LIKE ${like})`,
    ];
    if (/^\d{1,15}$/.test(search)) {
      values.push(Number(search));
      matches.unshift(`u.id = $${values.length}`);
    }
    clauses.push(`(${matches.join(' OR ')})`);
  }
  if (suspendedOnly) clauses.push(SUSPENDED_SQL);
  return { where: clauses.join(' AND '), values };
}
