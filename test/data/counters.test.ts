// Counters never drift: a seeded random sequence of sales, refunds, reviews, views, deletions
// and payouts runs through the real services (checkout and completion fed by the NOWPayments
// simulator's signed IPNs), then every stored counter is recomputed from the rows it counts and
// from a model of what the operations did. Replay a failure with COUNTERS_SEED=<seed>.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { AdvanceTarget } from '../../src/dev/nowpayments-simulator/index.ts';
import { listLibrary } from '../../src/repositories/library.ts';
import { createAccountService } from '../../src/services/accounts.ts';
import { createCatalogService } from '../../src/services/catalog.ts';
import { createModerationService } from '../../src/services/moderation.ts';
import { createProductFileService } from '../../src/services/product-files.ts';
import { createProductService } from '../../src/services/products.ts';
import { createReviewService } from '../../src/services/reviews.ts';
import { buildProductKey } from '../../src/storage/index.ts';
import { COINS, commerceDatabase, startHarness } from '../commerce/fixtures.ts';
import {
  assertCountersConsistent,
  attempt,
  counterSeed,
  fakeTxHash,
  Model,
  type ModelOrder,
  type ModelProduct,
  type Outcome,
  Random,
} from './counters-fixtures.ts';

const db = await commerceDatabase(12);
// Escrow ends at once, so the release and "mark paid" operations have lines to move.
const h = await startHarness(db, { escrowSeconds: 0 });
const { storage, payouts, downloads } = h;
const ADMIN_ID = 999_000;
const accounts = createAccountService({ db });
const catalog = createCatalogService({ db, storage });
const products = createProductService({ db, storage });
const files = createProductFileService({ db, storage });
const reviews = createReviewService({ db });
const moderation = createModerationService({ db, adminIds: new Set([ADMIN_ID]) });
const admin = moderation.moderator(ADMIN_ID);
const categoryIds = (await db.many<{ id: number }>('SELECT id FROM categories ORDER BY id')).map((c) => c.id);

const OPERATIONS = 300;
type OperationName =
  | 'buyer'
  | 'seller'
  | 'product'
  | 'activate'
  | 'buy'
  | 'settle'
  | 'refund'
  | 'review'
  | 'view'
  | 'delete'
  | 'ban'
  | 'release'
  | 'payout';
const CHECK_EVERY = 50;

/** Ids of users across the whole file, so the targeted tests never meet the random run's users. */
let nextUserId = 10_000;

async function newBuyer(): Promise<number> {
  const id = ++nextUserId;
  await accounts.registerUser({ id, first_name: `Buyer ${id}`, language_code: 'fr' });
  return id;
}

async function newSeller(): Promise<number> {
  const id = ++nextUserId;
  await accounts.registerUser({ id, first_name: `Seller ${id}`, language_code: 'en' });
  await accounts.registerSeller(id, {
    email: `seller${id}@example.com`,
    payoutAddress: 'So11111111111111111111111111111111111111112',
  });
  return id;
}

/** A draft through the seller's service, its file written to storage and attached. */
async function newProduct(sellerId: number, priceCents: number, categoryId: number, withFile = true) {
  const draft = await products.create(sellerId, {
    title: `Guide numéro ${nextUserId}-${priceCents}`,
    description: 'Un guide pour apprendre.',
    categoryId,
    priceCents,
  });
  if (withFile) {
    const storageKey = buildProductKey({
      sellerId,
      productId: draft.id,
      kind: 'file',
      fileName: 'guide.pdf',
    });
    const bytes = Buffer.from(`the guide of ${draft.id}`);
    const put = await storage.put(storageKey, bytes, { contentType: 'application/pdf' });
    await files.attach(sellerId, draft.id, {
      kind: 'file',
      storageKey,
      originalName: 'guide.pdf',
      sizeBytes: put.size,
      contentType: 'application/pdf',
      sha256: put.sha256,
    });
  }
  return draft;
}

/** Pays an order through the simulator: waiting → … → finished, each step a signed IPN to our server. */
async function buyAndPay(buyerId: number, productId: string, coin = 'usdtsol') {
  const { order } = await h.checkout.startOrder(buyerId, productId);
  const payment = await h.checkout.payOrder(buyerId, order.id, coin);
  await h.sim.advance(payment.paymentId, 'finished');
  return { orderId: order.id, paymentId: payment.paymentId };
}

function refusal(outcome: Outcome<unknown>): string {
  return outcome.ok ? 'ok' : outcome.code;
}

describe('stored counters', () => {
  // Stops the job workers before the file's database is dropped (root `after` hooks run in
  // registration order, and the drop was registered first).
  after(() => h.jobs.stop({ timeoutMs: 2_000 }));

  test('after a random sequence of operations every counter equals its recomputation from the facts', async (t) => {
    const seed = counterSeed();
    t.diagnostic(`COUNTERS_SEED=${seed}`);
    const random = new Random(seed);
    const model = new Model();
    const history: string[] = [];
    const context = (step: number) =>
      `seed ${seed}, after operation ${step}; last operations:\n  ${history.slice(-12).join('\n  ')}`;

    /** Asserts what the service answered against what the model predicted, with the history. */
    const expectOutcome = (step: number, got: Outcome<unknown>, expected: string) => {
      assert.equal(refusal(got), expected, `${context(step)}\n  expected ${expected}, got ${refusal(got)}`);
    };

    const liveProducts = (match: (p: ModelProduct) => boolean = () => true) =>
      model.liveProducts().filter(match);

    // Each operation returns a one-line description for the history, after checking the outcome.
    // One with nothing to act on creates a product instead.
    const operations: Record<OperationName, (step: number) => Promise<string>> = {
      async buyer() {
        const id = await newBuyer();
        model.buyers.push(id);
        return `buyer ${id}`;
      },

      async seller() {
        const id = await newSeller();
        model.sellers.push(id);
        return `seller ${id}`;
      },

      async product() {
        const sellerId = random.pick(model.sellers);
        const priceCents = random.chance(0.15) ? 0 : random.pick([999, 1250, 2500, 4799, 4800, 9999, 50_000]);
        const withFile = random.chance(0.9);
        const draft = await newProduct(sellerId, priceCents, random.pick(categoryIds), withFile);
        const product: ModelProduct = {
          id: draft.id,
          sellerId,
          priceCents,
          status: 'draft',
          hasFile: withFile,
          views: 0,
        };
        model.products.set(product.id, product);
        if (withFile && random.chance(0.85)) {
          await products.activate(sellerId, product.id);
          product.status = 'active';
        }
        return `product ${product.id} of ${sellerId} at ${priceCents} (${product.status}, file: ${withFile})`;
      },

      async activate(step) {
        if (liveProducts().length === 0) return operations.product(step);
        const product = random.pick(liveProducts());
        const actor = random.chance(0.9) ? product.sellerId : random.pick(model.users());
        const toActive = random.chance(0.6);
        const got = await attempt(() =>
          toActive ? products.activate(actor, product.id) : products.deactivate(actor, product.id),
        );
        const to = toActive ? 'active' : 'inactive';
        let expected = 'ok';
        if (actor !== product.sellerId) expected = 'not_owner';
        else if (product.status === 'deleted') expected = 'product_deleted';
        else if (product.status === to) expected = 'ok';
        else if (product.status === 'banned') expected = 'product_banned';
        else if (product.status === 'draft' && to === 'inactive') expected = 'product_transition_forbidden';
        else if (to === 'active' && !product.hasFile) expected = 'product_file_missing';
        expectOutcome(step, got, expected);
        if (got.ok) product.status = to;
        return `${to} ${product.id} by ${actor}: ${refusal(got)}`;
      },

      async buy(step) {
        if (liveProducts().length === 0) return operations.product(step);
        const active = liveProducts((p) => p.status === 'active');
        const product =
          random.chance(0.85) && active.length > 0 ? random.pick(active) : random.pick(liveProducts());
        // Now and then the seller tries their own product.
        const buyerId = random.chance(0.9) ? random.pick(model.users()) : product.sellerId;
        const got = await attempt(() => h.checkout.startOrder(buyerId, product.id));
        const open = model.openOrder(buyerId, product.id);
        let expected = 'ok';
        if (product.status !== 'active') expected = 'product_unavailable';
        else if (buyerId === product.sellerId) expected = 'own_product';
        else if (model.paidOrder(buyerId, product.id)) expected = 'already_owned';
        expectOutcome(step, got, expected);
        if (!got.ok) return `buy ${product.id} by ${buyerId}: ${got.code}`;

        const { order, reused } = got.value;
        assert.equal(reused, open !== undefined, `${context(step)}\n  reuse of the open checkout`);
        if (open) {
          assert.equal(order.id, open.id, `${context(step)}\n  the open checkout is the one reused`);
          return `buy ${product.id} by ${buyerId}: reused ${order.id}`;
        }
        const placed: ModelOrder = {
          id: order.id,
          buyerId,
          productId: product.id,
          sellerId: product.sellerId,
          priceCents: product.priceCents,
          status: product.priceCents === 0 ? 'paid' : 'pending',
          paymentId: null,
          payout: 'none',
        };
        model.orders.set(placed.id, placed);
        if (product.priceCents === 0 || random.chance(0.05))
          return `buy ${product.id} by ${buyerId}: ${placed.status}`;
        return `buy ${product.id} by ${buyerId}: ${await pay(step, placed)}`;
      },

      /** Moves an open checkout on: pays it, lets it expire or fail, or refunds a partial payment. */
      async settle(step) {
        const open = model.ordersWhere((o) => ['pending', 'waiting', 'partially_paid'].includes(o.status));
        if (open.length === 0) return operations.buy(step);
        const order = random.pick(open);
        if (order.status === 'pending') return `settle ${order.id}: ${await pay(step, order)}`;
        if (order.status === 'partially_paid') {
          await advance(step, order.paymentId as string, 'refunded');
          order.status = 'refunded';
          return `settle ${order.id}: partial payment refunded`;
        }
        const to = random.weighted({ finished: 6, expired: 2, failed: 2 } as const);
        await advance(step, order.paymentId as string, to);
        applyPaymentOutcome(order, to);
        return `settle ${order.id}: ${to}`;
      },

      async refund(step) {
        const paid = model.ordersWhere((o) => o.status === 'paid' && o.paymentId !== null);
        if (paid.length === 0) return operations.settle(step);
        const order = random.pick(paid);
        await advance(step, order.paymentId as string, 'refunded');
        order.status = 'refunded';
        // Money already sent to the seller stays paid (an admin settles it by hand).
        if (order.payout === 'escrow' || order.payout === 'available') order.payout = 'cancelled';
        return `refund ${order.id} (payout now ${order.payout})`;
      },

      async review(step) {
        const ordered = [...model.orders.values()];
        let buyerId: number;
        let productId: string;
        if (ordered.length > 0 && random.chance(0.85)) {
          ({ buyerId, productId } = random.pick(ordered));
        } else {
          buyerId = random.pick(model.users());
          productId = random.pick([...model.products.keys()]);
        }
        const key = `${buyerId}:${productId}`;
        const stars = random.int(1, 5);
        const text = random.chance(0.5) ? null : `Avis ${stars} étoiles, très clair.`;
        const edit = model.reviews.has(key) && random.chance(0.5);
        const got = await attempt(async () =>
          edit
            ? { review: await reviews.edit(buyerId, productId, { rating: stars, text }), created: false }
            : reviews.leave(buyerId, productId, { rating: String(stars), text }),
        );
        expectOutcome(step, got, model.paidOrder(buyerId, productId) ? 'ok' : 'review_requires_purchase');
        if (got.ok) {
          assert.equal(got.value.created, !model.reviews.has(key), `${context(step)}\n  created or replaced`);
          assert.equal(got.value.review.rating, stars, `${context(step)}\n  stars stored`);
        }
        if (got.ok) model.reviews.set(key, stars);
        return `${edit ? 'edit' : 'leave'} review ${stars}★ of ${productId} by ${buyerId}: ${refusal(got)}`;
      },

      async view(step) {
        const product = random.pick([...model.products.values()]);
        const viewerId = random.chance(0.85) ? random.pick(model.users()) : product.sellerId;
        const got = await attempt(() => catalog.viewProduct(viewerId, product.id));
        const owner = viewerId === product.sellerId;
        const visible =
          product.status !== 'gone' && (owner ? product.status !== 'deleted' : product.status === 'active');
        expectOutcome(step, got, visible ? 'ok' : 'product_not_found');
        if (visible && !owner) product.views++;
        if (got.ok) assert.equal(got.value.viewsCount, product.views, `${context(step)}\n  views shown`);
        return `view ${product.id} by ${viewerId}: ${refusal(got)}`;
      },

      async delete(step) {
        const candidates = liveProducts();
        if (candidates.length === 0) return operations.product(step);
        // Sold products most of the time: soft deletion is what buyers' libraries depend on.
        const sold = candidates.filter((p) => model.hasOrders(p.id));
        const product = random.chance(0.6) && sold.length > 0 ? random.pick(sold) : random.pick(candidates);
        const got = await attempt(() => products.delete(product.sellerId, product.id));
        expectOutcome(step, got, product.status === 'deleted' ? 'product_deleted' : 'ok');
        if (!got.ok) return `delete ${product.id}: ${got.code}`;
        const mode = model.hasOrders(product.id) ? 'soft' : 'hard';
        assert.equal(got.value.mode, mode, `${context(step)}\n  deletion mode`);
        if (mode === 'hard') assert.equal(got.value.removedKeys.length, product.hasFile ? 1 : 0);
        product.status = mode === 'soft' ? 'deleted' : 'gone';
        return `delete ${product.id}: ${mode}`;
      },

      async ban(step) {
        // Only products with a file: a file-less draft cannot be banned (see the report).
        const bannable = liveProducts((p) => p.hasFile);
        if (bannable.length === 0) return operations.product(step);
        const product = random.pick(bannable);
        if (product.status === 'banned') {
          const to = random.pick(['active', 'inactive'] as const);
          const got = await attempt(() => moderation.restoreProduct(admin, product.id, to));
          expectOutcome(step, got, 'ok');
          product.status = to;
          return `restore ${product.id} to ${to}`;
        }
        const got = await attempt(() => moderation.banProduct(admin, product.id, 'Contenu copié'));
        expectOutcome(step, got, product.status === 'deleted' ? 'product_deleted' : 'ok');
        if (got.ok) product.status = 'banned';
        return `ban ${product.id}: ${refusal(got)}`;
      },

      async release() {
        const result = await payouts.releaseEscrow(async () => {});
        const due = model.ordersWhere((o) => o.payout === 'escrow');
        assert.equal(result.released, due.length, 'released lines');
        for (const order of due) order.payout = 'available';
        return `release ${result.released}`;
      },

      async payout(step) {
        const withLines = model.ordersWhere((o) => o.payout !== 'none');
        if (withLines.length === 0) return operations.release(step);
        if (random.chance(0.3)) {
          const sellerId = random.pick(withLines).sellerId;
          const available = model.ordersWhere((o) => o.sellerId === sellerId && o.payout === 'available');
          const owed = (await payouts.owed(admin, { sellerId })).lines.map((p) => p.id);
          const got = await attempt(() => payouts.markPaid(admin, owed, fakeTxHash(random)));
          expectOutcome(step, got, available.length > 0 ? 'ok' : 'nothing_to_pay');
          for (const order of available) order.payout = 'paid';
          return `pay all of seller ${sellerId}: ${available.length} lines`;
        }
        const order = random.pick(withLines);
        const line = await db.one<{ id: number }>(
          'SELECT id::float8 AS id FROM payouts WHERE order_id = $1',
          [order.id],
        );
        const got = await attempt(() => payouts.markPaid(admin, [line.id], fakeTxHash(random)));
        expectOutcome(step, got, order.payout === 'available' ? 'ok' : 'payout_not_available');
        if (got.ok) order.payout = 'paid';
        return `pay line of ${order.id}: ${refusal(got)}`;
      },
    };

    /** Asks for a payment in a random coin and drives it to a random provider status. */
    async function pay(step: number, order: ModelOrder): Promise<string> {
      const coin = random.pick(COINS);
      const instructions = await h.checkout.payOrder(order.buyerId, order.id, coin);
      order.paymentId = instructions.paymentId;
      order.status = 'waiting';
      const to = random.weighted({
        finished: 14,
        none: 2,
        partially_paid: 2,
        expired: 1,
        failed: 1,
      } as const);
      if (to === 'none') return `waiting (${coin})`;
      await advance(step, instructions.paymentId, to);
      applyPaymentOutcome(order, to);
      return `${to} (${coin})`;
    }

    /** The simulator moves the payment and posts each step's signed IPN to our server. */
    async function advance(step: number, paymentId: string, to: AdvanceTarget): Promise<void> {
      const { deliveries } = await h.sim.advance(paymentId, to);
      const answers = deliveries.map((d) => d.httpStatus);
      assert.ok(
        answers.length > 0 && answers.every((s) => s === 200),
        `${context(step)}\n  IPN answers ${answers}`,
      );
    }

    function applyPaymentOutcome(
      order: ModelOrder,
      to: 'finished' | 'partially_paid' | 'expired' | 'failed',
    ) {
      order.status = to === 'finished' ? 'paid' : to;
      if (to === 'finished') order.payout = 'escrow';
    }

    // Some people and products first, so the early draws have something to act on.
    for (const op of [
      'seller',
      'seller',
      'buyer',
      'buyer',
      'buyer',
      'product',
      'product',
      'product',
    ] as const) {
      history.push(await operations[op](0));
    }
    const weights: Record<OperationName, number> = {
      buyer: 4,
      seller: 2,
      product: 8,
      activate: 6,
      buy: 30,
      settle: 6,
      refund: 6,
      review: 14,
      view: 12,
      delete: 4,
      ban: 2,
      release: 3,
      payout: 5,
    };
    for (let step = 1; step <= OPERATIONS; step++) {
      const name = random.weighted(weights);
      history.push(`${step}. ${await operations[name](step)}`);
      if (step % CHECK_EVERY === 0) await assertCountersConsistent(h, model, context(step));
    }

    // The run must have exercised what it claims to: otherwise a change of weights hides nothing.
    const statuses = new Set([...model.orders.values()].map((o) => o.status));
    for (const status of ['paid', 'refunded'] as const) assert.ok(statuses.has(status), `no ${status} order`);
    assert.ok(model.reviews.size > 0, 'no review');
    assert.ok(
      model.liveProducts().some((p) => p.status === 'deleted' && model.hasOrders(p.id)),
      'no soft-deleted product',
    );
    assert.ok(
      [...model.orders.values()].some((o) => o.payout === 'paid'),
      'no payout paid',
    );
    t.diagnostic(
      `${model.orders.size} orders, ${model.reviews.size} reviews, ${model.products.size} products, ` +
        `${model.buyers.length + model.sellers.length} users`,
    );
  });

  test('two buyers buying the same product at the same time each get one order, paid once', async () => {
    const sellerId = await newSeller();
    const product = await newProduct(sellerId, 2500, categoryIds[0] as number);
    await products.activate(sellerId, product.id);
    const [first, second] = [await newBuyer(), await newBuyer()];
    // Each buyer also taps twice: four checkouts at once give two orders, one per buyer.
    const started = await Promise.all(
      [first, second, first, second].map((buyerId) => h.checkout.startOrder(buyerId, product.id)),
    );
    const orderOf = (buyerId: number) =>
      new Set(started.filter((_, i) => i % 2 === (buyerId === first ? 0 : 1)).map((s) => s.order.id));
    assert.equal(orderOf(first).size, 1);
    assert.equal(orderOf(second).size, 1);
    const orderIds = [...orderOf(first), ...orderOf(second)];
    assert.notEqual(orderIds[0], orderIds[1]);

    const payments = await Promise.all(
      [first, second].map((buyerId, i) => h.checkout.payOrder(buyerId, orderIds[i] as string, 'usdtsol')),
    );
    await Promise.all(payments.map((p) => h.sim.advance(p.paymentId, 'finished')));
    // The same IPNs again, all at once: nothing counts twice.
    await Promise.all(payments.map((p) => h.sim.resendIpn(p.paymentId, { copies: 3 })));

    const facts = await db.one<{ sales: number; paid: number; payouts: number }>(
      `SELECT p.sales_count AS sales,
            (SELECT count(*)::int FROM orders o WHERE o.product_id = p.id AND o.status = 'paid') AS paid,
            (SELECT count(*)::int FROM payouts po JOIN orders o ON o.id = po.order_id WHERE o.product_id = p.id) AS payouts
     FROM products p WHERE p.id = $1`,
      [product.id],
    );
    assert.deepEqual(facts, { sales: 2, paid: 2, payouts: 2 });
    const balances = await db.one<{ escrow: number }>(
      `SELECT coalesce(sum(amount_cents), 0)::int AS escrow FROM payouts WHERE seller_id = $1 AND status = 'escrow'`,
      [sellerId],
    );
    assert.equal(balances.escrow, 5000);
  });

  test('the same review posted twice at the same time is one review, counted once', async () => {
    const sellerId = await newSeller();
    const product = await newProduct(sellerId, 1250, categoryIds[0] as number);
    await products.activate(sellerId, product.id);
    for (let round = 0; round < 5; round++) {
      const buyerId = await newBuyer();
      await buyAndPay(buyerId, product.id);
      const posted = await Promise.all([
        reviews.leave(buyerId, product.id, { rating: 5, text: 'Excellent, je recommande.' }),
        reviews.leave(buyerId, product.id, { rating: 2, text: null }),
      ]);
      assert.deepEqual(posted.map((p) => p.created).sort(), [false, true], 'one insert, one edit');
    }
    const facts = await db.one<{ count: number; sum: number; rows: number; stars: number }>(
      `SELECT p.reviews_count AS count, p.rating_sum AS sum,
            (SELECT count(*)::int FROM reviews r WHERE r.product_id = p.id) AS rows,
            (SELECT coalesce(sum(r.rating), 0)::int FROM reviews r WHERE r.product_id = p.id) AS stars
     FROM products p WHERE p.id = $1`,
      [product.id],
    );
    assert.equal(facts.rows, 5);
    assert.equal(facts.count, 5);
    assert.equal(facts.sum, facts.stars);
  });

  test('a deleted sold product stays in the buyer library and downloadable; an unsold one is removed', async () => {
    const sellerId = await newSeller();
    const sold = await newProduct(sellerId, 999, categoryIds[0] as number);
    await products.activate(sellerId, sold.id);
    const unsold = await newProduct(sellerId, 999, categoryIds[0] as number);
    const buyerId = await newBuyer();
    const { orderId } = await buyAndPay(buyerId, sold.id);

    assert.equal((await products.delete(sellerId, sold.id)).mode, 'soft');
    const removed = await products.delete(sellerId, unsold.id);
    assert.equal(removed.mode, 'hard');
    assert.equal(removed.removedKeys.length, 1);
    assert.equal(await storage.stat(removed.removedKeys[0] as string), null);

    const entries = await listLibrary(db, buyerId);
    assert.deepEqual(
      entries.items.map((item) => [item.orderId, item.productStatus, item.title]),
      [[orderId, 'deleted', sold.title]],
    );
    const { token } = await downloads.createLink(buyerId, orderId);
    const delivery = await downloads.open(token);
    assert.equal(delivery.kind, 'stream');
    const { file } = delivery;
    assert.equal(Buffer.concat(await delivery.body.toArray()).toString(), `the guide of ${sold.id}`);
    assert.equal(file.orderId, orderId);
    assert.equal(file.fileName, 'guide.pdf');
    assert.ok(await storage.stat(file.storageKey), 'the sold file is still in storage');
    // The deleted product is not for sale any more.
    await assert.rejects(h.checkout.startOrder(await newBuyer(), sold.id), { code: 'product_unavailable' });
  });
});
