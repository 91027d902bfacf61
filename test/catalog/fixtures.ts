// Shared set-up of the catalog tests: users, sellers, published products and paid orders.
// Orders are written with plain SQL: checkout is another module's job, these tests need facts.
import { type Database, migrate } from '../../src/db/index.ts';
import { newOrderId } from '../../src/domain/index.ts';
import { insertStoredFile, type StoredFile } from '../../src/repositories/files.ts';
import { type Product, setProductFile } from '../../src/repositories/products.ts';
import { registerSeller, registerUser } from '../../src/services/accounts.ts';
import { activateProduct, createProduct } from '../../src/services/products.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

export const ADDRESS = 'So11111111111111111111111111111111111111112';
export const OTHER_ADDRESS = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';

/** A migrated, empty database of its own for the calling test file. */
export async function catalogDatabase(): Promise<Database> {
  const db = testDatabase(await freshDatabase(), { min: 0, max: 4 });
  await migrate(db);
  return db;
}

export async function addUser(
  db: Database,
  id: number,
  firstName = `User ${id}`,
  username: string | null = null,
) {
  return registerUser(db, { id, first_name: firstName, username, language_code: 'fr' });
}

export async function addSeller(db: Database, id: number, name = `Shop ${id}`) {
  await addUser(db, id);
  return registerSeller(db, id, { email: `seller${id}@example.com`, payoutAddress: ADDRESS, name });
}

export async function categoryId(db: Database, slug: string): Promise<number> {
  return (await db.one<{ id: number }>('SELECT id FROM categories WHERE slug = $1', [slug])).id;
}

/** Stores a file row under the product's key folder and attaches it as its main file. */
export async function attachFile(
  db: Database,
  product: Product,
  sizeBytes = 1000,
  key?: string,
): Promise<StoredFile> {
  const file = await insertStoredFile(db, {
    ownerId: product.sellerId,
    kind: 'file',
    storageKey: key ?? `products/${product.sellerId}/${product.id}/file/${'a'.repeat(20)}-guide.pdf`,
    originalName: 'guide.pdf',
    sizeBytes,
    contentType: 'application/pdf',
  });
  await setProductFile(db, product.id, 'file', file.id);
  return file;
}

export interface ListedOptions {
  title?: string;
  description?: string;
  category?: string;
  priceCents?: number;
  createdDaysAgo?: number;
}

/** A product with its file, published. */
export async function addListedProduct(
  db: Database,
  sellerId: number,
  options: ListedOptions = {},
): Promise<Product> {
  const draft = await createProduct(db, sellerId, {
    title: options.title ?? 'Guide complet du trading',
    description: options.description ?? 'Un guide pour apprendre.',
    categoryId: await categoryId(db, options.category ?? 'finance-crypto'),
    priceCents: options.priceCents ?? 1999,
  });
  await attachFile(db, draft);
  if (options.createdDaysAgo !== undefined) {
    await db.exec(`UPDATE products SET created_at = now() - make_interval(days => $2) WHERE id = $1`, [
      draft.id,
      options.createdDaysAgo,
    ]);
  }
  return activateProduct(db, sellerId, draft.id);
}

/** A paid order `daysAgo` days ago, with the product's sales counter moved in the same transaction. */
export async function addPaidOrder(
  db: Database,
  product: Pick<Product, 'id' | 'sellerId' | 'title' | 'priceCents'>,
  buyerId: number,
  daysAgo = 0,
  status: 'paid' | 'refunded' | 'pending' = 'paid',
): Promise<string> {
  const id = newOrderId();
  const fee = product.priceCents === 0 ? 0 : 149;
  await db.transaction(async (tx) => {
    await tx.exec(
      `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents,
         status, paid_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
         CASE WHEN $9 = 'pending' THEN NULL ELSE now() - make_interval(days => $10) END,
         now() - make_interval(days => $10))`,
      [
        id,
        buyerId,
        product.id,
        product.sellerId,
        product.title,
        product.priceCents,
        fee,
        product.priceCents + fee,
        status,
        daysAgo,
      ],
    );
    if (status === 'paid')
      await tx.exec('UPDATE products SET sales_count = sales_count + 1 WHERE id = $1', [product.id]);
  });
  return id;
}
