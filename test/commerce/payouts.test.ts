// Seller earnings after a sale: escrow for 24 h, then available with a notice, then paid by an
// admin with the Solana transaction hash; the balances the seller sees at each step.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QUEUES } from '../../src/jobs/index.ts';
import { ConflictError, InvalidInputError, NotAdminError } from '../../src/services/errors.ts';
import { Moderator } from '../../src/services/moderation.ts';
import {
  addProduct,
  addSeller,
  addUser,
  commerceDatabase,
  eventually,
  PAYOUT_ADDRESS,
  startHarness,
} from './fixtures.ts';

const db = await commerceDatabase();
const h = await startHarness(db);
const { payouts } = h;

const ADMIN = 99;
const admin = Moderator.verify(new Set([ADMIN]), ADMIN);
const TX = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';
let nextBuyer = 8000;
let nextSeller = 7000;

/** A seller with `count` paid sales of a product at `priceCents` (paid through the simulator). */
async function sellerWithSales(count: number, priceCents = 2000): Promise<number> {
  const seller = ++nextSeller;
  await addSeller(db, seller);
  const product = await addProduct(db, seller, priceCents);
  for (let i = 0; i < count; i++) {
    const buyer = ++nextBuyer;
    await addUser(db, buyer);
    const { order } = await h.checkout.startOrder(buyer, product);
    const payment = await h.checkout.payOrder(buyer, order.id, 'usdcsol');
    await h.sim.advance(payment.paymentId, 'finished');
  }
  return seller;
}

function endEscrow(sellerId: number): Promise<number> {
  return db.exec(`UPDATE payouts SET escrow_until = now() - interval '1 second' WHERE seller_id = $1`, [
    sellerId,
  ]);
}

describe('escrow and balances', () => {
  test('a sale is in escrow, then available after release, with one notice per seller', async () => {
    const seller = await sellerWithSales(2);
    assert.deepEqual(await payouts.balances(seller), {
      escrowCents: 4000,
      availableCents: 0,
      paidCents: 0,
    });
    // Not due yet: nothing moves.
    assert.equal((await payouts.releaseEscrow(async () => {})).released, 0);

    await endEscrow(seller);
    const notices: { sellerId: number; totalCents: number; count: number }[] = [];
    const result = await payouts.releaseEscrow(async (n) => {
      notices.push({ sellerId: n.sellerId, totalCents: n.totalCents, count: n.payouts.length });
    }, 1);
    assert.deepEqual(result, { released: 2, notified: 1 });
    assert.deepEqual(notices, [{ sellerId: seller, totalCents: 4000, count: 2 }]);
    assert.deepEqual(await payouts.balances(seller), {
      escrowCents: 0,
      availableCents: 4000,
      paidCents: 0,
    });
  });

  test('a failing notice does not undo the release', async () => {
    const seller = await sellerWithSales(1);
    await endEscrow(seller);
    const result = await payouts.releaseEscrow(async () => {
      throw new Error('Telegram down');
    });
    assert.deepEqual(result, { released: 1, notified: 0 });
    assert.equal((await payouts.balances(seller)).availableCents, 2000);
  });

  test('the release job runs on pg-boss and notifies through the injected notifier', async () => {
    const seller = await sellerWithSales(1, 999);
    await endEscrow(seller);
    await h.jobs.trigger(QUEUES.releaseEscrow);
    await eventually(() => h.notices.some((n) => n.sellerId === seller));
    assert.equal((await payouts.balances(seller)).availableCents, 999);
  });
});

describe('admin pays sellers', () => {
  test('pending list by page, mark one paid with the tx hash, then all the rest', async () => {
    const seller = await sellerWithSales(3, 1500);
    await endEscrow(seller);
    await payouts.releaseEscrow(async () => {});
    const page = await payouts.toPay(admin, { limit: 2 });
    assert.equal(page.items.length, 2);
    assert.ok(page.total >= 3);
    const mine = (await payouts.toPay(admin, { limit: 100 })).items.filter((p) => p.sellerId === seller);
    assert.equal(mine.length, 3);
    assert.equal(mine[0]?.payoutAddress, PAYOUT_ADDRESS);

    const first = mine[0]?.id ?? 0;
    const paid = await payouts.markPaid(admin, first, ` ${TX} `);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.txHash, TX);
    assert.equal(paid.paidToAddress, PAYOUT_ADDRESS);
    assert.equal(paid.paidBy, ADMIN);
    await assert.rejects(payouts.markPaid(admin, first, TX), (e: unknown) => {
      assert.ok(e instanceof ConflictError);
      assert.equal(e.code, 'payout_not_available');
      return true;
    });
    assert.deepEqual(await payouts.balances(seller), {
      escrowCents: 0,
      availableCents: 3000,
      paidCents: 1500,
    });

    const all = await payouts.markSellerPaid(admin, seller, TX);
    assert.equal(all.payouts.length, 2);
    assert.equal(all.totalCents, 3000);
    assert.deepEqual(await payouts.balances(seller), {
      escrowCents: 0,
      availableCents: 0,
      paidCents: 4500,
    });
    await assert.rejects(payouts.markSellerPaid(admin, seller, TX), { code: 'nothing_to_pay' });
    const audit = await db.many<{ action: string }>(
      `SELECT action FROM admin_audit_log WHERE admin_id = $1 ORDER BY id`,
      [ADMIN],
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['payout.mark_paid', 'payout.mark_all_paid'],
    );
  });

  test('escrowed lines cannot be paid; a bad hash and a non-admin are refused', async () => {
    const seller = await sellerWithSales(1);
    const [line] = await db.many<{ id: number }>('SELECT id::int FROM payouts WHERE seller_id = $1', [
      seller,
    ]);
    await assert.rejects(payouts.markPaid(admin, line?.id ?? 0, TX), { code: 'payout_not_available' });
    await assert.rejects(payouts.markPaid(admin, line?.id ?? 0, 'not-a-hash'), InvalidInputError);
    assert.throws(() => Moderator.verify(new Set([ADMIN]), seller), NotAdminError);
    assert.equal((await payouts.balances(seller)).escrowCents, 2000);
  });
});
