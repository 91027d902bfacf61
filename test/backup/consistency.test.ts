// A backup taken while the marketplace keeps selling is one consistent snapshot: every table as
// of one instant, so an order and the payment written with it in one transaction are both in
// the snapshot or both out of it, and the restore (which re-checks every foreign key) accepts it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrate } from '../../src/db/index.ts';
import { newOrderId } from '../../src/domain/index.ts';
import { addSyntheticOrders, backupService, emptyDatabase, localStorage } from './support.ts';

const storage = await localStorage();
const { db } = await emptyDatabase();
await migrate(db);
await addSyntheticOrders(db, 5000);
const { db: target } = await emptyDatabase();

/** One sale: the order, its payment, the order pointing at the payment, in one transaction. */
async function sell(): Promise<void> {
  const id = newOrderId();
  await db.transaction(async (tx) => {
    await tx.exec(
      `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents, status, paid_at)
       SELECT $1, 800000100, p.id, p.seller_id, p.title, p.price_cents, 149, p.price_cents + 149, 'paid', now()
       FROM products p WHERE p.title = 'Produit 1'`,
      [id],
    );
    await tx.exec(
      `WITH paid AS (
         INSERT INTO payments (provider_payment_id, order_id, pay_address, pay_currency, pay_amount, price_cents, status, expires_at)
         VALUES ('live-' || $1, $1, 'So11111111111111111111111111111111111111112', 'sol', 0.1, 1149, 'finished', now())
         RETURNING id)
       UPDATE orders SET paid_payment_id = (SELECT id FROM paid) WHERE id = $1`,
      [id],
    );
  });
}

test('orders keep selling during a backup; the snapshot holds each sale whole or not at all', async () => {
  let selling = true;
  let sales = 0;
  const seller = (async () => {
    while (selling) {
      await sell();
      sales++;
    }
  })();
  const salesBefore = sales;
  const backup = await backupService(db, storage)
    .backup()
    .finally(() => {
      selling = false;
    });
  const salesDuring = sales - salesBefore;
  await seller;
  assert.ok(salesDuring > 0, 'sales were committed while the backup ran');

  await backupService(target, storage).restore({ key: backup.key });
  const restored = await target.one<{ orders: number; payments: number; unpaid: number }>(
    `SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM payments)::int AS payments,
            (SELECT count(*) FROM orders WHERE paid_payment_id IS NULL)::int AS unpaid`,
  );
  assert.equal(restored.orders, restored.payments, 'each restored order came with its payment');
  assert.equal(restored.unpaid, 0);
  const live = await db.one<{ orders: number }>('SELECT count(*)::int AS orders FROM orders');
  assert.ok(
    restored.orders >= 5000 && restored.orders < live.orders,
    'the snapshot is of one instant during the sales',
  );
});
