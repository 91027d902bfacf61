// Money is an integer number of US cents everywhere: no float ever holds a price, so sums and
// comparisons are exact. Text is converted at the edges only (parse on input, format on output).

import { ValidationError } from './errors.ts';

/** An integer amount of US cents. */
export type Cents = number;

export function isCents(value: unknown): value is Cents {
  return Number.isSafeInteger(value);
}

/** Guards internal arithmetic: a non-integer here is a bug, not bad user input. */
export function assertCents(value: number, what = 'amount'): Cents {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${what} must be an integer number of cents, got ${value}`);
  return value;
}

/** Listed price rule: free, or within [minCents, maxCents]. */
export interface PricePolicy {
  readonly allowFree: boolean;
  readonly minCents: Cents;
  readonly maxCents: Cents;
}

/** SPEC: a price is 0 (free) or between 9.99 and 5000.00 USD. */
export const DEFAULT_PRICE_POLICY: PricePolicy = Object.freeze({
  allowFree: true,
  minCents: 999,
  maxCents: 500_000,
});

// Optional "$" before or "$"/"USD" after; the number itself is checked separately so that each
// kind of mistake gets its own code.
const CURRENCY_BEFORE = /^\$\s*/;
const CURRENCY_AFTER = /\s*(?:\$|usd)$/i;
const NEGATIVE = /^[-\u2212]\s*\d/;
// Nine integer digits is far above any price and keeps every result a safe integer.
const USER_NUMBER = /^(\d{1,9})(?:[.,](\d+))?$/;

/**
 * Reads a price typed by a person: "9.99", "9,99", "10", "$12.50", "12.50 $", "15 usd".
 * Returns cents; range rules are `validatePrice`'s job. Rejects signs, exponents, thousands
 * separators and more than two decimals rather than guessing what was meant.
 */
export function parsePrice(input: string): Cents {
  const text = input.trim();
  if (text === '') throw priceError('price_required', 'Type a price, for example 9.99 (or 0 for free).');
  const before = CURRENCY_BEFORE.test(text);
  const after = CURRENCY_AFTER.test(text);
  const number = text.replace(CURRENCY_BEFORE, '').replace(CURRENCY_AFTER, '');
  if (NEGATIVE.test(number)) throw priceError('price_negative', 'A price cannot be negative.');
  const match = USER_NUMBER.exec(number);
  if (!match || (before && after)) {
    throw priceError('price_invalid', `"${shorten(text)}" is not a price: type a number such as 9.99.`);
  }
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > 2) throw priceError('price_too_precise', 'A price has at most two decimals (cents).');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Checks a price in cents against the listing rule; returns it unchanged. */
export function validatePrice(cents: Cents, policy: PricePolicy = DEFAULT_PRICE_POLICY): Cents {
  const details = { min: formatCents(policy.minCents), max: formatCents(policy.maxCents) };
  if (!isCents(cents))
    throw priceError('price_invalid', `A price must be a whole number of cents, got ${cents}.`);
  if (cents < 0) throw priceError('price_negative', 'A price cannot be negative.');
  if (cents === 0 && policy.allowFree) return cents;
  if (cents < policy.minCents) {
    const free = policy.allowFree ? ' (or 0 for a free product)' : '';
    throw priceError(
      'price_below_minimum',
      `The lowest price is ${formatUsd(policy.minCents)}${free}.`,
      details,
    );
  }
  if (cents > policy.maxCents) {
    throw priceError('price_above_maximum', `The highest price is ${formatUsd(policy.maxCents)}.`, details);
  }
  return cents;
}

/** `parsePrice` then `validatePrice`: what the wizard and the edit screen need. */
export function parseListedPrice(input: string, policy: PricePolicy = DEFAULT_PRICE_POLICY): Cents {
  return validatePrice(parsePrice(input), policy);
}

const MACHINE_DECIMAL = /^(-?)(\d{1,13})(?:\.(\d+))?$/;

/**
 * Converts a machine-written decimal amount (a PostgreSQL numeric, a provider's JSON number such
 * as 12.5) into cents. Exact: digits beyond the cent must be zeros, otherwise it throws, so an
 * amount is never silently rounded.
 */
export function centsFromDecimal(value: string | number, field = 'amount'): Cents {
  // String(12.5) is the shortest text that reads back as the same double: no binary noise.
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const match = MACHINE_DECIMAL.exec(text);
  const [, sign = '', whole = '0', fraction = ''] = match ?? [];
  if (!match || /[^0]/.test(fraction.slice(2))) {
    throw new ValidationError(
      'amount_invalid',
      field,
      `${field} must be a decimal amount in cents, got ${value}.`,
      {
        value: String(value),
      },
    );
  }
  const cents = Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  return sign === '-' && cents !== 0 ? -cents : cents;
}

/** 1250 → "12.50", -5 → "-0.05". The form NOWPayments and CSV exports expect. */
export function formatCents(cents: Cents): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 1250 → "$12.50", -1250 → "-$12.50". */
export function formatUsd(cents: Cents): string {
  const text = formatCents(cents);
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

function priceError(
  code: ConstructorParameters<typeof ValidationError>[0],
  message: string,
  details?: Record<string, string | number>,
) {
  return new ValidationError(code, 'price', message, details);
}

function shorten(text: string): string {
  return text.length > 20 ? `${text.slice(0, 19)}…` : text;
}
