// Stored files: the objects in storage (product files, covers, previews) and who owns them.
import type { Queryable } from '../db/index.ts';

export type StoredFileKind = 'file' | 'cover' | 'preview';

export type StoredFile = {
  id: number;
  ownerId: number;
  kind: StoredFileKind;
  storageKey: string;
  originalName: string;
  sizeBytes: number;
  contentType: string;
  sha256: string | null;
  createdAt: Date;
  /** Set once the object was removed from storage; the row stays as history. */
  deletedAt: Date | null;
  /** Set when Telegram refused to show this cover or preview as a photo (never asked again). */
  photoRefusedAt: Date | null;
};

const FILE_COLUMNS = `
  f.id, f.owner_id AS "ownerId", f.kind, f.storage_key AS "storageKey",
  f.original_name AS "originalName", f.size_bytes AS "sizeBytes", f.content_type AS "contentType",
  f.sha256, f.created_at AS "createdAt", f.deleted_at AS "deletedAt", f.photo_refused_at AS "photoRefusedAt"`;

export interface NewStoredFile {
  ownerId: number;
  kind: StoredFileKind;
  storageKey: string;
  originalName: string;
  sizeBytes: number;
  contentType: string;
  sha256?: string | null;
}

/** UniqueViolationError `stored_files_storage_key_key`; CheckViolationError on a bad key, name or type. */
export async function insertStoredFile(q: Queryable, file: NewStoredFile): Promise<StoredFile> {
  return q.one<StoredFile>(
    `INSERT INTO stored_files AS f (owner_id, kind, storage_key, original_name, size_bytes, content_type, sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${FILE_COLUMNS}`,
    [
      file.ownerId,
      file.kind,
      file.storageKey,
      file.originalName,
      file.sizeBytes,
      file.contentType,
      file.sha256 ?? null,
    ],
  );
}

export async function getStoredFile(q: Queryable, id: number): Promise<StoredFile | null> {
  return q.maybeOne<StoredFile>(`SELECT ${FILE_COLUMNS} FROM stored_files f WHERE f.id = $1`, [id]);
}

/**
 * The files of a product: those it points at, and any other object under its storage folder
 * (an upload that was replaced or never attached), so a hard delete leaves nothing behind.
 */
export async function listProductFiles(q: Queryable, productId: string): Promise<StoredFile[]> {
  return q.many<StoredFile>(
    `SELECT ${FILE_COLUMNS} FROM products p
     JOIN stored_files f ON f.id IN (p.main_file_id, p.cover_file_id, p.preview_file_id)
       OR (f.owner_id = p.seller_id
           AND starts_with(f.storage_key, 'products/' || p.seller_id || '/' || p.id || '/'))
     WHERE p.id = $1 ORDER BY f.id`,
    [productId],
  );
}

/** Telegram refused the image as a photo: the bot shows the product without it from now on. */
export async function markPhotoRefused(q: Queryable, id: number): Promise<boolean> {
  return (
    (await q.exec(
      'UPDATE stored_files SET photo_refused_at = now() WHERE id = $1 AND photo_refused_at IS NULL',
      [id],
    )) === 1
  );
}

/** The object is gone from storage; the row stays for history. */
export async function markStoredFileDeleted(q: Queryable, id: number): Promise<boolean> {
  return (
    (await q.exec('UPDATE stored_files SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL', [
      id,
    ])) === 1
  );
}

/** Removes rows no product points at any more (hard delete of a product that never sold). */
export async function deleteStoredFiles(q: Queryable, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  return q.exec('DELETE FROM stored_files WHERE id = ANY($1::bigint[])', [ids]);
}

/** Bytes a seller keeps in storage (objects not yet removed). */
export async function storageUsedBytes(q: Queryable, ownerId: number): Promise<number> {
  const row = await q.one<{ bytes: number }>(
    'SELECT coalesce(sum(size_bytes), 0)::int8 AS bytes FROM stored_files WHERE owner_id = $1 AND deleted_at IS NULL',
    [ownerId],
  );
  return row.bytes;
}
