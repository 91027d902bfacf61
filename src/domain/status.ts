// Status changes as tables of allowed moves. A status never changes except through these
// tables, so a late, duplicated or out-of-order event cannot move anything backwards.

import { type TransitionCode, TransitionError } from './errors.ts';

export interface StateMachine<S extends string> {
  readonly entity: TransitionError['entity'];
  readonly statuses: readonly S[];
  /** For each status, the statuses it may move to. Staying put is not a move. */
  readonly moves: Readonly<Record<S, readonly S[]>>;
  /** A more precise refusal code than `<entity>_transition_forbidden`, when one helps the user. */
  readonly refusal?: (from: S, to: S) => TransitionCode | undefined;
}

export function canMove<S extends string>(machine: StateMachine<S>, from: S, to: S): boolean {
  return machine.moves[from]?.includes(to) ?? false;
}

export function assertMove<S extends string>(machine: StateMachine<S>, from: S, to: S): void {
  if (canMove(machine, from, to)) return;
  const code = machine.refusal?.(from, to) ?? (`${machine.entity}_transition_forbidden` as TransitionCode);
  throw new TransitionError(code, machine.entity, from, to);
}

/** Statuses with no move out. */
export function isFinal<S extends string>(machine: StateMachine<S>, status: S): boolean {
  return machine.moves[status].length === 0;
}

// ---------------------------------------------------------------------------------------------
// Orders

export const ORDER_STATUSES = [
  'pending',
  'waiting',
  'partially_paid',
  'paid',
  'expired',
  'failed',
  'cancelled',
  'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The usual path is pending → waiting → (partially_paid) → paid. Two deliberate additions:
 * - `paid` is reachable from every unpaid status, including expired/failed/cancelled: NOWPayments'
 *   `finished` proves the money reached us, and our own timers and cancellations must not keep a
 *   buyer who paid (late, or on a replaced payment) from the product. A free order goes straight
 *   from pending to paid.
 * - `refunded` also follows `partially_paid`: the provider may return a partial payment.
 */
export const ORDER_MACHINE: StateMachine<OrderStatus> = {
  entity: 'order',
  statuses: ORDER_STATUSES,
  moves: {
    pending: ['waiting', 'partially_paid', 'paid', 'expired', 'failed', 'cancelled'],
    waiting: ['partially_paid', 'paid', 'expired', 'failed', 'cancelled'],
    partially_paid: ['paid', 'expired', 'failed', 'cancelled', 'refunded'],
    paid: ['refunded'],
    expired: ['paid'],
    failed: ['paid'],
    cancelled: ['paid'],
    refunded: [],
  },
};

export const canMoveOrder = (from: OrderStatus, to: OrderStatus): boolean => canMove(ORDER_MACHINE, from, to);
export const assertOrderMove = (from: OrderStatus, to: OrderStatus): void =>
  assertMove(ORDER_MACHINE, from, to);

/** Only these orders give access to the product (library, downloads, reviews). */
export function isPaidOrder(status: OrderStatus): boolean {
  return status === 'paid';
}

/** Orders still waiting for money: the expiry job and "refresh status" look at these. */
export function isOpenOrder(status: OrderStatus): boolean {
  return status === 'pending' || status === 'waiting' || status === 'partially_paid';
}

// ---------------------------------------------------------------------------------------------
// Payments (NOWPayments statuses)

export const PAYMENT_STATUSES = [
  'waiting',
  'confirming',
  'confirmed',
  'sending',
  'partially_paid',
  'finished',
  'failed',
  'refunded',
  'expired',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * Progress of a payment towards the merchant. Notifications can arrive out of order (finished
 * before confirming), so a status is only accepted if it ranks higher than the stored one.
 * `partially_paid` ranks above `sending` so that a shortfall is never hidden by a late `sending`.
 */
export const PAYMENT_RANK: Readonly<Record<PaymentStatus, number>> = {
  waiting: 0,
  confirming: 1,
  confirmed: 2,
  sending: 3,
  partially_paid: 4,
  finished: 5,
  failed: 6,
  expired: 6,
  refunded: 7,
};

/**
 * Forward moves only. `failed`, `expired`, `finished` and `refunded` end the progression; the
 * two exceptions are facts about money that outrank any earlier verdict: `finished` (the money
 * arrived) after `failed`/`expired`, and `refunded` (the money went back) after anything.
 */
export const PAYMENT_MACHINE: StateMachine<PaymentStatus> = {
  entity: 'payment',
  statuses: PAYMENT_STATUSES,
  moves: {
    waiting: [
      'confirming',
      'confirmed',
      'sending',
      'partially_paid',
      'finished',
      'failed',
      'expired',
      'refunded',
    ],
    confirming: ['confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'expired', 'refunded'],
    confirmed: ['sending', 'partially_paid', 'finished', 'failed', 'expired', 'refunded'],
    sending: ['partially_paid', 'finished', 'failed', 'expired', 'refunded'],
    partially_paid: ['finished', 'failed', 'expired', 'refunded'],
    finished: ['refunded'],
    failed: ['finished', 'refunded'],
    expired: ['finished', 'refunded'],
    refunded: [],
  },
};

export const canMovePayment = (from: PaymentStatus, to: PaymentStatus): boolean =>
  canMove(PAYMENT_MACHINE, from, to);

export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === 'string' && (PAYMENT_STATUSES as readonly string[]).includes(value);
}

/** The order status a provider status implies. Only `finished` completes (pays) an order. */
export function orderStatusForPayment(status: PaymentStatus): OrderStatus {
  switch (status) {
    case 'waiting':
    case 'confirming':
    case 'confirmed':
    case 'sending':
      return 'waiting';
    case 'partially_paid':
      return 'partially_paid';
    case 'finished':
      return 'paid';
    case 'failed':
      return 'failed';
    case 'expired':
      return 'expired';
    case 'refunded':
      return 'refunded';
  }
}

export interface ProviderStatusOutcome {
  /** The payment status to store (the current one when the incoming status is stale). */
  readonly payment: PaymentStatus;
  readonly paymentChanged: boolean;
  /** The order status to store. */
  readonly order: OrderStatus;
  readonly orderChanged: boolean;
  /** True exactly once per order: when this event moves it to `paid`. Completion work hangs on it. */
  readonly completesOrder: boolean;
}

/**
 * What a provider status (IPN or "refresh status") does to a payment and its order. Idempotent:
 * applying the same status twice, or a stale one, changes nothing the second time. `payment` is
 * null when no status was stored yet for this payment.
 */
export function applyProviderStatus(
  current: { readonly order: OrderStatus; readonly payment: PaymentStatus | null },
  incoming: PaymentStatus,
): ProviderStatusOutcome {
  const paymentChanged = current.payment === null ? true : canMovePayment(current.payment, incoming);
  const payment = paymentChanged ? incoming : (current.payment ?? incoming);
  // A stale payment event says nothing new about the order either.
  const target = orderStatusForPayment(incoming);
  const orderChanged = paymentChanged && canMoveOrder(current.order, target);
  const order = orderChanged ? target : current.order;
  return { payment, paymentChanged, order, orderChanged, completesOrder: orderChanged && order === 'paid' };
}

/** The status a new order starts in: a free one needs no payment and is paid at once. */
export function initialOrderStatus(totalCents: number): OrderStatus {
  return totalCents === 0 ? 'paid' : 'pending';
}

// ---------------------------------------------------------------------------------------------
// Products

export const PRODUCT_STATUSES = ['draft', 'active', 'inactive', 'banned', 'deleted'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

function productRefusal(from: ProductStatus): TransitionCode | undefined {
  if (from === 'deleted') return 'product_deleted';
  if (from === 'banned') return 'product_banned';
  return undefined;
}

/**
 * What a seller may do: publish a draft, activate/deactivate, delete. A banned product can only
 * be deleted (never re-activated by its seller); `deleted` is final.
 */
export const SELLER_PRODUCT_MACHINE: StateMachine<ProductStatus> = {
  entity: 'product',
  statuses: PRODUCT_STATUSES,
  moves: {
    draft: ['active', 'deleted'],
    active: ['inactive', 'deleted'],
    inactive: ['active', 'deleted'],
    banned: ['deleted'],
    deleted: [],
  },
  refusal: productRefusal,
};

/** What an admin may do: ban any live product, restore a banned one (active or inactive). */
export const ADMIN_PRODUCT_MACHINE: StateMachine<ProductStatus> = {
  entity: 'product',
  statuses: PRODUCT_STATUSES,
  moves: {
    draft: ['banned'],
    active: ['banned'],
    inactive: ['banned'],
    banned: ['active', 'inactive'],
    deleted: [],
  },
  refusal: (from) => (from === 'deleted' ? 'product_deleted' : undefined),
};

export const assertSellerProductMove = (from: ProductStatus, to: ProductStatus): void =>
  assertMove(SELLER_PRODUCT_MACHINE, from, to);
export const assertAdminProductMove = (from: ProductStatus, to: ProductStatus): void =>
  assertMove(ADMIN_PRODUCT_MACHINE, from, to);

/** Only active products are listed and can be bought. */
export function isPurchasable(status: ProductStatus): boolean {
  return status === 'active';
}

// ---------------------------------------------------------------------------------------------
// Support tickets

export const TICKET_STATUSES = ['open', 'pending_user', 'pending_admin', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * `pending_user`: an admin answered, the user's turn; `pending_admin`: the reverse. A user writing
 * to a resolved ticket reopens it; a closed ticket is final (a new one is opened instead).
 */
export const TICKET_MACHINE: StateMachine<TicketStatus> = {
  entity: 'ticket',
  statuses: TICKET_STATUSES,
  moves: {
    open: ['pending_user', 'pending_admin', 'resolved', 'closed'],
    pending_user: ['pending_admin', 'resolved', 'closed'],
    pending_admin: ['pending_user', 'resolved', 'closed'],
    resolved: ['pending_admin', 'closed'],
    closed: [],
  },
};
