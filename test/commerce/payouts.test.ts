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
  test('what is owed, by seller, then one line and the rest of the seller marked paid', async () => {
    const seller = await sellerWithSales(3, 1500);
    await endEscrow(seller);
    await payouts.releaseEscrow(async () => {});
    const all = await payouts.owed(admin);
    assert.ok(all.lines.length >= 3);
    assert.equal(
      all.totalCents,
      all.lines.reduce((sum, p) => sum + p.amountCents, 0),
    );
    const mine = await payouts.owed(admin, { sellerId: seller });
    assert.deepEqual(
      mine.lines.map((p) => [p.sellerId, p.amountCents, p.payoutAddress]),
      [
        [seller, 1500, PAYOUT_ADDRESS],
        [seller, 1500, PAYOUT_ADDRESS],
        [seller, 1500, PAYOUT_ADDRESS],
      ],
    );
    assert.equal(mine.totalCents, 4500);
    assert.notEqual(mine.selection, all.selection, 'a digest names its exact lines');

    const [first, ...rest] = mine.lines.map((p) => p.id);
    const one = await payouts.markPaid(admin, [first ?? 0], ` ${TX} `);
    assert.deepEqual(
      one.payouts.map((p) => [p.status, p.txHash, p.paidToAddress, p.paidBy]),
      [['paid', TX, PAYOUT_ADDRESS, ADMIN]],
    );
    await assert.rejects(payouts.markPaid(admin, [first ?? 0], TX), (e: unknown) => {
      assert.ok(e instanceof ConflictError);
      assert.equal(e.code, 'payout_not_available');
      return true;
    });
    assert.deepEqual(await payouts.balances(seller), {
      escrowCents: 0,
      availableCents: 3000,
      paidCents: 1500,
    });

    // The seller's screen listed three lines; one was paid meanwhile: the other two are paid, once.
    const batch = await payouts.markPaid(
      admin,
      mine.lines.map((p) => p.id),
      TX,
    );
    assert.equal(batch.payouts.length, 2);
    assert.equal(batch.totalCents, 3000);
    assert.equal(batch.alreadyPaid, 1);
    assert.deepEqual(batch.sellers, [{ sellerId: seller, totalCents: 3000, lines: 2 }]);
    assert.deepEqual(await payouts.balances(seller), { escrowCents: 0, availableCents: 0, paidCents: 4500 });
    await assert.rejects(payouts.markPaid(admin, rest, TX), { code: 'payouts_already_paid' });
    await assert.rejects(payouts.markPaid(admin, [], TX), { code: 'nothing_to_pay' });
    const audit = await db.many<{ action: string; target: string; ids: number[] }>(
      `SELECT action, target_id AS target, details->'payoutIds' AS ids FROM admin_audit_log
       WHERE admin_id = $1 AND target_id = $2 ORDER BY id`,
      [ADMIN, String(seller)],
    );
    assert.deepEqual(audit, [
      { action: 'payout.mark_paid', target: String(seller), ids: [first] },
      { action: 'payout.mark_paid', target: String(seller), ids: rest },
    ]);
    const history = await payouts.history(seller);
    assert.equal(history.total, 1, 'one transfer hash, one row');
    assert.equal(history.items[0]?.amountCents, 4500);
    assert.equal(history.items[0]?.lines, 3);
  });

  test('two admins marking the same lines at the same moment pay each line once', async () => {
    const sellers = [await sellerWithSales(2, 1000), await sellerWithSales(1, 2500)];
    for (const seller of sellers) await endEscrow(seller);
    await payouts.releaseEscrow(async () => {});
    const shown = (await payouts.owed(admin)).lines.filter((p) => sellers.includes(p.sellerId));
    const other = Moderator.verify(new Set([ADMIN, ADMIN + 1]), ADMIN + 1);
    const ids = shown.map((p) => p.id);
    const results = await Promise.allSettled([
      payouts.markPaid(admin, ids, TX),
      payouts.markPaid(other, ids, TX),
    ]);
    const paid = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.payouts : []));
    assert.deepEqual(paid.map((p) => p.id).sort(), [...ids].sort(), 'every line paid, none twice');
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 1);
    assert.equal((refused[0] as PromiseRejectedResult).reason.code, 'payouts_already_paid');
    const marks = await db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM admin_audit_log WHERE action = 'payout.mark_paid'
       AND target_id = ANY($1::text[])`,
      [sellers.map(String)],
    );
    assert.equal(marks.n, 2, 'one audit record per seller paid');
  });

  test('escrowed lines cannot be paid; a bad hash and a non-admin are refused', async () => {
    const seller = await sellerWithSales(1);
    const [line] = await db.many<{ id: number }>('SELECT id::int FROM payouts WHERE seller_id = $1', [
      seller,
    ]);
    await assert.rejects(payouts.markPaid(admin, [line?.id ?? 0], TX), { code: 'payout_not_available' });
    await assert.rejects(payouts.markPaid(admin, [line?.id ?? 0], 'not-a-hash'), InvalidInputError);
    await assert.rejects(payouts.markPaid(admin, [987654], TX), { code: 'payout_not_found' });
    assert.throws(() => Moderator.verify(new Set([ADMIN]), seller), NotAdminError);
    assert.equal((await payouts.balances(seller)).escrowCents, 2000);
  });
});
