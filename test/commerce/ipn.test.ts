// The IPN route and completion, driven by the NOWPayments simulator posting signed IPNs to our
// server on a real port: what pays an order, what is refused, and what may never count twice.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { ipnRoutes } from '../../src/http/ipn.ts';
import { IPN_SIGNATURE_HEADER, signIpn } from '../../src/integrations/nowpayments/index.ts';
import { createCompletionService } from '../../src/services/completion.ts';
import { respelled } from '../nowpayments/helpers.ts';
import {
  addProduct,
  addSeller,
  addUser,
  commerceDatabase,
  countRows,
  deliveryJobs,
  IPN_SECRET,
  salesCount,
  silentLog,
  startHarness,
} from './fixtures.ts';

const db = await commerceDatabase(12);
const h = await startHarness(db);

const SELLER = 3001;
let nextBuyer = 4000;
await addSeller(db, SELLER);

interface Pending {
  buyerId: number;
  productId: string;
  orderId: string;
  paymentId: string;
}

/** A buyer with an order for a $25.00 product (total $26.49) and a payment in `coin`. */
async function pendingPayment(coin = 'usdtsol'): Promise<Pending> {
  const buyerId = ++nextBuyer;
  await addUser(db, buyerId);
  const productId = await addProduct(db, SELLER, 2500);
  const { order } = await h.checkout.startOrder(buyerId, productId);
  const payment = await h.checkout.payOrder(buyerId, order.id, coin);
  return { buyerId, productId, orderId: order.id, paymentId: payment.paymentId };
}

async function orderRow(orderId: string) {
  return db.one<{ status: string; paidPaymentId: string | null; paidAt: Date | null }>(
    `SELECT status, paid_payment_id::text AS "paidPaymentId", paid_at AS "paidAt" FROM orders WHERE id = $1`,
    [orderId],
  );
}

async function paymentStatus(paymentId: string): Promise<string> {
  return (
    await db.one<{ status: string }>('SELECT status FROM payments WHERE provider_payment_id = $1', [
      paymentId,
    ])
  ).status;
}

/** What completing an order leaves behind, for "exactly once" assertions. */
async function completionFacts(p: Pending) {
  return {
    status: (await orderRow(p.orderId)).status,
    payouts: await countRows(db, 'SELECT 1 FROM payouts WHERE order_id = $1', [p.orderId]),
    deliveries: await deliveryJobs(db, p.orderId),
    sales: await salesCount(db, p.productId),
  };
}

const PAID_ONCE = { status: 'paid', payouts: 1, deliveries: 1, sales: 1 };

function notificationCount(): Promise<number> {
  return countRows(db, 'SELECT 1 FROM payment_notifications');
}

function post(body: string, signature?: string, contentType = 'application/json') {
  return h.app.inject({
    method: 'POST',
    url: '/ipn/nowpayments',
    payload: body,
    headers: {
      'content-type': contentType,
      ...(signature === undefined ? {} : { [IPN_SIGNATURE_HEADER]: signature }),
    },
  });
}

describe('accepted notifications', () => {
  test('a signed IPN with the nested fee object pays the order, with payout in escrow and delivery', async () => {
    const p = await pendingPayment();
    const { deliveries, steps } = await h.sim.advance(p.paymentId, 'finished');
    assert.deepEqual(steps, ['confirming', 'confirmed', 'sending', 'finished']);
    assert.ok(
      deliveries.every((d) => d.httpStatus === 200),
      JSON.stringify(deliveries.map((d) => d.responseBody)),
    );
    assert.ok(deliveries.every((d) => typeof d.payload.fee === 'object'));
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
    assert.equal(await paymentStatus(p.paymentId), 'finished');
    const payout = await db.one<{ amount: number; status: string; hours: number; sellerId: number }>(
      `SELECT amount_cents AS amount, status, seller_id::int AS "sellerId",
              round(extract(epoch FROM escrow_until - now()) / 3600)::int AS hours
       FROM payouts WHERE order_id = $1`,
      [p.orderId],
    );
    assert.deepEqual(payout, { amount: 2500, status: 'escrow', hours: 24, sellerId: SELLER });
    // Every notification is stored raw, fee included, and marked processed.
    const stored = await db.many<{ body: { fee?: unknown }; processed: boolean; error: string | null }>(
      `SELECT body, processed_at IS NOT NULL AS processed, processing_error AS error
       FROM payment_notifications WHERE provider_payment_id = $1 ORDER BY id`,
      [p.paymentId],
    );
    assert.equal(stored.length, 4);
    assert.ok(stored.every((n) => n.processed && n.error === null && typeof n.body.fee === 'object'));
  });

  test('confirmed then finished: waiting until the money arrives, then paid', async () => {
    const p = await pendingPayment('eth');
    await h.sim.advance(p.paymentId, 'confirmed');
    assert.equal((await orderRow(p.orderId)).status, 'waiting');
    assert.equal(await paymentStatus(p.paymentId), 'confirmed');
    assert.equal((await completionFacts(p)).payouts, 0);
    await h.sim.advance(p.paymentId, 'finished');
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
  });

  test('finished arriving before confirming: paid once, the late statuses change nothing', async () => {
    const p = await pendingPayment('sol');
    const { deliveries } = await h.sim.advance(p.paymentId, 'finished', { outOfOrder: true });
    assert.deepEqual(
      deliveries.map((d) => d.paymentStatus),
      ['finished', 'sending', 'confirmed', 'confirming'],
    );
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
    assert.equal(await paymentStatus(p.paymentId), 'finished');
  });

  test('the same IPN replayed is stored once and applied once', async () => {
    const p = await pendingPayment();
    await h.sim.advance(p.paymentId, 'finished', { duplicate: true });
    const before = await notificationCount();
    const [replay] = await h.sim.resendIpn(p.paymentId);
    assert.equal(replay?.httpStatus, 200);
    assert.equal(JSON.parse(replay?.responseBody ?? '{}').result, 'duplicate');
    assert.equal(await notificationCount(), before);
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
  });

  test('partially paid is recorded with what is missing, and the refresh shows it', async () => {
    const p = await pendingPayment();
    await h.sim.advance(p.paymentId, 'partially_paid', { actuallyPaid: '20' });
    assert.equal((await orderRow(p.orderId)).status, 'partially_paid');
    const state = await h.completion.refresh(p.buyerId, p.orderId);
    assert.equal(state.order.status, 'partially_paid');
    assert.equal(state.payment?.actuallyPaid, '20');
    assert.equal(state.missing, '6.49');
    assert.equal((await completionFacts(p)).payouts, 0);
  });
});

test('a refund after payment takes back the sale and cancels the unpaid payout', async () => {
  const p = await pendingPayment();
  await h.sim.advance(p.paymentId, 'finished');
  await h.sim.advance(p.paymentId, 'refunded');
  const facts = await completionFacts(p);
  assert.equal(facts.status, 'refunded');
  assert.equal(facts.sales, 0);
  const payout = await db.one<{ status: string }>('SELECT status FROM payouts WHERE order_id = $1', [
    p.orderId,
  ]);
  assert.equal(payout.status, 'cancelled');
});

test('a second payment of a paid order, finished then refunded, never takes the purchase back', async () => {
  const p = await pendingPayment('usdtsol');
  const second = await h.checkout.payOrder(p.buyerId, p.orderId, 'usdcsol'); // the buyer switched coin
  await h.sim.advance(p.paymentId, 'finished');
  await h.sim.advance(second.paymentId, 'finished'); // both were paid
  await h.sim.advance(second.paymentId, 'refunded'); // the extra money goes back
  assert.deepEqual(await completionFacts(p), PAID_ONCE);
  const payout = await db.one<{ status: string }>('SELECT status FROM payouts WHERE order_id = $1', [
    p.orderId,
  ]);
  assert.equal(payout.status, 'escrow');
});

describe('refused notifications', () => {
  test('a wrong or missing signature gets 401 and writes nothing', async () => {
    const p = await pendingPayment();
    await h.sim.advance(p.paymentId, 'finished', { notify: false });
    const genuine = h.sim.payments().find((x) => String(x.payment_id) === p.paymentId);
    const body = JSON.stringify({ ...genuine, fee: { currency: 'usdtsol', depositFee: 0 } });
    const before = await notificationCount();
    for (const signature of [signIpn(JSON.parse(body), 'another-secret'), undefined, 'abc', '']) {
      const response = await post(body, signature);
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error.code, 'invalid_signature');
    }
    // Signed, then altered: the signature no longer holds.
    const tampered = await post(
      body.replace('"finished"', '"finished" '),
      signIpn(JSON.parse(body), IPN_SECRET),
    );
    assert.equal(tampered.statusCode, 200); // whitespace is not content: still the signed object
    assert.equal(
      (await post(body.replace('26.49', '2.49'), signIpn(JSON.parse(body), IPN_SECRET))).statusCode,
      401,
    );
    assert.equal(await notificationCount(), before + 1);
    assert.equal(h.ipnOutcomes.at(-1), 'unauthorized', 'refusals are counted for the metrics');
  });

  test('amount, currency and payment id must match: recorded, not completed; the genuine IPN still pays', async () => {
    const p = await pendingPayment();
    const other = await pendingPayment();
    const cases: [Record<string, unknown>, string][] = [
      [{ price_amount: 1.49 }, 'amount_mismatch'],
      [{ pay_currency: 'btc' }, 'currency_mismatch'],
      [{ price_currency: 'eur' }, 'currency_mismatch'],
      [{ order_id: other.orderId }, 'order_mismatch'],
      [{ actually_paid: 1 }, 'underpaid'],
    ];
    await h.sim.advance(p.paymentId, 'finished', { notify: false });
    for (const [override, reason] of cases) {
      const genuine = h.sim.payments().find((x) => String(x.payment_id) === p.paymentId) ?? {};
      const body = { ...genuine, ...override };
      const response = await post(JSON.stringify(body), signIpn(body, IPN_SECRET));
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().result, 'rejected');
      const stored = await db.one<{ error: string }>(
        `SELECT processing_error AS error FROM payment_notifications
         WHERE provider_payment_id = $1 ORDER BY id DESC LIMIT 1`,
        [p.paymentId],
      );
      assert.equal(stored.error, reason);
    }
    // Another payment's id with this order's data: the payment's own order must match.
    const foreign = h.sim.payments().find((x) => String(x.payment_id) === p.paymentId) ?? {};
    const swapped = { ...foreign, payment_id: Number(other.paymentId) };
    assert.equal(
      (await post(JSON.stringify(swapped), signIpn(swapped, IPN_SECRET))).json().result,
      'rejected',
    );
    assert.deepEqual(await completionFacts(p), { status: 'waiting', payouts: 0, deliveries: 0, sales: 0 });
    assert.equal((await orderRow(other.orderId)).status, 'waiting');

    const [genuine] = await h.sim.resendIpn(p.paymentId);
    assert.equal(JSON.parse(genuine?.responseBody ?? '{}').result, 'completed');
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
  });

  test('an unknown payment is stored with its reason and changes nothing', async () => {
    const body = {
      payment_id: 987654321,
      payment_status: 'finished',
      pay_address: 'x',
      price_amount: 26.49,
      price_currency: 'usd',
      pay_amount: 26.49,
      actually_paid: 26.49,
      pay_currency: 'usdtsol',
      order_id: 'O-2222222222',
      fee: { currency: 'usdtsol', depositFee: 0, withdrawalFee: 0.1, serviceFee: 0.13 },
    };
    const response = await post(JSON.stringify(body), signIpn(body, IPN_SECRET));
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().result, 'rejected');
    const stored = await db.one<{ error: string; orderId: string }>(
      `SELECT processing_error AS error, order_id AS "orderId" FROM payment_notifications
       WHERE provider_payment_id = '987654321'`,
    );
    assert.deepEqual(stored, { error: 'unknown_payment', orderId: 'O-2222222222' });
  });

  test('a signed body that is not a payment gets 400 and is kept; other media types 415', async () => {
    const body = { hello: 'world' };
    const response = await post(JSON.stringify(body), signIpn(body, IPN_SECRET));
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'invalid_payload');
    assert.equal(
      await countRows(db, `SELECT 1 FROM payment_notifications WHERE body = '{"hello":"world"}'::jsonb`),
      1,
    );
    const form = await post('a=1', 'x', 'application/x-www-form-urlencoded');
    assert.equal(form.statusCode, 415);
    assert.equal(form.json().error.code, 'unsupported_media_type');
  });
});

/** `p`'s payment moved to finished without notifying; its IPN body as the provider signs it. */
async function finishedBody(p: Pending): Promise<Record<string, unknown>> {
  await h.sim.advance(p.paymentId, 'finished', { notify: false });
  const { ipn_callback_url: _url, ...genuine } =
    h.sim.payments().find((x) => String(x.payment_id) === p.paymentId) ?? {};
  return { ...genuine, fee: { currency: 'usdtsol', depositFee: 0, withdrawalFee: 0.1, serviceFee: 0.13 } };
}

/** The JSON text of `body` with `from` (which must occur) replaced by `to`. */
function retyped(body: unknown, from: string, to: string): string {
  const text = JSON.stringify(body);
  assert.ok(text.includes(from), `${from} in ${text}`);
  return text.replace(from, to);
}

const UNPAID = { status: 'waiting', payouts: 0, deliveries: 0, sales: 0 };

describe('numbers a captured IPN could respell (issue 15)', () => {
  test('four number tricks are refused (400 inexact_number, nothing paid), kept once per signed body', async () => {
    const p = await pendingPayment();
    const body = await finishedBody(p);
    const paid = JSON.stringify(body.actually_paid);
    const unpaid = { ...body, actually_paid: null };
    const tricks: [unknown, string, string][] = [
      // Digits a double drops: the signature covers the genuine amount, the text claims more.
      [body, `"actually_paid":${paid}`, `"actually_paid":${paid}000000000000000000001`],
      [body, '"serviceFee":0.13', '"serviceFee":0.1300000000000000000001'],
      // Not finite: JSON.parse reads Infinity, which the signature covers as null.
      [unpaid, '"actually_paid":null', `"actually_paid":1${'0'.repeat(400)}`],
      [unpaid, '"actually_paid":null', '"actually_paid":1e400'],
    ];
    for (const [signed, from, to] of tricks) {
      const response = await post(retyped(signed, from, to), signIpn(signed, IPN_SECRET));
      assert.equal(response.statusCode, 400, to.slice(0, 40));
      assert.equal(response.json().error.code, 'inexact_number');
      assert.deepEqual(await completionFacts(p), UNPAID);
    }
    assert.equal(h.ipnOutcomes.at(-1), 'invalid');
    // Kept for investigation, but one row per signed body however many spellings arrive.
    const refused = await db.many<{ error: string; processed: boolean }>(
      `SELECT processing_error AS error, processed_at IS NOT NULL AS processed FROM payment_notifications
       WHERE body->>'payment_id' = $1 ORDER BY id`,
      [p.paymentId],
    );
    assert.equal(refused.length, 2, JSON.stringify(refused));
    assert.ok(
      refused.every((n) => n.processed && n.error.includes('is not the number the signature covers')),
    );

    const genuine = await post(JSON.stringify(body), signIpn(body, IPN_SECRET));
    assert.equal(genuine.json().result, 'completed');
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
  });

  test('a respelled replay (exponents, key order, spacing) is a duplicate: one payment, paid once', async () => {
    const p = await pendingPayment();
    const body = await finishedBody(p);
    const signature = signIpn(body, IPN_SECRET);
    assert.equal((await post(JSON.stringify(body), signature)).json().result, 'completed');
    const before = await notificationCount();
    const price = JSON.stringify(body.price_amount);
    const replays = [
      retyped(body, `"price_amount":${price}`, `"price_amount":${Number(price).toExponential()}`),
      respelled(body),
    ];
    for (const text of replays) {
      const replay = await post(text, signature);
      assert.equal(replay.statusCode, 200, replay.body);
      assert.equal(replay.json().result, 'duplicate', text.slice(0, 60));
    }
    assert.equal(await notificationCount(), before);
    const payment = await db.one<{ status: string; paid: string }>(
      'SELECT status, actually_paid::text AS paid FROM payments WHERE provider_payment_id = $1',
      [p.paymentId],
    );
    assert.deepEqual(payment, { status: 'finished', paid: String(body.actually_paid) });
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
  });

  test('a captured IPN wrapped in a JSON string is 401 and writes nothing', async () => {
    const p = await pendingPayment();
    const body = await finishedBody(p);
    const signature = signIpn(body, IPN_SECRET);
    const before = await notificationCount();
    const wrapped = await post(JSON.stringify(JSON.stringify(body)), signature);
    assert.equal(wrapped.statusCode, 401);
    assert.equal(wrapped.json().error.code, 'invalid_signature');
    assert.equal(await notificationCount(), before);
    assert.deepEqual(await completionFacts(p), UNPAID);
  });

  test('finished without actually_paid does not complete the order; the refresh reads the amount back', async () => {
    const p = await pendingPayment();
    const { actually_paid: _paid, ...body } = await finishedBody(p);
    for (const variant of [body, { ...body, actually_paid: null }]) {
      const response = await post(JSON.stringify(variant), signIpn(variant, IPN_SECRET));
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().result, 'rejected');
    }
    assert.deepEqual(await completionFacts(p), UNPAID);
    const stored = await db.many<{ error: string }>(
      `SELECT processing_error AS error FROM payment_notifications WHERE provider_payment_id = $1`,
      [p.paymentId],
    );
    assert.deepEqual(stored, [{ error: 'paid_amount_missing' }, { error: 'paid_amount_missing' }]);
    // Nothing is lost: the provider's own record says what arrived, and the refresh applies it.
    const state = await h.completion.refresh(p.buyerId, p.orderId);
    assert.equal(state.order.status, 'paid');
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
  });
});

describe('exactly once under concurrency', () => {
  test('50 concurrent copies of finished: one paid order, one payout, one delivery job, +1 sale', async () => {
    const p = await pendingPayment();
    const completedBefore = h.ipnOutcomes.filter((r) => r === 'completed').length;
    await h.sim.advance(p.paymentId, 'finished', { notify: false });
    const copies = await h.sim.resendIpn(p.paymentId, { copies: 50 });
    assert.ok(
      copies.every((d) => d.httpStatus === 200),
      JSON.stringify(copies.find((d) => d.httpStatus !== 200)),
    );
    const results = copies.map((d) => JSON.parse(d.responseBody).result);
    assert.equal(results.filter((r) => r === 'completed').length, 1);
    assert.equal(h.ipnOutcomes.filter((r) => r === 'completed').length - completedBefore, 1, 'counted once');
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
    assert.equal(
      await countRows(db, 'SELECT 1 FROM payment_notifications WHERE provider_payment_id = $1', [
        p.paymentId,
      ]),
      1,
    );
  });

  test('50 distinct finished events at once (no dedupe to lean on): still paid once', async () => {
    const p = await pendingPayment();
    await h.sim.advance(p.paymentId, 'finished', { notify: false });
    const genuine = h.sim.payments().find((x) => String(x.payment_id) === p.paymentId) ?? {};
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const body = { ...genuine, updated_at: new Date(Date.now() + i).toISOString() };
        return post(JSON.stringify(body), signIpn(body, IPN_SECRET));
      }),
    );
    assert.ok(responses.every((r) => r.statusCode === 200));
    assert.equal(responses.filter((r) => r.json().result === 'completed').length, 1);
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
    assert.equal(
      await countRows(db, 'SELECT 1 FROM payment_notifications WHERE provider_payment_id = $1', [
        p.paymentId,
      ]),
      50,
    );
  });

  test('refresh racing the IPN: counted once', async () => {
    const p = await pendingPayment('btc');
    await h.sim.advance(p.paymentId, 'finished', { notify: false });
    const [refreshes] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => h.completion.refresh(p.buyerId, p.orderId))),
      h.sim.resendIpn(p.paymentId, { copies: 5 }),
    ]);
    assert.ok(refreshes.every((r) => r.order.status === 'paid'));
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
  });

  test('a refresh alone pays a finished payment whose IPN was lost; another buyer cannot refresh it', async () => {
    const p = await pendingPayment();
    await h.sim.advance(p.paymentId, 'finished', { notify: false });
    await assert.rejects(h.completion.refresh(p.buyerId + 100_000, p.orderId), { code: 'order_not_found' });
    const state = await h.completion.refresh(p.buyerId, p.orderId);
    assert.equal(state.order.status, 'paid');
    assert.equal(state.payment?.status, 'finished');
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
    const sources = await db.many<{ source: string }>(
      'SELECT source FROM payment_notifications WHERE provider_payment_id = $1',
      [p.paymentId],
    );
    assert.deepEqual(sources, [{ source: 'poll' }]);
  });
});

describe('an apply that fails', () => {
  test('answers 500 and loses nothing: kept unprocessed with the error, nothing paid; the retry pays once', async () => {
    // The same wiring as the server's, but the delivery job's insert fails once (the queue's
    // table unreachable for a moment) after the event was stored and its rows locked.
    let failNext = true;
    const completion = createCompletionService({
      db,
      nowPayments: h.client,
      log: silentLog,
      enqueueDelivery: async (q, orderId) => {
        if (failNext) {
          failNext = false;
          throw new Error('job queue unavailable');
        }
        await h.jobs.enqueueDelivery(q, orderId);
      },
    });
    const app = Fastify();
    await app.register(ipnRoutes, { completion, ipnSecret: IPN_SECRET, log: silentLog });
    const p = await pendingPayment();
    const body = await finishedBody(p);
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/ipn/nowpayments',
        payload: JSON.stringify(body),
        headers: { 'content-type': 'application/json', [IPN_SIGNATURE_HEADER]: signIpn(body, IPN_SECRET) },
      });
    const failed = await send();
    assert.equal(failed.statusCode, 500, failed.body);
    assert.deepEqual(await completionFacts(p), UNPAID);
    assert.equal(await paymentStatus(p.paymentId), 'waiting');
    const kept = await db.many<{ processed: boolean; error: string | null }>(
      `SELECT processed_at IS NOT NULL AS processed, processing_error AS error FROM payment_notifications
       WHERE provider_payment_id = $1`,
      [p.paymentId],
    );
    assert.deepEqual(kept, [{ processed: false, error: 'Error: job queue unavailable' }]);

    const retried = await send();
    assert.equal(retried.statusCode, 200, retried.body);
    assert.equal(retried.json().result, 'completed');
    assert.deepEqual(await completionFacts(p), PAID_ONCE);
    const applied = await db.many<{ processed: boolean; error: string | null }>(
      `SELECT processed_at IS NOT NULL AS processed, processing_error AS error FROM payment_notifications
       WHERE provider_payment_id = $1`,
      [p.paymentId],
    );
    assert.deepEqual(applied, [{ processed: true, error: null }]);
    // The sale reached the counter at COMMIT; its change row is gone with the transaction.
    assert.equal(await countRows(db, 'SELECT 1 FROM product_sale_changes'), 0);
    assert.equal((await send()).json().result, 'duplicate');
    await app.close();
  });
});
