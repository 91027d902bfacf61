// Telegram's file_id for each stored file the bot has sent (a cover, a preview, a product file),
// so it is uploaded once and then sent by id. In PostgreSQL, so every instance shares it; the
// purge job deletes the rows of purged files.
import type { Queryable } from '../db/index.ts';

export async function getTelegramFileId(q: Queryable, storedFileId: number): Promise<string | null> {
  const row = await q.maybeOne<{ fileId: string }>(
    'SELECT file_id AS "fileId" FROM telegram_file_cache WHERE stored_file_id = $1',
    [storedFileId],
  );
  return row?.fileId ?? null;
}

/** Keeps the id Telegram gave back (the latest upload wins); a stored file gone meanwhile is skipped. */
export async function saveTelegramFileId(
  q: Queryable,
  entry: { storedFileId: number; fileId: string; fileUniqueId: string | null },
): Promise<void> {
  await q.exec(
    `INSERT INTO telegram_file_cache (stored_file_id, file_id, file_unique_id)
     SELECT f.id, $2, $3 FROM stored_files f WHERE f.id = $1 AND f.deleted_at IS NULL
     ON CONFLICT (stored_file_id) DO UPDATE
       SET file_id = excluded.file_id, file_unique_id = excluded.file_unique_id, updated_at = now()`,
    [entry.storedFileId, entry.fileId, entry.fileUniqueId],
  );
}

/** Drops `fileId` (Telegram refused it), unless another instance has stored a newer one. */
export async function deleteTelegramFileId(
  q: Queryable,
  storedFileId: number,
  fileId: string,
): Promise<void> {
  await q.exec('DELETE FROM telegram_file_cache WHERE stored_file_id = $1 AND file_id = $2', [
    storedFileId,
    fileId,
  ]);
}
