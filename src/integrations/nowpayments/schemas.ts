// What we read from NOWPayments, validated with zod: only the fields we use are checked, the
// rest passes through untouched in `raw`. Amounts come out as plain decimal strings and ids as
// digit strings (the provider sends payment_id as a string on create and a number elsewhere).
import { z } from 'zod';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../domain/index.ts';
import { toPlainDecimal } from './decimal.ts';

// The provider's statuses are the domain's payment statuses: one list, in src/domain.
export { PAYMENT_STATUSES };
export type NowPaymentStatus = PaymentStatus;

/** JSON keys whose numbers are read from their source text, never through a double. */
export const EXACT_NUMBER_KEYS: ReadonlySet<string> = new Set([
  'payment_id',
  'parent_payment_id',
  'invoice_id',
  'purchase_id',
  'price_amount',
  'pay_amount',
  'actually_paid',
  'actually_paid_at_fiat',
  'outcome_amount',
  'amount_received',
  'amount_from',
  'estimated_amount',
  'min_amount',
  'fiat_equivalent',
  'depositFee',
  'withdrawalFee',
  'serviceFee',
]);

/** A non-negative amount, from a JSON number (as source text) or a string, as plain decimal. */
export const decimalAmount = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const plain = toPlainDecimal(value);
  if (plain === null || plain.startsWith('-')) {
    ctx.addIssue({
      code: 'custom',
      message: `not a non-negative decimal amount: ${String(value).slice(0, 40)}`,
    });
    return z.NEVER;
  }
  return plain;
});

/** A numeric provider id, kept as a digit string. */
export const numericId = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value).trim();
  if (!/^\d{1,30}$/.test(text)) {
    ctx.addIssue({ code: 'custom', message: `not a numeric id: ${text.slice(0, 40)}` });
    return z.NEVER;
  }
  return text.replace(/^0+(?=\d)/, '');
});

const code = z
  .string()
  .min(1)
  .transform((s) => s.toLowerCase());
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const optionalAmount = decimalAmount.nullish().transform((v) => v ?? null);
/** ISO text as the REST API sends it, or epoch milliseconds as IPNs send updated_at; as ISO text. */
const optionalTimestamp = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value, ctx) => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: `not a timestamp: ${String(value).slice(0, 40)}` });
      return z.NEVER;
    }
    return date.toISOString();
  });
const optionalId = numericId.nullish().transform((v) => v ?? null);

export const statusWire = z.looseObject({ message: z.string() });

export const currenciesWire = z.looseObject({ currencies: z.array(z.string().min(1)) });

export const minAmountWire = z.looseObject({
  currency_from: code,
  currency_to: code.nullish(),
  min_amount: decimalAmount,
  fiat_equivalent: optionalAmount,
});

export const estimateWire = z.looseObject({
  currency_from: code,
  currency_to: code,
  amount_from: decimalAmount,
  estimated_amount: decimalAmount,
});

/** A payment as GET /payment/:id, POST /payment and IPNs show it. */
export const paymentWire = z.looseObject({
  payment_id: numericId,
  payment_status: z.enum(PAYMENT_STATUSES),
  pay_address: optionalText,
  price_amount: decimalAmount,
  price_currency: code,
  pay_amount: decimalAmount,
  actually_paid: optionalAmount,
  pay_currency: code,
  order_id: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? null : String(v))),
  order_description: optionalText,
  purchase_id: optionalId,
  parent_payment_id: optionalId,
  outcome_amount: optionalAmount,
  outcome_currency: code.nullish().transform((v) => v ?? null),
  created_at: optionalTimestamp,
  updated_at: optionalTimestamp,
  expiration_estimate_date: optionalTimestamp,
  payin_hash: optionalText,
  payout_hash: optionalText,
});

export interface NowPayment {
  paymentId: string;
  status: NowPaymentStatus;
  payAddress: string | null;
  /** Decimal strings, exact. */
  priceAmount: string;
  priceCurrency: string;
  payAmount: string;
  payCurrency: string;
  actuallyPaid: string | null;
  orderId: string | null;
  orderDescription: string | null;
  purchaseId: string | null;
  /** Set on a repeated or top-up deposit: the payment it belongs to. */
  parentPaymentId: string | null;
  outcomeAmount: string | null;
  outcomeCurrency: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** When the provider stops waiting for the deposit (expiration_estimate_date). */
  expiresAt: string | null;
  payinHash: string | null;
  payoutHash: string | null;
  /**
   * The body as received, every field; numbers under EXACT_NUMBER_KEYS as canonical decimal text
   * (exact, one spelling per value: the same event written twice gives the same `raw`).
   */
  raw: Record<string, unknown>;
}

export type CreatedPayment = NowPayment & { payAddress: string };

export function toPayment(wire: z.output<typeof paymentWire>, raw: Record<string, unknown>): NowPayment {
  return {
    paymentId: wire.payment_id,
    status: wire.payment_status,
    payAddress: wire.pay_address,
    priceAmount: wire.price_amount,
    priceCurrency: wire.price_currency,
    payAmount: wire.pay_amount,
    payCurrency: wire.pay_currency,
    actuallyPaid: wire.actually_paid,
    orderId: wire.order_id,
    orderDescription: wire.order_description,
    purchaseId: wire.purchase_id,
    parentPaymentId: wire.parent_payment_id,
    outcomeAmount: wire.outcome_amount,
    outcomeCurrency: wire.outcome_currency,
    createdAt: wire.created_at,
    updatedAt: wire.updated_at,
    expiresAt: wire.expiration_estimate_date,
    payinHash: wire.payin_hash,
    payoutHash: wire.payout_hash,
    raw,
  };
}

/** The provider's error envelope: {"status":false,"statusCode":403,"code":"INVALID_API_KEY","message":"..."}. */
export const errorWire = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
});
