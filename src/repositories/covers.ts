// Product cover images as the Mini App pages show them.
import type { Queryable } from '../db/index.ts';

export type ProductCover = { productId: string; storageKey: string; contentType: string; sizeBytes: number };

const COVER_SELECT = `
  SELECT p.id AS "productId", f.storage_key AS "storageKey", f.content_type AS "contentType",
         f.size_bytes AS "sizeBytes"
  FROM products p JOIN stored_files f ON f.id = p.cover_file_id AND f.deleted_at IS NULL`;

/** The cover of a product anyone may see (a banned product shows nothing). */
export async function getProductCover(q: Queryable, productId: string): Promise<ProductCover | null> {
  return q.maybeOne<ProductCover>(`${COVER_SELECT} WHERE p.id = $1 AND p.status <> 'banned'`, [productId]);
}

/** The ids among `productIds` that have a cover to show. */
export async function productsWithCover(q: Queryable, productIds: readonly string[]): Promise<Set<string>> {
  if (productIds.length === 0) return new Set();
  const rows = await q.rows<[string]>(
    `${COVER_SELECT} WHERE p.id = ANY($1::text[]) AND p.status <> 'banned'`,
    [productIds],
  );
  return new Set(rows.map(([id]) => id));
}
