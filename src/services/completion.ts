// Applying what NOWPayments says about a payment: from a signed IPN, or read back when the buyer
// taps "refresh status". Both paths run the same code in one transaction that stores the event
// and locks the payment row, then the order row: concurrent copies of one notification, or an
// IPN racing a refresh, queue on the lock and the later ones find nothing left to do. Only
// `finished` pays an order, and paying is guarded, so an order is completed exactly once.
import { createHash } from 'node:crypto';
import { type Database, type Queryable, TransactionConflictError } from '../db/index.ts';
import {
  applyProviderStatus,
  centsFromDecimal,
  type OrderStatus,
  type PaymentStatus,
} from '../domain/index.ts';
import { type BusinessEvents, NO_EVENTS } from '../events.ts';
import {
  canonicalIpnJson,
  compareDecimal,
  type NowPayment,
  type NowPaymentsClient,
  NowPaymentsError,
  signedContentDigest,
  subtractDecimal,
} from '../integrations/nowpayments/index.ts';
import type { Logger } from '../log.ts';
import {
  type NotificationSource,
  recordNotificationOutcome,
  storeNotification,
} from '../repositories/notifications.ts';
import {
  countProductSale,
  getOrder,
  getOrderForBuyer,
  lockOrder,
  markOrderPaid,
  moveOrder,
  type Order,
  uncountProductSale,
} from '../repositories/orders.ts';
import {
  listOrderPayments,
  lockPaymentByProviderId,
  type Payment,
  updatePaymentFromProvider,
} from '../repositories/payments.ts';
import { cancelOrderPayout, createPayout } from '../repositories/payouts.ts';
import { NotFoundError, PaymentProviderError } from './errors.ts';

export type { Order, Payment };

/** Queues the delivery of a paid order in the caller's transaction (pg-boss `send` on `q`). */
export type EnqueueDelivery = (q: Queryable, orderId: string) => Promise<void>;

export const DEFAULT_ESCROW_SECONDS = 24 * 3600;

export interface CompletionDeps {
  db: Database;
  nowPayments: Pick<NowPaymentsClient, 'getPayment'>;
  enqueueDelivery: EnqueueDelivery;
  log: Logger;
  /** How long a seller's earnings stay in escrow. Default 24 h. */
  escrowSeconds?: number;
  /** Told when an event (notification or poll) paid an order. */
  events?: BusinessEvents;
}

/** Why an event was stored but not applied. */
export type RejectionReason =
  | 'unknown_payment'
  | 'order_mismatch'
  | 'currency_mismatch'
  | 'amount_mismatch'
  | 'underpaid'
  | 'paid_amount_missing'
  | 'order_already_paid';

export interface PaymentUpdateOutcome {
  /**
   * completed: this event paid the order. updated: statuses moved. unchanged: nothing new (stale
   * or repeated status). duplicate: the same event was already applied. rejected: see `reason`.
   */
  result: 'completed' | 'updated' | 'unchanged' | 'duplicate' | 'rejected';
  orderId: string | null;
  orderStatus: OrderStatus | null;
  paymentStatus: PaymentStatus | null;
  /** Coins still to send when partially paid (decimal string), else null. */
  missing: string | null;
  reason: RejectionReason | null;
}

export interface CompletionService {
  /**
   * Stores the event, then applies it. `rawBody` is the IPN body as received (stored as is);
   * polls store the provider's answer.
   */
  applyPaymentUpdate(
    source: NotificationSource,
    payment: NowPayment,
    rawBody?: string,
  ): Promise<PaymentUpdateOutcome>;
  /** Keeps a correctly signed body that is not a readable payment, for investigation. */
  recordUnreadable(rawBody: string, detail: string): Promise<void>;
  /** The buyer's "refresh status": asks NOWPayments about the order's payments and applies the answers. */
  refresh(buyerId: number, orderId: string): Promise<OrderPaymentState>;
}

export interface OrderPaymentState {
  order: Order;
  /** The latest payment, if any. */
  payment: Payment | null;
  /** Coins still to send on a partially paid payment. */
  missing: string | null;
}

export interface PaidOrderEffects {
  enqueueDelivery: EnqueueDelivery;
  escrowSeconds: number;
}

/**
 * Everything a paid order entails, in the caller's transaction: the order marked paid (unless
 * it was inserted paid, `paymentId` null), the product's sale counter, the seller's payout line
 * in escrow (paid products only) and the delivery job. False when the order was already paid.
 */
export async function completePaidOrder(
  tx: Queryable,
  order: Order,
  paymentId: number | null,
  effects: PaidOrderEffects,
): Promise<boolean> {
  if (paymentId !== null && !(await markOrderPaid(tx, order.id, paymentId))) return false;
  if (order.priceCents > 0) {
    await createPayout(tx, {
      orderId: order.id,
      sellerId: order.sellerId,
      amountCents: order.priceCents,
      escrowSeconds: effects.escrowSeconds,
    });
  }
  await effects.enqueueDelivery(tx, order.id);
  // Last: the product row is every sale's hot spot, so its lock is held for as short as possible.
  await countProductSale(tx, order.productId);
  return true;
}

/**
 * The money went back to the buyer: the sale no longer counts and the seller is owed nothing
 * (unless already paid out, which an admin settles by hand).
 */
async function reversePaidOrder(tx: Queryable, order: Order): Promise<void> {
  await uncountProductSale(tx, order.productId);
  await cancelOrderPayout(tx, order.id);
}

/** Coins still owed on a payment, or null when nothing is missing. */
export function paymentShortfall(
  payment: Pick<Payment, 'payAmount' | 'actuallyPaid' | 'status'>,
): string | null {
  if (payment.status !== 'partially_paid') return null;
  const missing = subtractDecimal(payment.payAmount, payment.actuallyPaid);
  return compareDecimal(missing, '0') > 0 ? missing : null;
}

/** One key per provider event: the same body sent twice (or read twice) is one event. */
export function notificationDedupeKey(payment: NowPayment): string {
  const digest = createHash('sha256').update(canonicalIpnJson(payment.raw)).digest('hex').slice(0, 40);
  return `${payment.paymentId}:${payment.status}:${digest}`;
}

// Statuses a refresh still asks about: anything that may yet move to finished or refunded.
const SETTLED: readonly PaymentStatus[] = ['finished', 'refunded'];
const MAX_POLLED_PAYMENTS = 3;

export function createCompletionService(deps: CompletionDeps): CompletionService {
  const effects: PaidOrderEffects = {
    enqueueDelivery: deps.enqueueDelivery,
    escrowSeconds: deps.escrowSeconds ?? DEFAULT_ESCROW_SECONDS,
  };
  const log = deps.log.child({ component: 'completion' });
  const events = deps.events ?? NO_EVENTS;

  async function applyLocked(tx: Queryable, incoming: NowPayment): Promise<PaymentUpdateOutcome> {
    const payment = await lockPaymentByProviderId(tx, incoming.paymentId);
    if (!payment) return rejected('unknown_payment', null);
    const order = await lockOrder(tx, payment.orderId);
    if (!order) throw new Error(`payment ${payment.id} has no order ${payment.orderId}`);
    const mismatch = findMismatch(payment, incoming);
    if (mismatch) return rejected(mismatch, order);

    const step = applyProviderStatus({ order: order.status, payment: payment.status }, incoming.status);
    const received = incoming.actuallyPaid ?? '0';
    const paidMore = compareDecimal(received, payment.actuallyPaid) > 0;
    const stored =
      step.paymentChanged || paidMore
        ? await updatePaymentFromProvider(tx, payment.id, {
            status: step.payment,
            actuallyPaid: incoming.actuallyPaid,
          })
        : payment;
    const view = (result: PaymentUpdateOutcome['result'], orderStatus: OrderStatus) => ({
      result,
      orderId: order.id,
      orderStatus,
      paymentStatus: stored.status,
      missing: paymentShortfall(stored),
      reason: null,
    });

    // Another payment already paid this order: this one's news (a second `finished`, its own
    // refund) is recorded on the payment but never moves the order.
    if (order.status === 'paid' && order.paidPaymentId !== null && order.paidPaymentId !== payment.id) {
      const reason = step.paymentChanged && incoming.status === 'finished' ? 'order_already_paid' : null;
      return { ...view(step.paymentChanged || paidMore ? 'updated' : 'unchanged', order.status), reason };
    }
    if (step.completesOrder) {
      await completePaidOrder(tx, order, payment.id, effects);
      return view('completed', 'paid');
    }
    if (step.orderChanged) {
      await moveOrder(tx, order.id, [order.status], step.order as Exclude<OrderStatus, 'paid'>);
      if (order.status === 'paid' && step.order === 'refunded') await reversePaidOrder(tx, order);
      return view('updated', step.order);
    }
    return view(step.paymentChanged || paidMore ? 'updated' : 'unchanged', order.status);
  }

  async function applyPaymentUpdate(
    source: NotificationSource,
    incoming: NowPayment,
    rawBody?: string,
  ): Promise<PaymentUpdateOutcome> {
    const attempt = await deps.db.transaction(
      async (tx) => {
        const stored = await storeNotification(tx, {
          dedupeKey: notificationDedupeKey(incoming),
          source,
          verified: true,
          providerPaymentId: incoming.paymentId,
          orderId: incoming.orderId,
          paymentStatus: incoming.status,
          bodyJson: rawBody ?? JSON.stringify(incoming.raw),
        });
        if (!stored.inserted && stored.processedAt) {
          return {
            outcome: { ...EMPTY, result: 'duplicate', orderId: incoming.orderId } as PaymentUpdateOutcome,
          };
        }
        try {
          // A savepoint: a failing apply is undone, the stored event stays (retried later).
          const outcome = await tx.transaction((inner) => applyLocked(inner, incoming));
          await recordNotificationOutcome(tx, stored.id, { processed: true, error: outcome.reason });
          return { outcome };
        } catch (error) {
          if (error instanceof TransactionConflictError) throw error;
          await recordNotificationOutcome(tx, stored.id, { processed: false, error: describe(error) });
          return { failure: error };
        }
      },
      { retries: 3 },
    );
    if ('failure' in attempt) throw attempt.failure;
    const { outcome } = attempt;
    if (outcome.result === 'completed') events.orderPaid();
    const fields = {
      source,
      paymentId: incoming.paymentId,
      orderId: outcome.orderId,
      paymentStatus: incoming.status,
      result: outcome.result,
    };
    if (outcome.reason) log.warn({ ...fields, reason: outcome.reason }, 'Payment event needs attention');
    else log.info(fields, 'Payment event applied');
    return outcome;
  }

  async function refresh(buyerId: number, orderId: string): Promise<OrderPaymentState> {
    const order = await getOrderForBuyer(deps.db, orderId, buyerId);
    if (!order) throw new NotFoundError('order', orderId);
    const payments = await listOrderPayments(deps.db, order.id);
    const polled = payments.filter((p) => !SETTLED.includes(p.status)).slice(0, MAX_POLLED_PAYMENTS);
    // No transaction is open while NOWPayments answers: each answer is applied on its own.
    for (const payment of polled) {
      let remote: NowPayment;
      try {
        remote = await deps.nowPayments.getPayment(payment.providerPaymentId);
      } catch (error) {
        if (error instanceof NowPaymentsError)
          throw new PaymentProviderError('getPayment', false, { cause: error });
        throw error;
      }
      await applyPaymentUpdate('poll', remote);
    }
    const [current, latest] = await Promise.all([
      getOrder(deps.db, order.id),
      listOrderPayments(deps.db, order.id),
    ]);
    const payment = latest[0] ?? null;
    return {
      order: current ?? order,
      payment,
      missing: payment ? paymentShortfall(payment) : null,
    };
  }

  async function recordUnreadable(rawBody: string, detail: string): Promise<void> {
    await deps.db.transaction(async (tx) => {
      const stored = await storeNotification(tx, {
        // One row per signed content: respelling a captured body does not add rows.
        dedupeKey: `unreadable:${signedContentDigest(rawBody)}`,
        source: 'ipn',
        verified: true,
        providerPaymentId: null,
        orderId: null,
        paymentStatus: null,
        bodyJson: rawBody,
      });
      await recordNotificationOutcome(tx, stored.id, {
        processed: true,
        error: `invalid_payload: ${detail}`,
      });
    });
    log.warn({ detail }, 'Signed notification is not a readable payment');
  }

  return { applyPaymentUpdate, recordUnreadable, refresh };
}

const EMPTY: PaymentUpdateOutcome = {
  result: 'unchanged',
  orderId: null,
  orderStatus: null,
  paymentStatus: null,
  missing: null,
  reason: null,
};

function rejected(reason: RejectionReason, order: Order | null): PaymentUpdateOutcome {
  return {
    ...EMPTY,
    result: 'rejected',
    orderId: order?.id ?? null,
    orderStatus: order?.status ?? null,
    reason,
  };
}

/** The event must describe our payment: same order, currencies and USD amount. */
function findMismatch(payment: Payment, incoming: NowPayment): RejectionReason | null {
  if (incoming.orderId !== null && incoming.orderId !== payment.orderId) return 'order_mismatch';
  if (incoming.payCurrency !== payment.payCurrency || incoming.priceCurrency !== payment.priceCurrency) {
    return 'currency_mismatch';
  }
  let priceCents: number;
  try {
    priceCents = centsFromDecimal(incoming.priceAmount, 'price_amount');
  } catch {
    return 'amount_mismatch';
  }
  if (priceCents !== payment.priceCents) return 'amount_mismatch';
  if (incoming.status === 'finished') {
    // Paying needs proof of what arrived; the buyer's refresh reads it back from the provider.
    if (incoming.actuallyPaid === null) return 'paid_amount_missing';
    if (compareDecimal(incoming.actuallyPaid, payment.payAmount) < 0) return 'underpaid';
  }
  return null;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
