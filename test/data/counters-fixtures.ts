// What the counter-consistency test needs besides the services: a seeded random generator (so a
// failing run can be replayed with its seed), a model of the facts the operations should leave,
// and the recomputation of every stored counter from the rows it counts.
import assert from 'node:assert/strict';
import type { Database } from '../../src/db/index.ts';
import type { OrderStatus, ProductStatus } from '../../src/domain/index.ts';
import { getSellerDashboard } from '../../src/repositories/analytics.ts';
import { listLibrary } from '../../src/repositories/library.ts';
import type { PayoutStatus } from '../../src/repositories/payouts.ts';
import { AppError } from '../../src/services/errors.ts';
import type { PayoutService } from '../../src/services/payouts.ts';

/** The seed of the run: COUNTERS_SEED when set, else a fixed default so CI is deterministic. */
export function counterSeed(): number {
  const given = process.env.COUNTERS_SEED;
  if (given === undefined || given === '') return 20_240_611;
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`COUNTERS_SEED must be an integer, got ${given}`);
  return seed;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One key of `weights`, drawn in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return (entries.at(-1) as [K, number])[0];
  }
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A Solana transaction signature shape (88 base58 characters). */
export function fakeTxHash(random: Random): string {
  let hash = '';
  for (let i = 0; i < 88; i++) hash += BASE58[random.int(0, BASE58.length - 1)];
  return hash;
}

/** What a call gave: its value, or the `code` of the typed refusal. Anything else is a crash. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

export async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, code: error.code };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The model: what the operations should have left, kept by the test as it goes.

export interface ModelProduct {
  id: string;
  sellerId: number;
  priceCents: number;
  /** 'gone': hard-deleted, the row must not exist. */
  status: ProductStatus | 'gone';
  hasFile: boolean;
  /** Detail views by someone other than the owner while it was visible. */
  views: number;
}

export interface ModelOrder {
  id: string;
  buyerId: number;
  productId: string;
  sellerId: number;
  priceCents: number;
  status: OrderStatus;
  /** NOWPayments payment id of the order's payment (null: free, or no payment asked yet). */
  paymentId: string | null;
  /** The payout line's status, 'none' while there is none. */
  payout: PayoutStatus | 'none';
}

export class Model {
  readonly buyers: number[] = [];
  readonly sellers: number[] = [];
  readonly products = new Map<string, ModelProduct>();
  readonly orders = new Map<string, ModelOrder>();
  /** `${buyerId}:${productId}` → stars. */
  readonly reviews = new Map<string, number>();

  users(): number[] {
    return [...this.buyers, ...this.sellers];
  }

  paidOrder(buyerId: number, productId: string): ModelOrder | undefined {
    return [...this.orders.values()].find(
      (o) => o.buyerId === buyerId && o.productId === productId && o.status === 'paid',
    );
  }

  openOrder(buyerId: number, productId: string): ModelOrder | undefined {
    return [...this.orders.values()].find(
      (o) =>
        o.buyerId === buyerId &&
        o.productId === productId &&
        ['pending', 'waiting', 'partially_paid'].includes(o.status),
    );
  }

  hasOrders(productId: string): boolean {
    return [...this.orders.values()].some((o) => o.productId === productId);
  }

  ordersWhere(match: (order: ModelOrder) => boolean): ModelOrder[] {
    return [...this.orders.values()].filter(match);
  }

  liveProducts(): ModelProduct[] {
    return [...this.products.values()].filter((p) => p.status !== 'gone');
  }
}

// ---------------------------------------------------------------------------------------------
// The recomputation. Each check compares a stored counter with (a) the rows it counts, read with
// SQL independent of the services, and (b) the model. `context` says where the run was.

type ProductCounters = {
  id: string;
  status: ProductStatus;
  salesCount: number;
  paidOrders: number;
  reviewsCount: number;
  reviewRows: number;
  ratingSum: number;
  reviewStars: number;
  viewsCount: number;
  rating: string | null;
};

/** Where the counters are read: the rows, and the balances as the payout service shows them. */
export interface CounterSources {
  db: Database;
  payouts: Pick<PayoutService, 'balances'>;
}

export async function assertCountersConsistent(
  { db, payouts }: CounterSources,
  model: Model,
  context: string,
): Promise<void> {
  const rows = await db.many<ProductCounters>(
    `SELECT p.id, p.status, p.sales_count AS "salesCount",
            (SELECT count(*)::int FROM orders o WHERE o.product_id = p.id AND o.status = 'paid') AS "paidOrders",
            p.reviews_count AS "reviewsCount",
            (SELECT count(*)::int FROM reviews r WHERE r.product_id = p.id) AS "reviewRows",
            p.rating_sum AS "ratingSum",
            (SELECT coalesce(sum(r.rating), 0)::int FROM reviews r WHERE r.product_id = p.id) AS "reviewStars",
            p.views_count AS "viewsCount", p.rating::text AS rating
     FROM products p`,
  );
  const stored = new Map(rows.map((row) => [row.id, row]));
  for (const product of model.products.values()) {
    const row = stored.get(product.id);
    const where = `${context}, product ${product.id}`;
    if (product.status === 'gone') {
      assert.equal(row, undefined, `${where}: a hard-deleted product is still stored`);
      continue;
    }
    assert.ok(row, `${where}: the product row is missing`);
    assert.equal(row.status, product.status, `${where}: status`);
    const paid = model.ordersWhere((o) => o.productId === product.id && o.status === 'paid').length;
    assert.equal(row.salesCount, row.paidOrders, `${where}: sales_count differs from its paid orders`);
    assert.equal(row.salesCount, paid, `${where}: sales_count differs from the model`);
    const reviews = [...model.reviews].filter(([key]) => key.endsWith(`:${product.id}`));
    assert.equal(row.reviewsCount, row.reviewRows, `${where}: reviews_count differs from its reviews`);
    assert.equal(row.ratingSum, row.reviewStars, `${where}: rating_sum differs from its reviews' stars`);
    assert.equal(row.reviewsCount, reviews.length, `${where}: reviews_count differs from the model`);
    assert.equal(
      row.ratingSum,
      reviews.reduce((sum, [, stars]) => sum + stars, 0),
      `${where}: rating_sum differs from the model`,
    );
    assert.equal(row.rating, averageToTheCent(row.reviewStars, row.reviewRows), `${where}: rating`);
    assert.equal(row.viewsCount, product.views, `${where}: views_count differs from the views made`);
  }
  assert.equal(stored.size, model.liveProducts().length, `${context}: products nobody created are stored`);

  await assertOrdersAndPayouts(db, model, context);
  await assertSellerTotals(db, payouts, model, context);
  await assertLibraries(db, model, context);
}

/** The generated rating column without imported reviews: sum / count, to the cent, half up. */
function averageToTheCent(stars: number, count: number): string | null {
  if (count === 0) return null;
  return (Math.floor((200 * stars + count) / (2 * count)) / 100).toFixed(2);
}

async function assertOrdersAndPayouts(db: Database, model: Model, context: string): Promise<void> {
  const rows = await db.many<{
    id: string;
    status: OrderStatus;
    priceCents: number;
    sellerId: number;
    wasPaid: boolean;
    payouts: number;
    payoutStatus: PayoutStatus | null;
    payoutAmount: number | null;
    payoutSeller: number | null;
  }>(
    `SELECT o.id, o.status, o.price_cents AS "priceCents", o.seller_id::float8 AS "sellerId",
            o.paid_at IS NOT NULL AS "wasPaid",
            (SELECT count(*)::int FROM payouts x WHERE x.order_id = o.id) AS payouts,
            po.status AS "payoutStatus", po.amount_cents AS "payoutAmount", po.seller_id::float8 AS "payoutSeller"
     FROM orders o LEFT JOIN payouts po ON po.order_id = o.id`,
  );
  assert.equal(rows.length, model.orders.size, `${context}: number of orders`);
  for (const row of rows) {
    const order = model.orders.get(row.id);
    const where = `${context}, order ${row.id}`;
    assert.ok(order, `${where}: an order nobody placed`);
    assert.equal(row.status, order.status, `${where}: status`);
    assert.ok(row.payouts <= 1, `${where}: ${row.payouts} payout lines`);
    // The rule, from the facts alone: an order of a paid product that was ever paid owes exactly
    // one line; once refunded the line is cancelled, or stays paid if the seller was already paid.
    const owed = row.priceCents > 0 && row.wasPaid;
    assert.equal(row.payouts, owed ? 1 : 0, `${where}: payout lines of a ${row.status} order`);
    if (row.status === 'paid') assert.notEqual(row.payoutStatus, 'cancelled', `${where}: cancelled payout`);
    if (row.status === 'refunded' && owed) {
      assert.ok(['cancelled', 'paid'].includes(row.payoutStatus ?? ''), `${where}: payout of a refund`);
    }
    if (row.payouts === 1) {
      assert.equal(row.payoutAmount, row.priceCents, `${where}: payout amount`);
      assert.equal(row.payoutSeller, row.sellerId, `${where}: payout seller`);
    }
    assert.equal(row.payoutStatus ?? 'none', order.payout, `${where}: payout status differs from the model`);
  }
}

async function assertSellerTotals(
  db: Database,
  payouts: CounterSources['payouts'],
  model: Model,
  context: string,
): Promise<void> {
  for (const sellerId of model.sellers) {
    const where = `${context}, seller ${sellerId}`;
    const facts = await db.one<{ escrowCents: number; availableCents: number; paidCents: number }>(
      `SELECT coalesce(sum(amount_cents) FILTER (WHERE status = 'escrow'), 0)::int AS "escrowCents",
              coalesce(sum(amount_cents) FILTER (WHERE status = 'available'), 0)::int AS "availableCents",
              coalesce(sum(amount_cents) FILTER (WHERE status = 'paid'), 0)::int AS "paidCents"
       FROM payouts WHERE seller_id = $1`,
      [sellerId],
    );
    const theirs = model.ordersWhere((o) => o.sellerId === sellerId);
    const sum = (status: PayoutStatus) =>
      theirs.filter((o) => o.payout === status).reduce((total, o) => total + o.priceCents, 0);
    const expected = { escrowCents: sum('escrow'), availableCents: sum('available'), paidCents: sum('paid') };
    assert.deepEqual(facts, expected, `${where}: payout sums differ from the model`);
    assert.deepEqual(await payouts.balances(sellerId), expected, `${where}: balances`);

    const paid = theirs.filter((o) => o.status === 'paid');
    const dashboard = await getSellerDashboard(db, sellerId);
    assert.equal(dashboard.salesCount, paid.length, `${where}: dashboard sales`);
    assert.equal(
      dashboard.revenueCents,
      paid.reduce((total, o) => total + o.priceCents, 0),
      `${where}: dashboard revenue`,
    );
    const shown = model
      .liveProducts()
      .filter((p) => p.sellerId === sellerId && p.status !== 'deleted')
      .reduce((total, p) => total + p.views, 0);
    assert.equal(dashboard.viewsCount, shown, `${where}: dashboard views`);
  }
}

async function assertLibraries(db: Database, model: Model, context: string): Promise<void> {
  for (const buyerId of model.users()) {
    const library = await listLibrary(db, buyerId, { limit: 100 });
    const expected = model
      .ordersWhere((o) => o.buyerId === buyerId && o.status === 'paid')
      .map((o) => o.id)
      .sort();
    assert.equal(library.total, expected.length, `${context}, buyer ${buyerId}: library size`);
    assert.deepEqual(
      library.items.map((item) => item.orderId).sort(),
      expected,
      `${context}, buyer ${buyerId}: library entries (deleted products included)`,
    );
  }
}
