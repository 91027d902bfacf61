// A local NOWPayments double. It speaks the provider's HTTP API under /v1 (same paths, fields,
// x-api-key check and error envelope) and adds a control API under /sim that plays the buyer's
// wallet: it walks a payment through its statuses and posts a signed IPN for each one, exactly
// as the provider would. `npm start` without NOWPAYMENTS_API_KEY runs on it; tests drive it.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyReply, LogController } from 'fastify';
import {
  compareDecimal,
  divideDecimal,
  multiplyDecimal,
  toPlainDecimal,
} from '../../integrations/nowpayments/decimal.ts';
import type { NowPaymentStatus } from '../../integrations/nowpayments/schemas.ts';
import type { Logger } from '../../log.ts';
import { DEFAULT_SIM_COINS, fakeAddress, type SimCoin } from './coins.ts';
import { isForm, pagePath, pageRows, registerControlRoutes } from './control.ts';
import { createIpnSender, type IpnDelivery } from './ipn.ts';
import { renderPage } from './page.ts';
import {
  ADVANCE_TARGETS,
  type AdvanceTarget,
  applyStatus,
  chooseActuallyPaid,
  ipnJson,
  paymentJson,
  planSteps,
  type SimPayment,
  SimulatorError,
} from './state.ts';

export { DEFAULT_SIM_COINS, type SimCoin } from './coins.ts';
export type { IpnDelivery } from './ipn.ts';
export { ADVANCE_TARGETS, type AdvanceTarget, SimulatorError } from './state.ts';

export interface NowPaymentsSimulatorOptions {
  apiKey: string;
  ipnSecret: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** A loopback address (default 127.0.0.1): the simulator is never reachable from outside this machine. */
  host?: string;
  /** Needed by the control routes (/sim); default: random, for this run only. */
  controlToken?: string;
  log?: Logger;
  /** Coins offered (default: every coin in `coins`). */
  currencies?: readonly string[];
  /** Rates, minimums and formats; merged over DEFAULT_SIM_COINS. */
  coins?: Readonly<Record<string, SimCoin>>;
  /** How long an IPN receiver gets to answer. Default 3000 ms, the provider's limit. */
  ipnTimeoutMs?: number;
  /** IPNs go to loopback hosts only unless this is true. */
  allowRemoteCallbacks?: boolean;
  /** Payment validity (expiration_estimate_date). Default 24 h. */
  expiryMs?: number;
}

export interface AdvanceOptions {
  /** Coins received, decimal string. Default: the full pay_amount (half of it for partially_paid). */
  actuallyPaid?: string;
  /** Send every IPN twice in a row. */
  duplicate?: boolean;
  /** Send this call's IPNs newest first (finished before confirming). */
  outOfOrder?: boolean;
  /** false: change the status silently, as when an IPN is lost (default true). */
  notify?: boolean;
  /** Fields replaced in the IPN bodies (still correctly signed): amount or currency mismatch tests. */
  override?: Readonly<Record<string, unknown>>;
}

export interface AdvanceResult {
  payment: Record<string, unknown>;
  steps: NowPaymentStatus[];
  deliveries: IpnDelivery[];
}

export interface NowPaymentsSimulator {
  /** http://127.0.0.1:<port>/v1: give it to createNowPaymentsClient. */
  baseUrl: string;
  /** The page where a person marks payments paid, with this run's control token. */
  pageUrl: string;
  controlToken: string;
  advance(paymentId: string | number, to: AdvanceTarget, options?: AdvanceOptions): Promise<AdvanceResult>;
  /** Posts the payment's current state again `copies` times at once (replays, concurrency tests). */
  resendIpn(paymentId: string | number, options?: { copies?: number }): Promise<IpnDelivery[]>;
  /** Every payment as GET /payment/:id shows it, oldest first. */
  payments(): Record<string, unknown>[];
  /** Every IPN sent so far, with what our server answered. */
  deliveries(): IpnDelivery[];
  close(): Promise<void>;
}

function apiError(reply: FastifyReply, statusCode: number, code: string, message: string) {
  return reply.code(statusCode).send({ status: false, statusCode, code, message });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export async function startNowPaymentsSimulator(
  options: NowPaymentsSimulatorOptions,
): Promise<NowPaymentsSimulator> {
  if (!options.apiKey || !options.ipnSecret)
    throw new TypeError('The simulator needs an apiKey and an ipnSecret');
  const coins: Record<string, SimCoin> = { ...DEFAULT_SIM_COINS, ...options.coins };
  const offered = (options.currencies ?? Object.keys(coins)).map((c) => c.toLowerCase());
  for (const code of offered) if (!coins[code]) throw new TypeError(`No simulator rate for currency ${code}`);
  const host = options.host ?? '127.0.0.1';
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host))
    throw new TypeError(`The simulator listens on loopback only, not ${host}`);
  const controlToken = options.controlToken ?? randomBytes(18).toString('base64url');
  const ipnTimeoutMs = options.ipnTimeoutMs ?? 3_000;
  const expiryMs = options.expiryMs ?? 24 * 3600_000;
  const keyDigest = digest(options.apiKey);
  const log = options.log?.child({ component: 'nowpayments-simulator' });

  const payments = new Map<number, SimPayment>();
  const sender = createIpnSender({
    secret: options.ipnSecret,
    timeoutMs: ipnTimeoutMs,
    allowRemoteCallbacks: options.allowRemoteCallbacks ?? false,
    ...(log ? { log } : {}),
  });
  const { deliveries } = sender;
  const deliver = sender.deliver;
  // One advance at a time per payment, so that its statuses and IPNs never interleave.
  const locks = new Map<number, Promise<unknown>>();
  let nextPaymentId = 5_000_000_000 + randomInt(0, 100_000_000);
  let nextPurchaseId = 4_000_000_000 + randomInt(0, 100_000_000);

  const coinOf = (payment: SimPayment): SimCoin => coins[payment.payCurrency] as SimCoin;
  const coinFor = (code: unknown): SimCoin | undefined => {
    const key = typeof code === 'string' ? code.toLowerCase() : '';
    return offered.includes(key) ? coins[key] : undefined;
  };

  function find(paymentId: string | number): SimPayment {
    const id = Number(paymentId);
    const payment = Number.isSafeInteger(id) ? payments.get(id) : undefined;
    if (!payment)
      throw new SimulatorError(
        404,
        'PAYMENT_NOT_FOUND',
        `Payment ${String(paymentId).slice(0, 30)} not found`,
      );
    return payment;
  }

  async function withLock<T>(payment: SimPayment, work: () => Promise<T>): Promise<T> {
    const previous = locks.get(payment.paymentId) ?? Promise.resolve();
    const next = previous.then(work, work);
    locks.set(
      payment.paymentId,
      next.catch(() => undefined),
    );
    return next;
  }

  function advance(
    paymentId: string | number,
    to: AdvanceTarget,
    opts: AdvanceOptions = {},
  ): Promise<AdvanceResult> {
    if (!ADVANCE_TARGETS.includes(to)) {
      return Promise.reject(
        new SimulatorError(400, 'INVALID_REQUEST_PARAMS', `to must be one of ${ADVANCE_TARGETS.join(', ')}`),
      );
    }
    let payment: SimPayment;
    try {
      payment = find(paymentId);
    } catch (error) {
      return Promise.reject(error);
    }
    return withLock(payment, async () => {
      const coin = coinOf(payment);
      const steps = planSteps(payment.status, to);
      const paid = chooseActuallyPaid(payment, coin, to, opts.actuallyPaid);
      const snapshots: Record<string, unknown>[] = [];
      for (const status of steps) {
        applyStatus(payment, coin, status, paid, new Date());
        snapshots.push({ ...ipnJson(payment, coin), ...opts.override });
      }
      log?.info({ paymentId: payment.paymentId, steps }, 'Payment advanced');
      const sent: IpnDelivery[] = [];
      if (opts.notify !== false) {
        const order = opts.outOfOrder ? [...snapshots].reverse() : snapshots;
        for (const body of order) {
          sent.push(await deliver(payment, body));
          if (opts.duplicate) sent.push(await deliver(payment, body));
        }
      }
      return { payment: paymentJson(payment, coin), steps, deliveries: sent };
    });
  }

  async function resendIpn(
    paymentId: string | number,
    opts: { copies?: number } = {},
  ): Promise<IpnDelivery[]> {
    const payment = find(paymentId);
    const copies = Math.max(1, Math.min(1000, Math.trunc(opts.copies ?? 1)));
    const body = ipnJson(payment, coinOf(payment));
    return Promise.all(Array.from({ length: copies }, () => deliver(payment, body)));
  }

  function createPayment(body: Record<string, unknown>): SimPayment {
    const bad = (message: string) => new SimulatorError(400, 'INVALID_REQUEST_PARAMS', message);
    const price =
      typeof body.price_amount === 'number' || typeof body.price_amount === 'string'
        ? toPlainDecimal(body.price_amount)
        : null;
    if (price === null || compareDecimal(price, '0') <= 0)
      throw bad('price_amount must be a positive number');
    if (String(body.price_currency ?? '').toLowerCase() !== 'usd') throw bad('price_currency must be usd');
    const payCurrency = String(body.pay_currency ?? '').toLowerCase();
    const coin = coinFor(payCurrency);
    if (!coin)
      throw new SimulatorError(
        400,
        'CURRENCY_UNAVAILABLE',
        `pay_currency ${payCurrency.slice(0, 20)} is not available`,
      );
    const payout =
      body.payout_currency === undefined ? payCurrency : String(body.payout_currency).toLowerCase();
    if (!coinFor(payout)) throw bad('payout_currency is not available');
    const optionalText = (value: unknown, field: string) => {
      if (value === undefined || value === null) return null;
      if (typeof value !== 'string' || value.length > 500) throw bad(`${field} must be a string`);
      return value;
    };
    const callback = optionalText(body.ipn_callback_url, 'ipn_callback_url');
    if (callback !== null) {
      try {
        if (!/^https?:$/.test(new URL(callback).protocol)) throw new Error();
      } catch {
        throw bad('ipn_callback_url must be an http(s) URL');
      }
    }
    const payAmount = divideDecimal(price, coin.usdRate, coin.decimals, true);
    if (compareDecimal(payAmount, coin.minAmount) < 0) {
      throw new SimulatorError(
        400,
        'AMOUNT_MINIMAL_ERROR',
        `amountTo is too small (minimum ${coin.minAmount} ${payCurrency})`,
      );
    }
    const now = new Date();
    const paymentId = nextPaymentId++;
    const payment: SimPayment = {
      paymentId,
      purchaseId: String(nextPurchaseId++),
      status: 'waiting',
      payAddress: fakeAddress(coin, `${payCurrency}:${paymentId}`),
      priceAmount: price,
      priceCurrency: 'usd',
      payAmount,
      actuallyPaid: '0',
      payCurrency,
      orderId: optionalText(body.order_id, 'order_id'),
      orderDescription: optionalText(body.order_description, 'order_description'),
      ipnCallbackUrl: callback,
      outcomeCurrency: payout,
      payinHash: null,
      payoutHash: null,
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + expiryMs),
    };
    payments.set(paymentId, payment);
    log?.info({ paymentId, orderId: payment.orderId, payAmount, payCurrency }, 'Payment created');
    return payment;
  }

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger | undefined,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
  // The page's buttons post plain forms.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, text, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(text))));
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof SimulatorError) {
      if (isForm(request))
        return reply
          .code(error.statusCode)
          .type('text/html')
          .send(renderPage(pageRows([...payments.values()], deliveries), controlToken, error.message));
      return apiError(reply, error.statusCode, error.code, error.message);
    }
    const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
    const message = error instanceof Error ? error.message : 'Internal error';
    if (statusCode >= 500) log?.error({ err: error }, 'Simulator error');
    return apiError(
      reply,
      statusCode,
      statusCode >= 500 ? 'INTERNAL_ERROR' : 'INVALID_REQUEST_PARAMS',
      message,
    );
  });
  app.setNotFoundHandler((_request, reply) => apiError(reply, 404, 'NOT_FOUND', 'Not found'));

  // --- the NOWPayments API ---------------------------------------------------------------
  app.register(
    async (api) => {
      // Like the provider: /status is public, everything else needs the key.
      api.addHook('onRequest', async (request, reply) => {
        if (request.routeOptions.url === '/v1/status') return;
        const given = request.headers['x-api-key'];
        const ok = typeof given === 'string' && timingSafeEqual(digest(given), keyDigest);
        if (!ok) return apiError(reply, 401, 'INVALID_API_KEY', 'Invalid api key');
      });

      api.get('/status', async () => ({ message: 'OK' }));

      api.get('/currencies', async () => ({ currencies: offered }));

      api.get('/min-amount', async (request) => {
        const query = request.query as Record<string, string | undefined>;
        const from = String(query.currency_from ?? '').toLowerCase();
        const coin = coinFor(from);
        if (!coin) throw new SimulatorError(400, 'INVALID_REQUEST_PARAMS', 'currency_from is not available');
        const to = query.currency_to ? query.currency_to.toLowerCase() : from;
        if (!coinFor(to) && to !== 'usd')
          throw new SimulatorError(400, 'INVALID_REQUEST_PARAMS', 'currency_to is not available');
        const answer: Record<string, unknown> = {
          currency_from: from,
          currency_to: to,
          min_amount: Number(coin.minAmount),
        };
        if (query.fiat_equivalent) {
          if (query.fiat_equivalent.toLowerCase() !== 'usd') {
            throw new SimulatorError(400, 'INVALID_REQUEST_PARAMS', 'fiat_equivalent must be usd');
          }
          answer.fiat_equivalent = Number(multiplyDecimal(coin.minAmount, coin.usdRate, 2, true));
        }
        return answer;
      });

      api.get('/estimate', async (request) => {
        const query = request.query as Record<string, string | undefined>;
        const amount = toPlainDecimal(query.amount ?? '');
        if (amount === null || compareDecimal(amount, '0') <= 0) {
          throw new SimulatorError(400, 'INVALID_REQUEST_PARAMS', 'amount must be a positive number');
        }
        const from = String(query.currency_from ?? '').toLowerCase();
        const to = String(query.currency_to ?? '').toLowerCase();
        const usdRate = (code: string) => (code === 'usd' ? '1' : coinFor(code)?.usdRate);
        const fromRate = usdRate(from);
        const toRate = usdRate(to);
        if (!fromRate || !toRate)
          throw new SimulatorError(400, 'INVALID_REQUEST_PARAMS', 'currency pair is not available');
        const decimals = to === 'usd' ? 2 : (coinFor(to)?.decimals ?? 8);
        const usd = multiplyDecimal(amount, fromRate, 12);
        return {
          currency_from: from,
          amount_from: Number(amount),
          currency_to: to,
          estimated_amount: Number(divideDecimal(usd, toRate, decimals, true)),
        };
      });

      api.post('/payment', async (request, reply) => {
        const body = request.body;
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          throw new SimulatorError(400, 'INVALID_REQUEST_PARAMS', 'JSON body expected');
        }
        const payment = createPayment(body as Record<string, unknown>);
        return reply.code(201).send(paymentJson(payment, coinOf(payment), true));
      });

      api.get('/payment/:id', async (request) => {
        const payment = find((request.params as { id: string }).id);
        return paymentJson(payment, coinOf(payment));
      });
    },
    { prefix: '/v1' },
  );

  registerControlRoutes(app, {
    payments: () => [...payments.values()],
    deliveries,
    coinOf,
    advance,
    resendIpn,
    token: controlToken,
  });

  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('The simulator did not get a TCP port');
  const bound = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${bound}:${address.port}`;
  const pageUrl = `${origin}${pagePath(controlToken)}`;
  log?.info({ baseUrl: `${origin}/v1`, page: pageUrl }, 'NOWPayments simulator listening');

  return {
    baseUrl: `${origin}/v1`,
    pageUrl,
    controlToken,
    advance,
    resendIpn,
    payments: () => [...payments.values()].map((p) => paymentJson(p, coinOf(p))),
    deliveries: () => [...deliveries],
    close: () => app.close(),
  };
}
