// Shared set-up of the catalog tests: the catalog's services, users, sellers, published products
// and paid orders. Orders are written with plain SQL: checkout is another module's job, these
// tests need facts.
import { type Database, migrate } from '../../src/db/index.ts';
import { newOrderId } from '../../src/domain/index.ts';
import { insertStoredFile, type StoredFile } from '../../src/repositories/files.ts';
import { type Product, setProductFile } from '../../src/repositories/products.ts';
import { type AccountService, createAccountService } from '../../src/services/accounts.ts';
import { type AnalyticsService, createAnalyticsService } from '../../src/services/analytics.ts';
import { type CatalogService, createCatalogService } from '../../src/services/catalog.ts';
import { createModerationService, type ModerationService } from '../../src/services/moderation.ts';
import { createProductFileService, type ProductFileService } from '../../src/services/product-files.ts';
import { createProductService, type ProductService } from '../../src/services/products.ts';
import type { LocalFileStorage } from '../../src/storage/index.ts';
import { localStorage } from '../aftersale/fixtures.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

export const ADDRESS = 'So11111111111111111111111111111111111111112';
export const OTHER_ADDRESS = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';

/** A test file's database and the catalog's services on it, as the application builds them. */
export interface CatalogKit {
  db: Database;
  /** A local folder removed when the file ends. */
  storage: LocalFileStorage;
  accounts: AccountService;
  catalog: CatalogService;
  products: ProductService;
  files: ProductFileService;
  analytics: AnalyticsService;
  moderation: ModerationService;
}

export interface CatalogKitOptions {
  /** ADMIN_IDS of the moderation service. */
  adminIds?: ReadonlySet<number>;
  /** Product ids drawn by the product service (tests draw colliding ones). */
  newId?: () => string;
}

/** A migrated, empty database of its own for the calling test file, and its services (call at top level). */
export async function catalogKit(options: CatalogKitOptions = {}): Promise<CatalogKit> {
  const db = testDatabase(await freshDatabase(), { min: 0, max: 4 });
  await migrate(db);
  const storage = await localStorage();
  return {
    db,
    storage,
    accounts: createAccountService({ db }),
    catalog: createCatalogService({ db, storage }),
    products: createProductService({ db, storage, newId: options.newId }),
    files: createProductFileService({ db, storage }),
    analytics: createAnalyticsService({ db }),
    moderation: createModerationService({ db, adminIds: options.adminIds ?? new Set() }),
  };
}

export async function addUser(
  { accounts }: Pick<CatalogKit, 'accounts'>,
  id: number,
  firstName = `User ${id}`,
  username: string | null = null,
) {
  return accounts.registerUser({ id, first_name: firstName, username, language_code: 'fr' });
}

export async function addSeller(kit: Pick<CatalogKit, 'accounts'>, id: number, name = `Shop ${id}`) {
  await addUser(kit, id);
  return kit.accounts.registerSeller(id, { email: `seller${id}@example.com`, payoutAddress: ADDRESS, name });
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
  { db, products }: Pick<CatalogKit, 'db' | 'products'>,
  sellerId: number,
  options: ListedOptions = {},
): Promise<Product> {
  const draft = await products.create(sellerId, {
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
  return products.activate(sellerId, draft.id);
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
