// A product's file versions (v1, v2…): the published ones buyers may download, and at most one
// upload waiting for its seller to publish it. products.main_file_id is the latest published
// version; a trigger records any main file set elsewhere as the next version (migration 009).
import type { Queryable } from '../db/index.ts';

export type FileVersion = {
  id: number;
  productId: string;
  /** 1, 2, 3… in publishing order; null while the upload waits to be published. */
  version: number | null;
  fileId: number;
  fileName: string;
  sizeBytes: number;
  contentType: string;
  publishedAt: Date | null;
  createdAt: Date;
  /** False once the object was removed from storage (purged). */
  stored: boolean;
};

const VERSION_COLUMNS = `
  v.id AS id, v.product_id AS "productId", v.version, v.file_id AS "fileId",
  f.original_name AS "fileName", f.size_bytes AS "sizeBytes", f.content_type AS "contentType",
  v.published_at AS "publishedAt", v.created_at AS "createdAt", f.deleted_at IS NULL AS stored`;

const VERSION_FROM = 'product_file_versions v JOIN stored_files f ON f.id = v.file_id';

/** The published versions of a product, newest first. */
export async function listPublishedVersions(q: Queryable, productId: string): Promise<FileVersion[]> {
  return q.many<FileVersion>(
    `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM}
     WHERE v.product_id = $1 AND v.version IS NOT NULL ORDER BY v.version DESC`,
    [productId],
  );
}

/** The upload waiting to be published as the product's next version, if any. */
export async function getPendingVersion(q: Queryable, productId: string): Promise<FileVersion | null> {
  return q.maybeOne<FileVersion>(
    `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.product_id = $1 AND v.version IS NULL`,
    [productId],
  );
}

/** The version a stored file is, if it is one. */
export async function getVersionOfFile(q: Queryable, fileId: number): Promise<FileVersion | null> {
  return q.maybeOne<FileVersion>(`SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.file_id = $1`, [
    fileId,
  ]);
}

/** Records an upload waiting to be published. UniqueViolationError when one already waits. */
export async function insertPendingVersion(q: Queryable, productId: string, fileId: number): Promise<void> {
  await q.exec('INSERT INTO product_file_versions (product_id, file_id) VALUES ($1, $2)', [
    productId,
    fileId,
  ]);
}

/**
 * Publishes a waiting upload as the next version number. The caller holds the product's row
 * lock, so two publishers cannot draw the same number.
 */
export async function publishPendingVersion(q: Queryable, id: number): Promise<number> {
  const row = await q.one<{ version: number }>(
    `UPDATE product_file_versions v SET version = next.version, published_at = now()
     FROM (SELECT coalesce(max(o.version), 0) + 1 AS version FROM product_file_versions o
           WHERE o.product_id = (SELECT product_id FROM product_file_versions WHERE id = $1)) next
     WHERE v.id = $1 AND v.version IS NULL RETURNING v.version`,
    [id],
  );
  return row.version;
}

/** Points a version at another stored file (a version nobody bought yet, replaced in place). */
export async function replaceVersionFile(q: Queryable, id: number, fileId: number): Promise<void> {
  await q.exec('UPDATE product_file_versions SET file_id = $2 WHERE id = $1', [id, fileId]);
}

/** Removes a version row (a discarded upload, never bought). */
export async function deleteVersion(q: Queryable, id: number): Promise<void> {
  await q.exec('DELETE FROM product_file_versions WHERE id = $1', [id]);
}

/**
 * True once anyone paid for the product: its published versions may have been downloaded, so
 * they are history and a new file becomes a new version instead of replacing one.
 */
export async function productWasBought(q: Queryable, productId: string): Promise<boolean> {
  const row = await q.one<{ bought: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM orders WHERE product_id = $1 AND paid_at IS NOT NULL) AS bought',
    [productId],
  );
  return row.bought;
}

export type VersionRecipient = { buyerId: number; orderId: string; boughtVersion: number | null };

/**
 * Buyers to tell about version `version` of a product: one line per buyer (their latest paid
 * order), those who bought an earlier version.
 */
export async function buyersBefore(
  q: Queryable,
  productId: string,
  version: number,
): Promise<VersionRecipient[]> {
  return q.many<VersionRecipient>(
    `SELECT DISTINCT ON (o.buyer_id) o.buyer_id AS "buyerId", o.id AS "orderId",
       b.version AS "boughtVersion"
     FROM orders o LEFT JOIN product_file_versions b ON b.id = o.file_version_id
     WHERE o.product_id = $1 AND o.status = 'paid' AND coalesce(b.version, 0) < $2
     ORDER BY o.buyer_id, o.paid_at DESC, o.id`,
    [productId, version],
  );
}
