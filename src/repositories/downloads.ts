// One-time download tokens (only their SHA-256 is stored) and the download history.
import type { Queryable } from '../db/index.ts';

export type DownloadGrant = { orderId: string; buyerId: number };

export interface NewDownloadToken {
  tokenHash: string;
  orderId: string;
  buyerId: number;
  ttlSec: number;
}

export async function insertDownloadToken(
  q: Queryable,
  token: NewDownloadToken,
): Promise<{ createdAt: Date; expiresAt: Date }> {
  return q.one(
    `INSERT INTO download_tokens (token_hash, order_id, buyer_id, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))
     RETURNING created_at AS "createdAt", expires_at AS "expiresAt"`,
    [token.tokenHash, token.orderId, token.buyerId, token.ttlSec],
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

/** The grant of a token still usable now, without using it (checks before a download starts). */
export async function findUsableToken(q: Queryable, tokenHash: string): Promise<DownloadGrant | null> {
  return q.maybeOne<DownloadGrant>(
    `SELECT order_id AS "orderId", buyer_id AS "buyerId" FROM download_tokens
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
     RETURNING order_id AS "orderId", buyer_id AS "buyerId"`,
    [tokenHash],
  );
}

export async function recordDownloadEvent(
  q: Queryable,
  event: { orderId: string; buyerId: number; channel: 'link' | 'telegram' },
): Promise<void> {
  await q.exec('INSERT INTO download_events (order_id, buyer_id, channel) VALUES ($1, $2, $3)', [
    event.orderId,
    event.buyerId,
    event.channel,
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
  storageKey: string;
  fileName: string;
  sizeBytes: number;
  contentType: string;
};

/**
 * The file a paid order delivers: its product's main file, whatever the product's status now
 * (a deleted product stays downloadable), unless the object was purged from storage.
 */
export async function deliverableFile(q: Queryable, orderId: string): Promise<DeliverableFile | null> {
  return q.maybeOne<DeliverableFile>(
    `SELECT o.id AS "orderId", o.buyer_id AS "buyerId", f.storage_key AS "storageKey",
            f.original_name AS "fileName", f.size_bytes AS "sizeBytes", f.content_type AS "contentType"
     FROM orders o
     JOIN products p ON p.id = o.product_id
     JOIN stored_files f ON f.id = p.main_file_id AND f.deleted_at IS NULL
     WHERE o.id = $1 AND o.status = 'paid'`,
    [orderId],
  );
}
