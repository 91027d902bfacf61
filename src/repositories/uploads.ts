// Resumable uploads from the Mini App page (file_uploads): one row per upload, used once.
import type { Queryable } from '../db/index.ts';
import type { StoredFileKind } from './files.ts';

export type FileUploadStatus = 'open' | 'completing' | 'completed' | 'aborted';

export type FileUpload = {
  id: string;
  sellerId: number;
  productId: string;
  kind: StoredFileKind;
  storageKey: string;
  storageUploadId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  partSize: number;
  status: FileUploadStatus;
  sha256: string | null;
  storedFileId: number | null;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS = `
  u.id, u.seller_id AS "sellerId", u.product_id AS "productId", u.kind,
  u.storage_key AS "storageKey", u.storage_upload_id AS "storageUploadId", u.file_name AS "fileName",
  u.content_type AS "contentType", u.size_bytes AS "sizeBytes", u.part_size AS "partSize",
  u.status, u.sha256, u.stored_file_id AS "storedFileId", u.created_at AS "createdAt",
  u.updated_at AS "updatedAt"`;

export type NewFileUpload = Pick<
  FileUpload,
  | 'id'
  | 'sellerId'
  | 'productId'
  | 'kind'
  | 'storageKey'
  | 'storageUploadId'
  | 'fileName'
  | 'contentType'
  | 'sizeBytes'
  | 'partSize'
>;

export async function insertFileUpload(q: Queryable, upload: NewFileUpload): Promise<FileUpload> {
  return q.one<FileUpload>(
    `INSERT INTO file_uploads AS u (id, seller_id, product_id, kind, storage_key, storage_upload_id,
       file_name, content_type, size_bytes, part_size)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    [
      upload.id,
      upload.sellerId,
      upload.productId,
      upload.kind,
      upload.storageKey,
      upload.storageUploadId,
      upload.fileName,
      upload.contentType,
      upload.sizeBytes,
      upload.partSize,
    ],
  );
}

export async function getFileUpload(q: Queryable, id: string): Promise<FileUpload | null> {
  return q.maybeOne<FileUpload>(`SELECT ${COLUMNS} FROM file_uploads u WHERE u.id = $1`, [id]);
}

/** Records a sign of life, so the sweep leaves an active upload alone. */
export async function touchFileUpload(q: Queryable, id: string): Promise<void> {
  await q.exec(`UPDATE file_uploads SET updated_at = now() WHERE id = $1 AND status = 'open'`, [id]);
}

/** Moves an upload from one status to another; null when it was not in `from` (someone else won). */
export async function moveFileUpload(
  q: Queryable,
  id: string,
  from: FileUploadStatus,
  to: 'open' | 'completing' | 'aborted',
): Promise<FileUpload | null> {
  return q.maybeOne<FileUpload>(
    `UPDATE file_uploads AS u SET status = $3, updated_at = now(),
       finished_at = CASE WHEN $3 = 'aborted' THEN now() END
     WHERE u.id = $1 AND u.status = $2 RETURNING ${COLUMNS}`,
    [id, from, to],
  );
}

export async function markFileUploadCompleted(
  q: Queryable,
  id: string,
  result: { sha256: string; storedFileId: number },
): Promise<FileUpload | null> {
  return q.maybeOne<FileUpload>(
    `UPDATE file_uploads AS u SET status = 'completed', sha256 = $2, stored_file_id = $3,
       updated_at = now(), finished_at = now()
     WHERE u.id = $1 AND u.status = 'completing' RETURNING ${COLUMNS}`,
    [id, result.sha256, result.storedFileId],
  );
}

/** Unfinished uploads with no sign of life since `before`, oldest first. */
export async function listIdleFileUploads(q: Queryable, before: Date, limit = 100): Promise<FileUpload[]> {
  return q.many<FileUpload>(
    `SELECT ${COLUMNS} FROM file_uploads u
     WHERE u.status IN ('open', 'completing') AND u.updated_at < $1
     ORDER BY u.updated_at LIMIT $2`,
    [before, limit],
  );
}

/** The storage upload ids of every unfinished upload: the storage sweep must spare them. */
export async function listUnfinishedStorageUploadIds(q: Queryable): Promise<string[]> {
  const rows = await q.rows<[string]>(
    `SELECT storage_upload_id FROM file_uploads WHERE status IN ('open', 'completing')`,
  );
  return rows.map(([id]) => id);
}
