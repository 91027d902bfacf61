// One-time download tokens (only their SHA-256 is stored) and the download history.
import type { Queryable } from '../db/index.ts';

export type DownloadGrant = {
  orderId: string;
  buyerId: number;
  /** The file version the link serves; null (links issued before versions) for the latest allowed. */
  fileVersionId: number | null;
};

export interface NewDownloadToken {
  tokenHash: string;
  orderId: string;
  buyerId: number;
  fileVersionId: number;
  ttlSec: number;
}

export async function insertDownloadToken(
  q: Queryable,
  token: NewDownloadToken,
): Promise<{ createdAt: Date; expiresAt: Date }> {
  return q.one(
    `INSERT INTO download_tokens (token_hash, order_id, buyer_id, file_version_id, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
     RETURNING created_at AS "createdAt", expires_at AS "expiresAt"`,
    [token.tokenHash, token.orderId, token.buyerId, token.fileVersionId, token.ttlSec],
  );
}

/**
 * Serialises token creation per buyer until the end of the transaction, so a burst of requests
 * cannot all read "9 in the last hour" and all insert. FOR NO KEY UPDATE leaves foreign-key
 * checks on the user row unblocked.
 */
export async function lockBuyerForTokens(q: Queryable, buyerId: number): Promise<boolean> {
  return (await q.exec('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [buyerId])) === 1;
}

export type RecentTokens = { count: number; oldestAt: Date | null };

/** Tokens the buyer was given in the last `windowSec` seconds, and when the oldest of them was. */
export async function recentTokens(q: Queryable, buyerId: number, windowSec: number): Promise<RecentTokens> {
  return q.one<RecentTokens>(
    `SELECT count(*)::int AS count, min(created_at) AS "oldestAt" FROM download_tokens
     WHERE buyer_id = $1 AND created_at > now() - make_interval(secs => $2)`,
    [buyerId, windowSec],
  );
}

const GRANT_COLUMNS = 'order_id AS "orderId", buyer_id AS "buyerId", file_version_id AS "fileVersionId"';

/** The grant of a token still usable now, without using it (checks before a download starts). */
export async function findUsableToken(q: Queryable, tokenHash: string): Promise<DownloadGrant | null> {
  return q.maybeOne<DownloadGrant>(
    `SELECT ${GRANT_COLUMNS} FROM download_tokens
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
    [tokenHash],
  );
}

/**
 * Uses the token: one statement, so of any number of concurrent requests exactly one gets the
 * grant; a used, expired or unknown token gives null.
 */
export async function consumeDownloadToken(q: Queryable, tokenHash: string): Promise<DownloadGrant | null> {
  return q.maybeOne<DownloadGrant>(
    `UPDATE download_tokens SET used_at = now()
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
     RETURNING ${GRANT_COLUMNS}`,
    [tokenHash],
  );
}

export async function recordDownloadEvent(
  q: Queryable,
  event: { orderId: string; buyerId: number; channel: 'link' | 'telegram'; version: number | null },
): Promise<void> {
  await q.exec('INSERT INTO download_events (order_id, buyer_id, channel, version) VALUES ($1, $2, $3, $4)', [
    event.orderId,
    event.buyerId,
    event.channel,
    event.version,
  ]);
}

/**
 * Removes tokens that expired over a day ago (cleanup job); returns how many. They serve nothing
 * after their 5 minutes, but a day's grace keeps the recent ones for support questions
 * (download_events keeps the history).
 */
export async function deleteExpiredTokens(q: Queryable): Promise<number> {
  return q.exec(`DELETE FROM download_tokens WHERE expires_at < now() - interval '1 day'`);
}

export type DeliverableFile = {
  orderId: string;
  buyerId: number;
  fileVersionId: number;
  version: number;
  storedFileId: number;
  storageKey: string;
  fileName: string;
  sizeBytes: number;
  contentType: string;
};

/** Which version to deliver: a number or a version row (a link's), or the latest the buyer may get. */
export type VersionChoice = { version: number } | { fileVersionId: number } | 'latest';

/**
 * The file a paid order delivers, whatever the product's status now (a deleted product stays
 * downloadable), unless the object was purged from storage. A buyer may get the version their
 * order bought and every version published after it; `latest` is the newest of those still
 * stored. Null when the choice is not one of them.
 */
export async function deliverableFile(
  q: Queryable,
  orderId: string,
  choice: VersionChoice = 'latest',
): Promise<DeliverableFile | null> {
  const number = typeof choice === 'object' && 'version' in choice ? choice.version : null;
  const row = typeof choice === 'object' && 'fileVersionId' in choice ? choice.fileVersionId : null;
  return q.maybeOne<DeliverableFile>(
    `SELECT o.id AS "orderId", o.buyer_id AS "buyerId", v.id AS "fileVersionId", v.version,
            f.id AS "storedFileId", f.storage_key AS "storageKey", f.original_name AS "fileName", f.size_bytes AS "sizeBytes",
            f.content_type AS "contentType"
     FROM orders o
     LEFT JOIN product_file_versions bought ON bought.id = o.file_version_id
     JOIN product_file_versions v ON v.product_id = o.product_id AND v.version >= coalesce(bought.version, 1)
     JOIN stored_files f ON f.id = v.file_id AND f.deleted_at IS NULL
     WHERE o.id = $1 AND o.status = 'paid'
       AND ($2::int IS NULL OR v.version = $2) AND ($3::bigint IS NULL OR v.id = $3)
     ORDER BY v.version DESC LIMIT 1`,
    [orderId, number, row],
  );
}
