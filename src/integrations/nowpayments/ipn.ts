// Reading an IPN in one step for the HTTP route: check the signature on the raw body, then
// validate the same bytes. Nothing is parsed into a payment unless the signature holds, and
// the signature holds for exactly what we read: the provider signs its numbers as doubles
// (JSON.parse, then JSON.stringify), so a number whose text says more than its double (extra
// digits, or a huge one that parses to Infinity and signs as null) is refused, never stored.
import { z } from 'zod';
import { type InexactNumber, parseJsonExactChecked } from './decimal.ts';
import { decimalAmount, EXACT_NUMBER_KEYS, type NowPayment, paymentWire, toPayment } from './schemas.ts';
import { isJsonObject, verifyIpnSignature } from './signature.ts';

const feeWire = z.looseObject({
  currency: z.string().nullish(),
  depositFee: decimalAmount.nullish(),
  withdrawalFee: decimalAmount.nullish(),
  serviceFee: decimalAmount.nullish(),
});

export const ipnWire = paymentWire.extend({ fee: feeWire.nullish() });

export interface IpnFee {
  currency: string | null;
  depositFee: string | null;
  withdrawalFee: string | null;
  serviceFee: string | null;
}

export interface NowPaymentsIpn extends NowPayment {
  fee: IpnFee | null;
}

export type IpnReadResult =
  | { ok: true; ipn: NowPaymentsIpn }
  | { ok: false; reason: 'bad_signature' | 'inexact_number' | 'invalid_payload'; detail?: string };

/** What a log says of a number the signature does not cover exactly. */
function describeInexact({ key, source, read, value }: InexactNumber): string {
  const shown = source.length > 40 ? `${source.slice(0, 40)}…` : source;
  const digits = source.length > 40 ? ` (${source.length} characters)` : '';
  return `${key}: ${shown}${digits} is not the number the signature covers (${read ?? JSON.stringify(value)})`;
}

/**
 * Verifies `x-nowpayments-sig` over the raw body, then parses it (amounts exact). A bad or
 * missing signature, or a body that is not a JSON object, is 'bad_signature': answer 401, store
 * nothing. A correctly signed body is 'inexact_number' when one of its numbers is not exactly
 * the signed one, 'invalid_payload' when it is not a payment we can read: keep it, answer 400.
 */
export function readIpn(
  rawBody: string | Uint8Array,
  signature: string | readonly string[] | null | undefined,
  secret: string,
): IpnReadResult {
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch {
    // Unparseable bytes cannot carry a provider signature: same answer as a forged one.
    return { ok: false, reason: 'bad_signature', detail: 'the body is not JSON' };
  }
  if (!isJsonObject(plain))
    return { ok: false, reason: 'bad_signature', detail: 'the body is not a JSON object' };
  if (!verifyIpnSignature(plain, signature, secret)) return { ok: false, reason: 'bad_signature' };
  // One pass reads the amounts exactly and finds a number the signature does not cover.
  const { value: exact, inexact } = parseJsonExactChecked(text, EXACT_NUMBER_KEYS);
  if (inexact) return { ok: false, reason: 'inexact_number', detail: describeInexact(inexact) };
  const parsed = ipnWire.safeParse(exact);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: 'invalid_payload',
      detail: issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : undefined,
    };
  }
  const { fee } = parsed.data;
  return {
    ok: true,
    ipn: {
      ...toPayment(parsed.data, exact as Record<string, unknown>),
      fee: fee
        ? {
            currency: fee.currency?.toLowerCase() ?? null,
            depositFee: fee.depositFee ?? null,
            withdrawalFee: fee.withdrawalFee ?? null,
            serviceFee: fee.serviceFee ?? null,
          }
        : null,
    },
  };
}
