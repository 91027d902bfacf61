// Arguments checked before any request: a bad one is our bug or a caller's, never sent.
import { toPlainDecimal } from './decimal.ts';
import { NowPaymentsError } from './errors.ts';

const CURRENCY = /^[a-z0-9]{2,20}$/;

export function invalid(operation: string, field: string, value: unknown): never {
  throw new NowPaymentsError({
    operation,
    status: null,
    code: 'INVALID_ARGUMENT',
    detail: `${field} is invalid: ${JSON.stringify(value)?.slice(0, 60)}`,
    attempts: 0,
  });
}

export function currency(operation: string, field: string, value: string): string {
  const code = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!CURRENCY.test(code)) invalid(operation, field, value);
  return code;
}

export function positiveAmount(operation: string, field: string, value: string): string {
  const plain = typeof value === 'string' ? toPlainDecimal(value) : null;
  if (plain === null || plain.startsWith('-') || plain === '0') invalid(operation, field, value);
  return plain;
}

export function shortText(operation: string, field: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 500)
    invalid(operation, field, value);
  return value;
}

export function callbackUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // reported below
  }
  return invalid('createPayment', 'ipnCallbackUrl', value);
}
