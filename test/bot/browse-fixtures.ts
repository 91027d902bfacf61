// Facts for the buyer-side bot tests (browse, buy, library), written with plain SQL on a fresh
// database: sellers, products with files and covers, paid orders. The bot under test is the
// real createBot through the harness; checkout runs on the NOWPayments simulator.
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { MAX_CALLBACK_BYTES } from '../../src/bot/ui/callback-data.ts';
import type { Database } from '../../src/db/index.ts';
import { migrate } from '../../src/db/index.ts';
import {
  type NowPaymentsSimulator,
  startNowPaymentsSimulator,
} from '../../src/dev/nowpayments-simulator/index.ts';
import { newOrderId, newProductId, priceBreakdown } from '../../src/domain/index.ts';
import { createNowPaymentsClient, type NowPaymentsClient } from '../../src/integrations/nowpayments/index.ts';
import type { ServiceSettings } from '../../src/services/index.ts';
import type { LocalFileStorage, S3FileStorage } from '../../src/storage/index.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { TEST_PUBLIC_URL, testServices } from '../support/services.ts';
import { BotHarness } from './harness.ts';

export const COINS = ['btc', 'eth', 'sol', 'usdtsol', 'usdcsol'] as const;
export const PUBLIC_URL = TEST_PUBLIC_URL;
const PAYOUT_ADDRESS = 'So11111111111111111111111111111111111111112';

export async function buyerDatabase(): Promise<Database> {
  const db = testDatabase(await freshDatabase(), { max: 6 });
  await migrate(db);
  return db;
}

export async function addUser(db: Database, id: number, firstName = `User${id}`): Promise<void> {
  await db.exec('INSERT INTO users (id, first_name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
    id,
    firstName,
  ]);
}

export async function addSeller(db: Database, id: number, name = `Shop ${id}`, bio = ''): Promise<void> {
  await addUser(db, id);
  await db.exec(
    'INSERT INTO seller_profiles (user_id, name, bio, email, payout_address) VALUES ($1, $2, $3, $4, $5)',
    [id, name, bio, `seller${id}@example.com`, PAYOUT_ADDRESS],
  );
}

export async function categoryId(db: Database, slug: string): Promise<number> {
  return (await db.one<{ id: number }>('SELECT id FROM categories WHERE slug = $1', [slug])).id;
}

let fileSeq = 0;

export interface ProductFacts {
  sellerId: number;
  title?: string;
  description?: string;
  priceCents?: number;
  category?: string;
  status?: 'active' | 'inactive' | 'draft' | 'deleted';
  /** Stored in `storage` as the product's cover. */
  cover?: LocalFileStorage;
  salesCount?: number;
  createdDaysAgo?: number;
}

export async function addProduct(db: Database, facts: ProductFacts): Promise<string> {
  const id = newProductId();
  const seq = ++fileSeq;
  const file = await db.one<{ id: number }>(
    `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
     VALUES ($1, 'file', $2, 'guide.pdf', 2500000, 'application/pdf') RETURNING id::int`,
    [facts.sellerId, `products/${facts.sellerId}/${id}/file/f${seq}-guide.pdf`],
  );
  let coverId: number | null = null;
  if (facts.cover) {
    const key = `products/${facts.sellerId}/${id}/cover/c${seq}-cover.png`;
    await facts.cover.put(key, Buffer.from('not really a png'), { contentType: 'image/png' });
    coverId = (
      await db.one<{ id: number }>(
        `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
         VALUES ($1, 'cover', $2, 'cover.png', 16, 'image/png') RETURNING id::int`,
        [facts.sellerId, key],
      )
    ).id;
  }
  const status = facts.status ?? 'active';
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, description, price_cents, status, main_file_id,
       cover_file_id, sales_count, created_at, deleted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() - make_interval(days => $11),
       CASE WHEN $7 = 'deleted' THEN now() END)`,
    [
      id,
      facts.sellerId,
      await categoryId(db, facts.category ?? 'finance-crypto'),
      facts.title ?? `Guide ${id}`,
      facts.description ?? 'A practical guide.',
      facts.priceCents ?? 1999,
      status,
      file.id,
      coverId,
      facts.salesCount ?? 0,
      facts.createdDaysAgo ?? 30,
    ],
  );
  return id;
}

/** A paid order of `buyerId` for the product, as completion leaves it. */
export async function addPaidOrder(db: Database, buyerId: number, productId: string): Promise<string> {
  const product = await db.one<{ sellerId: number; title: string; priceCents: number }>(
    'SELECT seller_id::float8 AS "sellerId", title, price_cents AS "priceCents" FROM products WHERE id = $1',
    [productId],
  );
  const amounts = priceBreakdown(product.priceCents);
  const id = newOrderId();
  await db.exec(
    `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents,
       status, paid_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'paid', now())`,
    [
      id,
      buyerId,
      productId,
      product.sellerId,
      product.title,
      amounts.priceCents,
      amounts.feeCents,
      amounts.totalCents,
    ],
  );
  return id;
}

export { tempStorage } from '../support/services.ts';

export interface BuyerHarnessOptions {
  /** Where covers and files are read (default: an empty folder of the harness's own). */
  storage?: LocalFileStorage | S3FileStorage;
  /** A NOWPayments client (the simulator's, for tests that pay). */
  payments?: Pick<Payments, 'client'>;
  settings?: Partial<ServiceSettings>;
}

export interface Payments {
  sim: NowPaymentsSimulator;
  client: NowPaymentsClient;
}

/** The NOWPayments simulator and a client for it (deliveries are not queued here). */
export async function simulatedPayments(): Promise<Payments> {
  const sim = await startNowPaymentsSimulator({ apiKey: 'bot-sim-api-key', ipnSecret: 'bot-sim-ipn-secret' });
  after(() => sim.close());
  return {
    sim,
    client: createNowPaymentsClient({ baseUrl: sim.baseUrl, apiKey: 'bot-sim-api-key', retries: 0 }),
  };
}

/** The real bot on every real service; admins, storage and payments as the test needs. */
export async function buyerHarness(db: Database, options: BuyerHarnessOptions = {}): Promise<BotHarness> {
  const services = await testServices(db, {
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.payments ? { nowPayments: options.payments.client } : {}),
    // Nothing listens there: these tests read statuses back with the Refresh button.
    settings: { payCurrencies: COINS, ...options.settings },
  });
  return new BotHarness({ services, settings: { payCurrencies: COINS } });
}

/** Every callback data the bot put on a button fits Telegram's 64 bytes. */
export function assertCallbacksFit(bot: BotHarness): void {
  const all = bot.allCallbackData();
  assert.ok(all.length > 0);
  for (const data of all) assert.ok(Buffer.byteLength(data) <= MAX_CALLBACK_BYTES, data);
}
