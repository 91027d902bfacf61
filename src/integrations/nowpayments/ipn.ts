// Reading an IPN in one step for the HTTP route: check the signature on the raw body, then
// validate the same bytes. Nothing is parsed into a payment unless the signature holds.
import { z } from 'zod';
import { parseJsonExact } from './decimal.ts';
import { decimalAmount, EXACT_NUMBER_KEYS, type NowPayment, paymentWire, toPayment } from './schemas.ts';
import { verifyIpnSignature } from './signature.ts';

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
  | { ok: false; reason: 'bad_signature' | 'invalid_payload'; detail?: string };

/**
 * Verifies `x-nowpayments-sig` over the raw body, then parses it (amounts exact). A bad or
 * missing signature (or a body that is not JSON) is 'bad_signature': answer 401, store nothing.
 * 'invalid_payload' is a correctly signed body we cannot read: log it and answer 400.
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
  if (!verifyIpnSignature(plain as object, signature, secret)) return { ok: false, reason: 'bad_signature' };
  const exact = parseJsonExact(text, EXACT_NUMBER_KEYS);
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
