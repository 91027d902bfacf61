// The demo data: every screen has something to show, the counters agree with the facts, and a
// second run adds nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_SELLERS, seedDemo } from '../../scripts/seed-demo.ts';
import { dailyActivity, getSellerDashboard, topProducts } from '../../src/repositories/analytics.ts';
import { listCategories } from '../../src/repositories/categories.ts';
import { searchProducts } from '../../src/repositories/products.ts';
import { catalogKit } from './fixtures.ts';

const { db, storage } = await catalogKit();

async function tableCounts(): Promise<Record<string, number>> {
  const tables = [
    'users',
    'seller_profiles',
    'products',
    'stored_files',
    'orders',
    'payments',
    'payouts',
    'reviews',
    'tickets',
    'ticket_messages',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables)
    counts[table] = (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).n;
  return counts;
}

test('seedDemo fills every screen once, with counters that match the facts', async () => {
  const summary = await seedDemo(db, storage);
  assert.ok(summary);
  assert.equal(summary.sellers, 3);
  assert.equal(summary.products, 15);
  assert.ok(summary.orders >= 80, `${summary.orders} orders`);
  assert.ok(summary.reviews > 10 && summary.tickets === 4);

  const counts = await tableCounts();
  assert.equal(counts.products, 15);
  assert.equal(counts.payouts, summary.payouts);

  const nonEmpty = (await listCategories(db)).filter((c) => c.activeProducts > 0);
  assert.equal(nonEmpty.length, 7, 'every default category has something to browse');
  assert.ok((await searchProducts(db, 'creer')).length > 0);

  const statuses = await db.rows<[string]>('SELECT DISTINCT status FROM payouts ORDER BY 1');
  assert.deepEqual(
    statuses.map(([s]) => s),
    ['available', 'escrow', 'paid'],
  );
  const seller = DEMO_SELLERS[0].id;
  const series = await dailyActivity(db, { sellerId: seller }, 30);
  assert.equal(series.length, 30);
  assert.ok(series.filter((d) => d.sales > 0).length >= 5, 'the chart has several days of sales');
  assert.equal((await topProducts(db, seller)).length, 5);
  const dashboard = await getSellerDashboard(db, seller);
  assert.ok(dashboard.revenueCents > 0 && dashboard.storageBytes > 0);

  const drift = await db.many(
    `SELECT p.id FROM products p
     WHERE p.sales_count <> (SELECT count(*) FROM orders o WHERE o.product_id = p.id AND o.status = 'paid')
        OR p.reviews_count <> (SELECT count(*) FROM reviews r WHERE r.product_id = p.id)
        OR p.rating_sum <> (SELECT coalesce(sum(r.rating), 0) FROM reviews r WHERE r.product_id = p.id)`,
  );
  assert.deepEqual(drift, [], 'stored counters equal their recomputation');
  const files = await db.rows<[string]>('SELECT storage_key FROM stored_files');
  for (const [key] of files) assert.equal(await storage.exists(key), true, key);
});

test('running the seed again adds nothing', async () => {
  const before = await tableCounts();
  assert.equal(await seedDemo(db, storage), null);
  assert.deepEqual(await tableCounts(), before);
});
