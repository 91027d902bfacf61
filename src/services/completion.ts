// Applying what NOWPayments says about a payment: from a signed IPN, or read back when the buyer
// taps "refresh status". Both paths run the same code in one transaction whose first statement
// stores the event and locks the payment row, then the order row: concurrent copies of one
// notification, or an IPN racing a refresh, queue on the key or the lock and the later ones find
// nothing left to do. Only `finished` pays an order, and paying is guarded, so an order is
// completed exactly once. An event that pays takes three statements between BEGIN and COMMIT
// (store and lock, delivery job, everything paying writes); see README "bench:http".
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
  type LockedOrder,
  type LockedPayment,
  type PaidOrder,
  type PaidOrderResult,
  recordPaidOrder,
  storeAndLockEvent,
} from '../repositories/completion.ts';
import {
  type NewNotification,
  type NotificationSource,
  recordNotificationOutcome,
  storeNotification,
} from '../repositories/notifications.ts';
import {
  getOrder,
  getOrderForBuyer,
  moveOrder,
  type Order,
  uncountProductSale,
} from '../repositories/orders.ts';
import { listOrderPayments, type Payment, updatePaymentFromProvider } from '../repositories/payments.ts';
import { cancelOrderPayout } from '../repositories/payouts.ts';
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
 * Everything a paid order entails, in the caller's transaction: the delivery job and, in one
 * statement, the order marked paid (unless it was inserted paid, `paymentId` null), the seller's
 * payout line in escrow (paid products only), the event's outcome and the product's sale, which
 * reaches the product's counter at COMMIT (the hot row, locked for the commit alone). Throws,
 * the caller's transaction then rolling back the job, when the order is no longer unpaid:
 * callers hold the order's lock and have checked its status, so that never happens.
 */
export async function completePaidOrder(
  tx: Queryable,
  order: PaidOrder['order'],
  paymentId: number | null,
  effects: PaidOrderEffects,
  event: Pick<PaidOrder, 'paymentUpdate' | 'notificationId'> = { paymentUpdate: null, notificationId: null },
): Promise<PaidOrderResult> {
  // Asked together: the two statements leave in one round trip (the transaction is already open).
  const [, result] = await Promise.all([
    effects.enqueueDelivery(tx, order.id),
    recordPaidOrder(tx, { order, paymentId, escrowSeconds: effects.escrowSeconds, ...event }),
  ]);
  if (!result.paid) throw new Error(`order ${order.id} is no longer unpaid`);
  return result;
}

/**
 * The money went back to the buyer: the sale no longer counts and the seller is owed nothing
 * (unless already paid out, which an admin settles by hand).
 */
async function reversePaidOrder(tx: Queryable, order: LockedOrder): Promise<void> {
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

  /** Applies an event to its locked payment and order; `completed` also marked the event processed. */
  async function applyLocked(
    tx: Queryable,
    notificationId: number,
    payment: LockedPayment | null,
    order: LockedOrder | null,
    incoming: NowPayment,
  ): Promise<PaymentUpdateOutcome> {
    if (!payment) return rejected('unknown_payment', null);
    if (!order) throw new Error(`payment ${payment.id} has no order ${payment.orderId}`);
    const mismatch = findMismatch(payment, incoming);
    if (mismatch) return rejected(mismatch, order);

    const step = applyProviderStatus({ order: order.status, payment: payment.status }, incoming.status);
    const received = incoming.actuallyPaid ?? '0';
    const paidMore = compareDecimal(received, payment.actuallyPaid) > 0;
    const paymentUpdate =
      step.paymentChanged || paidMore ? { status: step.payment, actuallyPaid: incoming.actuallyPaid } : null;
    const view = (
      result: PaymentUpdateOutcome['result'],
      orderStatus: OrderStatus,
      stored: Pick<Payment, 'status' | 'actuallyPaid'> = payment,
    ): PaymentUpdateOutcome => ({
      result,
      orderId: order.id,
      orderStatus,
      paymentStatus: stored.status,
      missing: paymentShortfall({ payAmount: payment.payAmount, ...stored }),
      reason: null,
    });

    if (step.completesOrder) {
      // Only an unpaid order moves to paid: no other payment paid it. The payment's news goes
      // with the rest of what paying writes, in one statement.
      const paid = await completePaidOrder(tx, order, payment.id, effects, { paymentUpdate, notificationId });
      return view('completed', 'paid', paid.payment ?? payment);
    }
    const stored = paymentUpdate ? await updatePaymentFromProvider(tx, payment.id, paymentUpdate) : payment;
    const changed = paymentUpdate ? 'updated' : 'unchanged';
    // Another payment already paid this order: this one's news (a second `finished`, its own
    // refund) is recorded on the payment but never moves the order.
    if (order.status === 'paid' && order.paidPaymentId !== null && order.paidPaymentId !== payment.id) {
      const reason = step.paymentChanged && incoming.status === 'finished' ? 'order_already_paid' : null;
      return { ...view(changed, order.status, stored), reason };
    }
    if (step.orderChanged) {
      await moveOrder(tx, order.id, [order.status], step.order as Exclude<OrderStatus, 'paid'>);
      if (order.status === 'paid' && step.order === 'refunded') await reversePaidOrder(tx, order);
      return view('updated', step.order, stored);
    }
    return view(changed, order.status, stored);
  }

  /** The event's transaction: stored, locked, applied, its outcome recorded. */
  async function applyEvent(notice: EventNotice, incoming: NowPayment): Promise<PaymentUpdateOutcome> {
    return deps.db.transaction(
      async (tx) => {
        const { notification, payment, order } = await storeAndLockEvent(tx, notice);
        if (notification.processedAt) return { ...EMPTY, result: 'duplicate', orderId: incoming.orderId };
        const outcome = await applyLocked(tx, notification.id, payment, order, incoming);
        if (outcome.result !== 'completed') {
          await recordNotificationOutcome(tx, notification.id, { processed: true, error: outcome.reason });
        }
        return outcome;
      },
      { retries: 3 },
    );
  }

  /**
   * A failed apply rolled everything back: the event is stored again, not processed, with the
   * error (NOWPayments retries it on our non-200 answer; an admin can read why).
   */
  async function recordFailure(notice: EventNotice, failure: unknown): Promise<void> {
    try {
      await deps.db.transaction(async (tx) => {
        const stored = await storeNotification(tx, notice);
        if (stored.processedAt) return; // a copy of the event was applied meanwhile
        await recordNotificationOutcome(tx, stored.id, { processed: false, error: describe(failure) });
      });
    } catch (error) {
      log.error(
        { err: error, paymentId: notice.providerPaymentId },
        'Could not record a failed payment event',
      );
    }
  }

  async function applyPaymentUpdate(
    source: NotificationSource,
    incoming: NowPayment,
    rawBody?: string,
  ): Promise<PaymentUpdateOutcome> {
    const notice: EventNotice = {
      dedupeKey: notificationDedupeKey(incoming),
      source,
      verified: true,
      providerPaymentId: incoming.paymentId,
      orderId: incoming.orderId,
      paymentStatus: incoming.status,
      bodyJson: rawBody ?? JSON.stringify(incoming.raw),
    };
    let outcome: PaymentUpdateOutcome;
    try {
      outcome = await applyEvent(notice, incoming);
    } catch (error) {
      // A conflict that outlived its retries wrote nothing: NOWPayments sends the event again.
      if (!(error instanceof TransactionConflictError)) await recordFailure(notice, error);
      throw error;
    }
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

type EventNotice = NewNotification & { providerPaymentId: string };

function rejected(reason: RejectionReason, order: LockedOrder | null): PaymentUpdateOutcome {
  return {
    ...EMPTY,
    result: 'rejected',
    orderId: order?.id ?? null,
    orderStatus: order?.status ?? null,
    reason,
  };
}

/** The event must describe our payment: same order, currencies and USD amount. */
function findMismatch(payment: LockedPayment, incoming: NowPayment): RejectionReason | null {
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
