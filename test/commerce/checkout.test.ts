// Checkout as a buyer meets it: the order first, refusals that protect buyers and sellers, free
// products delivered without payment, one payment per coin while it is valid, and the coin's
// minimum checked before anything is created at the provider.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_SIM_COINS, type SimCoin } from '../../src/dev/nowpayments-simulator/index.ts';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  SuspendedError,
} from '../../src/services/errors.ts';
import {
  addProduct,
  addSeller,
  addUser,
  commerceDatabase,
  countRows,
  deliveryJobs,
  eventually,
  salesCount,
  startHarness,
  suspendUser,
} from './fixtures.ts';

const db = await commerceDatabase();
// BTC's minimum raised to 0.001 BTC ($60) so that a small order falls below it.
const btc = DEFAULT_SIM_COINS.btc as SimCoin;
const h = await startHarness(db, { simCoins: { btc: { ...btc, minAmount: '0.001' } } });

const SELLER = 1001;
let nextBuyer = 2000;
async function buyer(): Promise<number> {
  const id = ++nextBuyer;
  await addUser(db, id);
  return id;
}
await addSeller(db, SELLER);

describe('starting an order', () => {
  test('freezes price, fee and total, and a second tap reuses the open order', async () => {
    const product = await addProduct(db, SELLER, 1999);
    const id = await buyer();
    const first = await h.checkout.startOrder(id, product);
    assert.equal(first.reused, false);
    assert.equal(first.order.status, 'pending');
    assert.deepEqual(
      [first.order.priceCents, first.order.feeCents, first.order.totalCents],
      [1999, 149, 2148],
    );
    assert.equal(first.order.sellerId, SELLER);
    const second = await h.checkout.startOrder(id, product);
    assert.equal(second.reused, true);
    assert.equal(second.order.id, first.order.id);
  });

  test('ten simultaneous taps open one order', async () => {
    const product = await addProduct(db, SELLER, 4999);
    const id = await buyer();
    const results = await Promise.all(Array.from({ length: 10 }, () => h.checkout.startOrder(id, product)));
    assert.equal(new Set(results.map((r) => r.order.id)).size, 1);
    assert.equal(await countRows(db, 'SELECT 1 FROM orders WHERE product_id = $1', [product]), 1);
  });

  test('a free product is paid and delivered at once, without payment or payout', async () => {
    const product = await addProduct(db, SELLER, 0);
    const id = await buyer();
    const { order } = await h.checkout.startOrder(id, product);
    assert.equal(order.status, 'paid');
    assert.equal(order.totalCents, 0);
    assert.ok(order.paidAt);
    assert.equal(await salesCount(db, product), 1);
    assert.equal(await countRows(db, 'SELECT 1 FROM payments WHERE order_id = $1', [order.id]), 0);
    assert.equal(await countRows(db, 'SELECT 1 FROM payouts WHERE order_id = $1', [order.id]), 0);
    assert.equal(await deliveryJobs(db, order.id), 1);
    await eventually(
      async () =>
        (
          await db.one<{ d: boolean }>('SELECT delivered_at IS NOT NULL AS d FROM orders WHERE id = $1', [
            order.id,
          ])
        ).d,
    );
    assert.ok(h.delivered.includes(order.id));
  });

  test('a free product taken twice at once is delivered once, then refused as already owned', async () => {
    const product = await addProduct(db, SELLER, 0);
    const id = await buyer();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => h.checkout.startOrder(id, product)),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.equal((r.reason as ConflictError).code, 'already_owned');
    }
    assert.equal(await salesCount(db, product), 1);
  });

  test('a free product taken by many buyers at once: every one gets it, counted once each', async () => {
    const product = await addProduct(db, SELLER, 0);
    const buyers = await Promise.all(Array.from({ length: 8 }, () => buyer()));
    const orders = await Promise.all(buyers.map((id) => h.checkout.startOrder(id, product)));
    assert.deepEqual(
      orders.map(({ order }) => order.status),
      buyers.map(() => 'paid'),
    );
    assert.equal(await salesCount(db, product), 8);
  });

  test('refuses an inactive product, an unknown one, your own, and a suspended buyer', async () => {
    const inactive = await addProduct(db, SELLER, 1999, 'inactive');
    const id = await buyer();
    await assert.rejects(h.checkout.startOrder(id, inactive), (e: unknown) => {
      assert.ok(e instanceof ConflictError);
      assert.equal(e.code, 'product_unavailable');
      return true;
    });
    await assert.rejects(h.checkout.startOrder(id, 'P-2222222222'), NotFoundError);
    const own = await addProduct(db, SELLER, 1999);
    await assert.rejects(h.checkout.startOrder(SELLER, own), (e: unknown) => {
      assert.ok(e instanceof ForbiddenError);
      assert.equal(e.code, 'own_product');
      return true;
    });
    const suspended = await buyer();
    await suspendUser(db, suspended);
    await assert.rejects(h.checkout.startOrder(suspended, own), SuspendedError);
    assert.equal(
      await countRows(db, 'SELECT 1 FROM orders WHERE buyer_id = ANY($1)', [[id, suspended, SELLER]]),
      0,
    );
  });
});

describe('paying an order', () => {
  test('the same coin shows the same payment while valid; another coin replaces it', async () => {
    const product = await addProduct(db, SELLER, 2500);
    const id = await buyer();
    const { order } = await h.checkout.startOrder(id, product);
    const eth = await h.checkout.payOrder(id, order.id, 'ETH');
    assert.equal(eth.reused, false);
    assert.equal(eth.coin, 'eth');
    assert.equal(eth.totalCents, 2649);
    assert.ok(eth.address.startsWith('0x'));
    const again = await h.checkout.payOrder(id, order.id, 'eth');
    assert.equal(again.reused, true);
    assert.equal(again.paymentId, eth.paymentId);
    assert.equal(again.amount, eth.amount);

    const sol = await h.checkout.payOrder(id, order.id, 'sol');
    assert.notEqual(sol.paymentId, eth.paymentId);
    assert.equal(sol.reused, false);
    const stored = await db.one<{ status: string }>('SELECT status FROM orders WHERE id = $1', [order.id]);
    assert.equal(stored.status, 'waiting');
    // The provider was asked for exactly two payments, at the order's total.
    const created = h.sim.payments().filter((p) => p.order_id === order.id);
    assert.equal(created.length, 2);
    assert.ok(created.every((p) => p.price_amount === 26.49));
  });

  test('an order below the coin minimum is refused before any payment is created', async () => {
    const product = await addProduct(db, SELLER, 999);
    const id = await buyer();
    const { order } = await h.checkout.startOrder(id, product);
    const before = h.sim.payments().length;
    await assert.rejects(h.checkout.payOrder(id, order.id, 'btc'), (e: unknown) => {
      assert.ok(e instanceof ConflictError);
      assert.equal(e.code, 'amount_below_minimum');
      assert.equal(e.details.minimumUsd, '60');
      return true;
    });
    assert.equal(h.sim.payments().length, before);
    assert.equal(await countRows(db, 'SELECT 1 FROM payments WHERE order_id = $1', [order.id]), 0);
    // Another coin works.
    const usdt = await h.checkout.payOrder(id, order.id, 'usdtsol');
    assert.equal(usdt.amount, '11.48');
  });

  test('refuses a coin not offered, another buyer, and an order no longer open', async () => {
    const product = await addProduct(db, SELLER, 1500);
    const id = await buyer();
    const other = await buyer();
    const { order } = await h.checkout.startOrder(id, product);
    await assert.rejects(h.checkout.payOrder(id, order.id, 'doge'), InvalidInputError);
    await assert.rejects(h.checkout.payOrder(other, order.id, 'eth'), NotFoundError);
    await db.exec(`UPDATE orders SET status = 'expired' WHERE id = $1`, [order.id]);
    await assert.rejects(h.checkout.payOrder(id, order.id, 'eth'), (e: unknown) => {
      assert.ok(e instanceof ConflictError);
      assert.equal(e.code, 'order_not_payable');
      return true;
    });
  });
});
