// NOWPayments REST client: one fetch per attempt with its own timeout, retries with backoff for
// transient failures only, every answer validated. The API key lives in this closure and in
// the x-api-key header, nowhere else: not in errors, logs or any returned object.
//
// Retry policy. Reads (status, currencies, min-amount, estimate, GET /payment) are retried on
// 429, 5xx, timeouts and network errors. POST /payment has no idempotency key, so sending it
// twice can create two payments (two deposit addresses for one order). It is retried only
// when the first try certainly created nothing: 429 and 503 (rejected before processing) and
// connection-phase errors (ECONNREFUSED, DNS, connect timeout: nothing was sent). After a
// timeout, a reset connection or a 500/502/504 the outcome is unknown: we stop and throw with
// `mayHaveSucceeded: true`, and the checkout must not assume no payment exists (an unpaid
// duplicate simply expires at the provider; a second one created blindly could be paid twice).
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import type { Logger } from '../../log.ts';
import { callbackUrl, currency, invalid, positiveAmount, shortText } from './arguments.ts';
import { parseJsonExact } from './decimal.ts';
import { NowPaymentsError, type NowPaymentsErrorInit } from './errors.ts';
import { backoffDelay, neverSent, rejectedBeforeProcessing, retryAfterMs, retryableStatus } from './retry.ts';
import {
  type CreatedPayment,
  currenciesWire,
  EXACT_NUMBER_KEYS,
  estimateWire,
  minAmountWire,
  type NowPayment,
  paymentWire,
  statusWire,
  toPayment,
} from './schemas.ts';
import { buildUrl, checkBaseUrl, describeNetworkError, fallbackCode, providerError } from './wire.ts';

export interface NowPaymentsClientOptions {
  /** e.g. https://api.nowpayments.io/v1 or the simulator's http://127.0.0.1:<port>/v1 */
  baseUrl: string;
  apiKey: string;
  /** Per attempt, response body included. Default 10 s. */
  timeoutMs?: number;
  /** Extra attempts after the first, for failures the policy above allows. Default 2. */
  retries?: number;
  /** First backoff step. Default 250 ms. */
  baseDelayMs?: number;
  /** Longest wait between attempts; a Retry-After beyond it ends the retries. Default 5 s. */
  maxDelayMs?: number;
  fetch?: typeof globalThis.fetch;
  log?: Logger;
}

export interface ApiStatus {
  ok: boolean;
  message: string;
}

export interface MinAmount {
  from: string;
  to: string | null;
  /** In `from` units, decimal string. */
  minAmount: string;
  /** The same minimum in USD, when asked with fiatEquivalent. */
  fiatEquivalent: string | null;
}

export interface Estimate {
  from: string;
  to: string;
  amountFrom: string;
  estimatedAmount: string;
}

export interface CreatePaymentInput {
  /** USD amount the buyer pays (fee included) as a decimal string, e.g. formatCents(1249) = "12.49". */
  priceAmount: string;
  priceCurrency: 'usd';
  payCurrency: string;
  orderId: string;
  orderDescription: string;
  ipnCallbackUrl: string;
  /** Forces the settlement coin (upstream sends usdtsol for usdtsol payments). */
  payoutCurrency?: string;
}

export interface NowPaymentsClient {
  status(): Promise<ApiStatus>;
  currencies(): Promise<string[]>;
  minAmount(args: { from: string; to?: string; fiatEquivalent?: 'usd' }): Promise<MinAmount>;
  estimate(args: { amount: string; from: 'usd'; to: string }): Promise<Estimate>;
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  getPayment(paymentId: string | number): Promise<NowPayment>;
}

type Policy = 'read' | 'create';
type FailInit = Omit<NowPaymentsErrorInit, 'operation' | 'attempts'>;

interface Call<T> {
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  policy: Policy;
  schema: z.ZodType;
  map: (data: never, raw: Record<string, unknown>) => T;
}

type Attempt =
  | { kind: 'response'; status: number; retryAfter: string | null; text: string }
  | { kind: 'timeout'; error: unknown }
  | { kind: 'network'; error: unknown };

// USD with at most 8 decimals and 9 integer digits: Number() of it prints back identically.
const USD_AMOUNT = /^\d{1,9}(?:\.\d{1,8})?$/;

export function createNowPaymentsClient(options: NowPaymentsClientOptions): NowPaymentsClient {
  const apiKey = options.apiKey;
  if (typeof apiKey !== 'string' || apiKey.trim() === '')
    throw new TypeError('NOWPayments apiKey is required');
  const baseUrl = checkBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const log = options.log;

  // Belt and braces: whatever the provider echoes, the key never leaves in an error message.
  const scrub = (text: string) => text.split(apiKey).join('[redacted]');

  async function attemptOnce(call: Call<unknown>, url: string): Promise<Attempt> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await doFetch(url, {
        method: call.method,
        headers: {
          'x-api-key': apiKey,
          accept: 'application/json',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal,
        redirect: 'error',
      });
      // The same signal bounds the body: a server that stalls mid-body times out too.
      const text = await response.text();
      return {
        kind: 'response',
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        text,
      };
    } catch (error) {
      return signal.aborted ? { kind: 'timeout', error } : { kind: 'network', error };
    }
  }

  async function run<T>(call: Call<T>): Promise<T> {
    const url = buildUrl(baseUrl, call.path, call.query);
    const fail = (attempts: number, init: FailInit) =>
      new NowPaymentsError({ ...init, detail: scrub(init.detail), operation: call.operation, attempts });

    for (let attempt = 1; ; attempt++) {
      const outcome = await attemptOnce(call as Call<unknown>, url);
      let error: NowPaymentsError;
      let retryable: boolean;
      let waitAtLeast = 0;

      if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
        return parseSuccess(call, outcome, attempt, fail);
      }
      if (outcome.kind === 'response') {
        const { status } = outcome;
        const provider = providerError(outcome.text);
        const created = call.policy === 'create' && !rejectedBeforeProcessing(status) && status >= 500;
        error = fail(attempt, {
          status,
          code: provider.code ?? fallbackCode(status),
          detail: provider.message ?? `unexpected HTTP ${status}`,
          mayHaveSucceeded: created,
        });
        retryable = call.policy === 'create' ? rejectedBeforeProcessing(status) : retryableStatus(status);
        const after = retryAfterMs(outcome.retryAfter);
        if (retryable && after !== null) {
          if (after > maxDelayMs) retryable = false;
          waitAtLeast = after;
        }
      } else if (outcome.kind === 'timeout') {
        error = fail(attempt, {
          status: null,
          code: 'TIMEOUT',
          detail: `no complete answer within ${timeoutMs} ms`,
          mayHaveSucceeded: call.policy === 'create',
          cause: outcome.error,
        });
        retryable = call.policy === 'read';
      } else {
        const unsent = neverSent(outcome.error);
        error = fail(attempt, {
          status: null,
          code: 'NETWORK_ERROR',
          detail: describeNetworkError(outcome.error),
          mayHaveSucceeded: call.policy === 'create' && !unsent,
          cause: outcome.error,
        });
        retryable = call.policy === 'read' || unsent;
      }

      if (!retryable || attempt > retries) throw error;
      const delayMs = Math.max(waitAtLeast, backoffDelay(attempt, baseDelayMs, maxDelayMs));
      log?.warn(
        { operation: call.operation, attempt, status: error.status, code: error.providerCode, delayMs },
        'NOWPayments call failed; retrying',
      );
      await sleep(delayMs);
    }
  }

  return {
    status: () =>
      run({
        operation: 'status',
        method: 'GET',
        path: '/status',
        policy: 'read',
        schema: statusWire,
        map: (data: z.output<typeof statusWire>) => ({
          ok: data.message.trim().toUpperCase() === 'OK',
          message: data.message,
        }),
      }),

    currencies: () =>
      run({
        operation: 'currencies',
        method: 'GET',
        path: '/currencies',
        policy: 'read',
        schema: currenciesWire,
        map: (data: z.output<typeof currenciesWire>) => data.currencies.map((c) => c.toLowerCase()),
      }),

    // async: a bad argument is a rejected promise like any other failure, never a throw.
    minAmount: async (args) => {
      const from = currency('minAmount', 'from', args.from);
      const to = args.to === undefined ? undefined : currency('minAmount', 'to', args.to);
      return run({
        operation: 'minAmount',
        method: 'GET',
        path: '/min-amount',
        query: { currency_from: from, currency_to: to, fiat_equivalent: args.fiatEquivalent },
        policy: 'read',
        schema: minAmountWire,
        map: (data: z.output<typeof minAmountWire>) => ({
          from: data.currency_from,
          to: data.currency_to ?? to ?? null,
          minAmount: data.min_amount,
          fiatEquivalent: data.fiat_equivalent,
        }),
      });
    },

    estimate: async (args) => {
      const amount = positiveAmount('estimate', 'amount', args.amount);
      return run({
        operation: 'estimate',
        method: 'GET',
        path: '/estimate',
        query: {
          amount,
          currency_from: currency('estimate', 'from', args.from),
          currency_to: currency('estimate', 'to', args.to),
        },
        policy: 'read',
        schema: estimateWire,
        map: (data: z.output<typeof estimateWire>) => ({
          from: data.currency_from,
          to: data.currency_to,
          amountFrom: data.amount_from,
          estimatedAmount: data.estimated_amount,
        }),
      });
    },

    createPayment: async (input) => {
      const priceAmount = positiveAmount('createPayment', 'priceAmount', input.priceAmount);
      if (!USD_AMOUNT.test(priceAmount)) invalid('createPayment', 'priceAmount', input.priceAmount);
      const body: Record<string, unknown> = {
        price_amount: Number(priceAmount),
        price_currency: currency('createPayment', 'priceCurrency', input.priceCurrency),
        pay_currency: currency('createPayment', 'payCurrency', input.payCurrency),
        order_id: shortText('createPayment', 'orderId', input.orderId),
        order_description: shortText('createPayment', 'orderDescription', input.orderDescription),
        ipn_callback_url: callbackUrl(input.ipnCallbackUrl),
      };
      if (input.payoutCurrency !== undefined) {
        body.payout_currency = currency('createPayment', 'payoutCurrency', input.payoutCurrency);
      }
      return run({
        operation: 'createPayment',
        method: 'POST',
        path: '/payment',
        body,
        policy: 'create',
        schema: paymentWire,
        map: (data: z.output<typeof paymentWire>, raw) => {
          const payment = toPayment(data, raw);
          if (!payment.payAddress) throw new Error('pay_address is missing');
          return payment as CreatedPayment;
        },
      });
    },

    getPayment: async (paymentId) => {
      const id = String(paymentId).trim();
      if (!/^\d{1,30}$/.test(id)) invalid('getPayment', 'paymentId', paymentId);
      return run({
        operation: 'getPayment',
        method: 'GET',
        path: `/payment/${id}`,
        policy: 'read',
        schema: paymentWire,
        map: (data: z.output<typeof paymentWire>, raw) => toPayment(data, raw),
      });
    },
  };
}

function parseSuccess<T>(
  call: Call<T>,
  outcome: { status: number; text: string },
  attempts: number,
  fail: (attempts: number, init: FailInit) => NowPaymentsError,
): T {
  // A 2xx means POST /payment did create the payment, whatever the body looks like.
  const created = call.policy === 'create';
  let json: unknown;
  try {
    json = parseJsonExact(outcome.text, EXACT_NUMBER_KEYS);
  } catch {
    throw fail(attempts, {
      status: outcome.status,
      code: 'INVALID_RESPONSE',
      detail: 'the body is not JSON',
      mayHaveSucceeded: created,
    });
  }
  const parsed = call.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(attempts, {
      status: outcome.status,
      code: 'INVALID_RESPONSE',
      detail: `unexpected body: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
      mayHaveSucceeded: created,
    });
  }
  try {
    return call.map(parsed.data as never, json as Record<string, unknown>);
  } catch (error) {
    throw fail(attempts, {
      status: outcome.status,
      code: 'INVALID_RESPONSE',
      detail: `unexpected body: ${(error as Error).message}`,
      mayHaveSucceeded: created,
    });
  }
}
