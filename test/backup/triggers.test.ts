// A trigger of the application (none today, maybe tomorrow) must not fire while a restore loads
// rows that are already complete: a counter trigger would count every review twice. It works
// again once the restore is done.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Database, migrate } from '../../src/db/index.ts';
import { backupService, emptyDatabase, fingerprints, localStorage, seedEverything } from './support.ts';

const COUNTER_TRIGGER = `
  CREATE FUNCTION count_review() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE products SET reviews_count = reviews_count + 1, rating_sum = rating_sum + NEW.rating WHERE id = NEW.product_id;
    RETURN NEW;
  END $$;
  CREATE TRIGGER reviews_count AFTER INSERT ON reviews FOR EACH ROW EXECUTE FUNCTION count_review();`;

const storage = await localStorage();
const { db: source } = await emptyDatabase();
await seedEverything(source, storage);
await source.exec(COUNTER_TRIGGER);
const { db: target } = await emptyDatabase();
await migrate(target);
await target.exec(COUNTER_TRIGGER);

const reviewsCount = async (db: Database, productId: string) =>
  (await db.one<{ n: number }>('SELECT reviews_count AS n FROM products WHERE id = $1', [productId])).n;

test('triggers stay quiet while rows load, and fire again afterwards', async () => {
  const { key } = await backupService(source, storage).backup();
  await backupService(target, storage).restore({ key });
  assert.deepEqual(await fingerprints(target), await fingerprints(source), 'no review was counted twice');

  const order = await target.one<{ productId: string; buyerId: number }>(
    `SELECT o.product_id AS "productId", o.buyer_id::float8 AS "buyerId" FROM orders o
     WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.product_id = o.product_id AND r.buyer_id = o.buyer_id)
       AND o.status = 'paid' LIMIT 1`,
  );
  const before = await reviewsCount(target, order.productId);
  await target.exec('INSERT INTO reviews (product_id, buyer_id, rating) VALUES ($1, $2, 4)', [
    order.productId,
    order.buyerId,
  ]);
  assert.equal(await reviewsCount(target, order.productId), before + 1);
});
