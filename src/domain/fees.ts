// The platform fee is paid by the buyer on top of the listed price; the seller earns the price.
// Percentages are held in basis points (1 % = 100 bp) so every step is integer arithmetic.

import { ValidationError } from './errors.ts';
import { assertCents, type Cents } from './money.ts';

export interface FeePolicy {
  /** Fee for prices below `thresholdCents`. */
  readonly flatCents: Cents;
  /** From this price on, the fee is a percentage. */
  readonly thresholdCents: Cents;
  /** The percentage, in basis points: 314 = 3.14 %. */
  readonly percentBasisPoints: number;
}

/** SPEC: 1.49 flat below 48.00, 3.14 % from 48.00. */
export const DEFAULT_FEE_POLICY: FeePolicy = Object.freeze({
  flatCents: 149,
  thresholdCents: 4800,
  percentBasisPoints: 314,
});

/** What the buyer pays, split into what the seller earns and what the platform keeps. */
export interface PriceBreakdown {
  readonly priceCents: Cents;
  readonly feeCents: Cents;
  readonly totalCents: Cents;
  /** A free product needs no payment: it is delivered at once. */
  readonly free: boolean;
}

/** A complete policy from defaults and overrides (settings), checked once at start. */
export function feePolicy(overrides: Partial<FeePolicy> = {}): FeePolicy {
  const policy = { ...DEFAULT_FEE_POLICY, ...overrides };
  for (const key of ['flatCents', 'thresholdCents', 'percentBasisPoints'] as const) {
    const value = policy[key];
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`fee policy ${key} must be a non-negative integer`);
  }
  if (policy.percentBasisPoints > 10_000)
    throw new RangeError('fee policy percentBasisPoints must be at most 10000');
  return Object.freeze(policy);
}

/** The platform fee for a listed price: 0 when free, flat below the threshold, else the percentage. */
export function platformFee(priceCents: Cents, policy: FeePolicy = DEFAULT_FEE_POLICY): Cents {
  assertCents(priceCents, 'price');
  if (priceCents < 0) throw new RangeError(`price must not be negative, got ${priceCents}`);
  if (priceCents === 0) return 0;
  if (priceCents < policy.thresholdCents) return policy.flatCents;
  return percentOf(priceCents, policy.percentBasisPoints);
}

/** Price, fee and total for a listed price. */
export function priceBreakdown(priceCents: Cents, policy: FeePolicy = DEFAULT_FEE_POLICY): PriceBreakdown {
  const feeCents = platformFee(priceCents, policy);
  return { priceCents, feeCents, totalCents: priceCents + feeCents, free: priceCents === 0 };
}

/** `amount × bp / 10000` rounded half-up to the cent, without leaving the integers. */
export function percentOf(amountCents: Cents, basisPoints: number): Cents {
  assertCents(amountCents);
  if (amountCents < 0) throw new RangeError('percentOf expects a non-negative amount');
  // BigInt keeps the product exact even for amounts whose product with bp exceeds 2^53.
  const product = BigInt(amountCents) * BigInt(basisPoints);
  return Number((product + 5_000n) / 10_000n);
}

const PERCENT = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/;

/** Reads a percentage setting such as "3.14" or "3,14 %" into basis points (314). */
export function basisPointsFromPercent(text: string, field = 'percent'): number {
  const match = PERCENT.exec(text.trim());
  const [, whole = '', fraction = ''] = match ?? [];
  const basisPoints = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!match || basisPoints > 10_000) {
    throw new ValidationError(
      'percent_invalid',
      field,
      `${field} must be a percentage between 0 and 100 with at most two decimals, got "${text}".`,
    );
  }
  return basisPoints;
}
