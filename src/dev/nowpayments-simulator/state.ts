// The simulator's payments and the rules for moving them between statuses, kept apart from
// HTTP so that the transitions read like the provider's documentation.
import {
  compareDecimal,
  divideDecimal,
  multiplyDecimal,
  subtractDecimal,
} from '../../integrations/nowpayments/decimal.ts';
import type { NowPaymentStatus } from '../../integrations/nowpayments/schemas.ts';
import { fakeTxHash, SERVICE_FEE_RATE, type SimCoin } from './coins.ts';

export const ADVANCE_TARGETS = [
  'confirming',
  'confirmed',
  'sending',
  'finished',
  'partially_paid',
  'failed',
  'expired',
  'refunded',
] as const satisfies readonly NowPaymentStatus[];

export type AdvanceTarget = (typeof ADVANCE_TARGETS)[number];

/** A refused simulator request, with the HTTP status and NOWPayments-style code to answer. */
export class SimulatorError extends Error {
  readonly statusCode: number;
  readonly code: string;
  constructor(statusCode: number, code: string, message: string) {
    super(message);
    this.name = 'SimulatorError';
    this.statusCode = statusCode;
    this.code = code;
  }
}

export interface SimPayment {
  paymentId: number;
  purchaseId: string;
  status: NowPaymentStatus;
  payAddress: string;
  priceAmount: string;
  priceCurrency: string;
  payAmount: string;
  actuallyPaid: string;
  payCurrency: string;
  orderId: string | null;
  orderDescription: string | null;
  ipnCallbackUrl: string | null;
  outcomeCurrency: string;
  payinHash: string | null;
  payoutHash: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

const HAPPY_PATH: readonly NowPaymentStatus[] = ['waiting', 'confirming', 'confirmed', 'sending', 'finished'];
/** Statuses in which the buyer's coins were received at some point: they can be refunded. */
const FUNDED: readonly NowPaymentStatus[] = [
  'confirming',
  'confirmed',
  'sending',
  'finished',
  'partially_paid',
  'failed',
];

/** The statuses a payment goes through, in order, to get from `current` to `to`. */
export function planSteps(current: NowPaymentStatus, to: AdvanceTarget): NowPaymentStatus[] {
  const refuse = () =>
    new SimulatorError(409, 'INVALID_TRANSITION', `A ${current} payment cannot become ${to}.`);
  const at = HAPPY_PATH.indexOf(current);
  switch (to) {
    case 'confirming':
    case 'confirmed':
    case 'sending':
    case 'finished': {
      const target = HAPPY_PATH.indexOf(to);
      if (at === -1 || at >= target) throw refuse();
      return HAPPY_PATH.slice(at + 1, target + 1);
    }
    case 'partially_paid':
      // The deposit is seen (confirming), then found short.
      if (current === 'waiting') return ['confirming', 'partially_paid'];
      if (current === 'confirming') return ['partially_paid'];
      throw refuse();
    case 'failed':
      if (at === -1 || current === 'finished') throw refuse();
      return ['failed'];
    case 'expired':
      if (current !== 'waiting') throw refuse();
      return ['expired'];
    case 'refunded':
      if (!FUNDED.includes(current)) throw refuse();
      return ['refunded'];
  }
}

/** Checks a requested actually_paid against the status it leads to; returns the amount to record. */
export function chooseActuallyPaid(
  payment: SimPayment,
  coin: SimCoin,
  to: AdvanceTarget,
  requested?: string,
): string {
  if (requested !== undefined) {
    const amount = toCoinAmount(requested, coin);
    if (amount === null)
      throw new SimulatorError(400, 'INVALID_REQUEST_PARAMS', 'actuallyPaid must be a decimal amount.');
    if (
      to === 'partially_paid' &&
      (compareDecimal(amount, '0') <= 0 || compareDecimal(amount, payment.payAmount) >= 0)
    ) {
      throw new SimulatorError(
        400,
        'INVALID_REQUEST_PARAMS',
        `A partial payment is more than 0 and less than ${payment.payAmount} ${payment.payCurrency}.`,
      );
    }
    return amount;
  }
  if (to === 'partially_paid') return divideDecimal(payment.payAmount, '2', coin.decimals);
  return compareDecimal(payment.actuallyPaid, '0') > 0 ? payment.actuallyPaid : payment.payAmount;
}

function toCoinAmount(value: string, coin: SimCoin): string | null {
  try {
    const amount = multiplyDecimal(String(value), '1', coin.decimals);
    return compareDecimal(amount, '0') < 0 ? null : amount;
  } catch {
    return null;
  }
}

/** Moves the payment one status on, setting what the provider sets at that point. */
export function applyStatus(
  payment: SimPayment,
  coin: SimCoin,
  status: NowPaymentStatus,
  actuallyPaid: string,
  now: Date,
): void {
  if (status === 'confirming' || status === 'partially_paid') {
    payment.actuallyPaid = actuallyPaid;
    payment.payinHash ??= fakeTxHash(coin, `${payment.paymentId}:in`);
  }
  if (status === 'sending' || status === 'finished')
    payment.payoutHash ??= fakeTxHash(coin, `${payment.paymentId}:out`);
  payment.status = status;
  payment.updatedAt = now;
}

function outcomeAmount(payment: SimPayment, coin: SimCoin): string {
  const received = compareDecimal(payment.actuallyPaid, '0') > 0 ? payment.actuallyPaid : payment.payAmount;
  return subtractDecimal(received, multiplyDecimal(received, SERVICE_FEE_RATE, coin.decimals, true));
}

/**
 * The payment as GET /payment/:id shows it. POST /payment answers the same object with the id
 * as a string, as the live API does; both are sent unsorted, in the provider's field order.
 */
export function paymentJson(payment: SimPayment, coin: SimCoin, idAsString = false): Record<string, unknown> {
  return {
    payment_id: idAsString ? String(payment.paymentId) : payment.paymentId,
    invoice_id: null,
    payment_status: payment.status,
    pay_address: payment.payAddress,
    payin_extra_id: null,
    price_amount: Number(payment.priceAmount),
    price_currency: payment.priceCurrency,
    pay_amount: Number(payment.payAmount),
    actually_paid: Number(payment.actuallyPaid),
    actually_paid_at_fiat: Number(multiplyDecimal(payment.actuallyPaid, coin.usdRate, 2)),
    pay_currency: payment.payCurrency,
    order_id: payment.orderId,
    order_description: payment.orderDescription,
    ipn_callback_url: payment.ipnCallbackUrl,
    purchase_id: payment.purchaseId,
    outcome_amount: Number(outcomeAmount(payment, coin)),
    outcome_currency: payment.outcomeCurrency,
    payin_hash: payment.payinHash,
    payout_hash: payment.payoutHash,
    network: coin.network,
    burning_percent: null,
    type: 'crypto2crypto',
    created_at: payment.createdAt.toISOString(),
    updated_at: payment.updatedAt.toISOString(),
    expiration_estimate_date: payment.expiresAt.toISOString(),
  };
}

/** The IPN body: every payment field plus the nested `fee` object, as the provider posts it. */
export function ipnJson(payment: SimPayment, coin: SimCoin): Record<string, unknown> {
  const { ipn_callback_url: _hidden, ...fields } = paymentJson(payment, coin);
  const received = payment.actuallyPaid;
  return {
    ...fields,
    parent_payment_id: null,
    payment_extra_ids: null,
    fee: {
      currency: payment.payCurrency,
      depositFee: 0,
      withdrawalFee: compareDecimal(received, '0') > 0 ? Number(coin.withdrawalFee) : 0,
      serviceFee: Number(multiplyDecimal(received, SERVICE_FEE_RATE, coin.decimals, true)),
    },
  };
}
