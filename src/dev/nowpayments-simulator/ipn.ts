// The simulator's IPN sender: signs each notification as NOWPayments does, posts it to the
// payment's callback (loopback only unless allowed), and keeps a bounded history of deliveries.

import type { NowPaymentStatus } from '../../integrations/nowpayments/schemas.ts';
import { IPN_SIGNATURE_HEADER, signIpn } from '../../integrations/nowpayments/signature.ts';
import type { Logger } from '../../log.ts';
import type { SimPayment } from './state.ts';

export interface IpnDelivery {
  /** Sequence number over the simulator's life. */
  seq: number;
  paymentId: string;
  paymentStatus: NowPaymentStatus;
  /** The status code our server answered; null when no answer came (see `error`). */
  httpStatus: number | null;
  ok: boolean;
  error: string | null;
  responseBody: string;
  durationMs: number;
  at: string;
  /** What was posted, and its x-nowpayments-sig. */
  payload: Record<string, unknown>;
  signature: string;
}

const MAX_DELIVERIES = 10_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function createIpnSender(options: {
  secret: string;
  timeoutMs: number;
  allowRemoteCallbacks: boolean;
  log?: Pick<Logger, 'info'>;
}) {
  const { log } = options;
  const ipnTimeoutMs = options.timeoutMs;
  const deliveries: IpnDelivery[] = [];
  let seq = 0;

  async function deliver(payment: SimPayment, payload: Record<string, unknown>): Promise<IpnDelivery> {
    const signature = signIpn(payload, options.secret);
    const started = performance.now();
    const base = {
      seq: ++seq,
      paymentId: String(payment.paymentId),
      paymentStatus: payload.payment_status as NowPaymentStatus,
      at: new Date().toISOString(),
      payload,
      signature,
    };
    const done = (httpStatus: number | null, error: string | null, responseBody = ''): IpnDelivery => {
      const delivery = {
        ...base,
        httpStatus,
        ok: httpStatus !== null && httpStatus >= 200 && httpStatus < 300,
        error,
        responseBody,
        durationMs: Math.round(performance.now() - started),
      };
      deliveries.push(delivery);
      // A simulator left running for days keeps the recent history only.
      if (deliveries.length > MAX_DELIVERIES) deliveries.splice(0, deliveries.length - MAX_DELIVERIES);
      log?.info(
        { paymentId: delivery.paymentId, paymentStatus: delivery.paymentStatus, httpStatus, error },
        'IPN delivered',
      );
      return delivery;
    };
    const target = payment.ipnCallbackUrl;
    if (!target) return done(null, 'the payment has no ipn_callback_url');
    const url = new URL(target);
    if (!options.allowRemoteCallbacks && !LOOPBACK.has(url.hostname)) {
      return done(null, `refused: ${url.hostname} is not a loopback host (allowRemoteCallbacks is off)`);
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IPN_SIGNATURE_HEADER]: signature },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(ipnTimeoutMs),
        redirect: 'manual',
      });
      const text = await response.text();
      return done(response.status, null, text.slice(0, 1000));
    } catch (error) {
      return done(
        null,
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${ipnTimeoutMs} ms`
          : describe(error),
      );
    }
  }

  return { deliver, deliveries };
}

function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 3; depth++, e = e.cause) parts.push(e.message);
  return parts.join(': ') || String(error);
}
