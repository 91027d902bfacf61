// Stored files of long-deleted products (SPEC "Background jobs": products deleted over 90 days
// ago with no order in the last 30 days lose their files; orders and the file rows stay).
import type { Queryable } from '../db/index.ts';

export interface PurgedFile {
  id: number;
  storageKey: string;
  sizeBytes: number;
}

export interface PurgeCriteria {
  /** The product was deleted more than this many days ago… */
  deletedDays: number;
  /** …and nobody ordered it in this many days. */
  quietDays: number;
  limit: number;
  /** Files to leave alone in this run (their removal already failed). */
  skipIds: readonly number[];
}

/**
 * Marks removed, in one statement, up to `limit` files of such products (the ones they point at
 * and any other object under their storage folder), forgets their Telegram copies, and returns
 * them for the caller to delete from storage once committed. Rows locked elsewhere are skipped.
 */
export async function markPurgeableProductFiles(
  q: Queryable,
  criteria: PurgeCriteria,
): Promise<PurgedFile[]> {
  return q.many<PurgedFile & Record<string, unknown>>(
    `WITH due AS (
       SELECT f.id FROM products p
       JOIN stored_files f ON f.id IN (p.main_file_id, p.cover_file_id, p.preview_file_id)
         OR (f.owner_id = p.seller_id AND starts_with(f.storage_key, 'products/' || p.seller_id || '/' || p.id || '/'))
       WHERE p.status = 'deleted' AND p.deleted_at < now() - make_interval(days => $1)
         AND f.deleted_at IS NULL AND NOT (f.id = ANY ($4::bigint[]))
         AND NOT EXISTS (SELECT 1 FROM orders o
                         WHERE o.product_id = p.id AND o.created_at > now() - make_interval(days => $2))
       ORDER BY f.id LIMIT $3
       FOR UPDATE OF f SKIP LOCKED),
     forgotten AS (DELETE FROM telegram_file_cache c USING due WHERE c.stored_file_id = due.id)
     UPDATE stored_files f SET deleted_at = now() FROM due WHERE f.id = due.id
     RETURNING f.id, f.storage_key AS "storageKey", f.size_bytes AS "sizeBytes"`,
    [criteria.deletedDays, criteria.quietDays, criteria.limit, criteria.skipIds],
  );
}

/** The objects could not be removed: back to stored, so the next purge tries again. */
export async function unmarkStoredFilesDeleted(q: Queryable, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  return q.exec('UPDATE stored_files SET deleted_at = NULL WHERE id = ANY ($1::bigint[])', [ids]);
}
