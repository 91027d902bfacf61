// Facts the after-sale tests start from, written with plain SQL: users, sellers, products with
// their file, and orders in a chosen status. Catalog and checkout are other modules' tests.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { type Database, migrate } from '../../src/db/index.ts';
import { newOrderId, newProductId } from '../../src/domain/index.ts';
import { LocalFileStorage } from '../../src/storage/index.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

export const ADDRESS = 'So11111111111111111111111111111111111111112';
export const BOT_TOKEN = '123456:TEST-bot-token-for-aftersale';

/** A migrated, empty database of its own for the calling test file (call at top level). */
export async function aftersaleDatabase(max = 6): Promise<Database> {
  const db = testDatabase(await freshDatabase(), { min: 0, max });
  await migrate(db);
  return db;
}

/** A local storage folder removed when the file ends. */
export async function localStorage(): Promise<LocalFileStorage> {
  const dir = await mkdtemp(join(tmpdir(), 'agora-aftersale-'));
  after(() => rm(dir, { recursive: true, force: true }));
  return new LocalFileStorage({
    dir,
    publicUrl: 'http://localhost:3000',
    signingSecret: randomBytes(32).toString('hex'),
  });
}

export async function addUser(db: Database, id: number, firstName = `User ${id}`): Promise<number> {
  await db.exec('INSERT INTO users (id, first_name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, firstName]);
  return id;
}

export async function addSeller(db: Database, id: number): Promise<number> {
  await addUser(db, id);
  await db.exec(
    `INSERT INTO seller_profiles (user_id, name, email, payout_address) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [id, `Shop ${id}`, `seller${id}@example.com`, ADDRESS],
  );
  return id;
}

export type ProductFixture = { id: string; sellerId: number; storageKey: string; title: string };

/** An active product with its main file row (the bytes are the caller's business). */
export async function addProduct(
  db: Database,
  sellerId: number,
  options: {
    title?: string;
    priceCents?: number;
    fileName?: string;
    size?: number;
    contentType?: string;
  } = {},
): Promise<ProductFixture> {
  const id = newProductId();
  const title = options.title ?? 'Guide complet du trading';
  const fileName = options.fileName ?? 'guide.pdf';
  const storageKey = `products/${sellerId}/${id}/file/${randomBytes(10).toString('hex')}-${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const category = await db.one<{ id: number }>('SELECT id FROM categories ORDER BY position LIMIT 1');
  const file = await db.one<{ id: number }>(
    `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
     VALUES ($1, 'file', $2, $3, $4, $5) RETURNING id::float8 AS id`,
    [sellerId, storageKey, fileName, options.size ?? 1000, options.contentType ?? 'application/pdf'],
  );
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, price_cents, status, main_file_id)
     VALUES ($1, $2, $3, $4, $5, 'active', $6)`,
    [id, sellerId, category.id, title, options.priceCents ?? 1999, file.id],
  );
  return { id, sellerId, storageKey, title };
}

/** An order of the product by the buyer, paid by default. */
export async function addOrder(
  db: Database,
  buyerId: number,
  product: ProductFixture,
  status: 'paid' | 'waiting' | 'expired' = 'paid',
  paidMinutesAgo = 0,
): Promise<string> {
  const id = newOrderId();
  await db.exec(
    `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents,
                         status, paid_at)
     VALUES ($1, $2, $3, $4, $5, 1999, 149, 2148, $6,
             CASE WHEN $6 = 'paid' THEN now() - make_interval(mins => $7) END)`,
    [id, buyerId, product.id, product.sellerId, product.title, status, paidMinutesAgo],
  );
  return id;
}

/** The product's stored review counters, and their recomputation from the reviews. */
export async function reviewCounters(db: Database, productId: string) {
  return db.one<{ count: number; sum: number; realCount: number; realSum: number }>(
    `SELECT p.reviews_count AS count, p.rating_sum AS sum,
            (SELECT count(*)::int FROM reviews r WHERE r.product_id = p.id) AS "realCount",
            (SELECT coalesce(sum(rating), 0)::int FROM reviews r WHERE r.product_id = p.id) AS "realSum"
     FROM products p WHERE p.id = $1`,
    [productId],
  );
}
