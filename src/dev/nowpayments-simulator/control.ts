// The simulator's control API (not NOWPayments): a page listing payments with buttons that play
// the buyer's wallet, and JSON routes for tests to advance a payment or resend its IPNs. Whoever
// reaches them can mark payments paid, so each call needs this run's token (in the page's URL,
// logged at start): `?token=` or an `x-sim-token` header.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NowPaymentStatus } from '../../integrations/nowpayments/schemas.ts';
import type { SimCoin } from './coins.ts';
import type { IpnDelivery } from './ipn.ts';
import { type PageRow, renderPage } from './page.ts';
import type { AdvanceOptions, AdvanceResult } from './simulator.ts';
import { type AdvanceTarget, paymentJson, type SimPayment } from './state.ts';

const PAGE_ACTIONS: Partial<Record<NowPaymentStatus, readonly { to: AdvanceTarget; label: string }[]>> = {
  waiting: [
    { to: 'finished', label: 'Mark paid' },
    { to: 'partially_paid', label: 'Pay half' },
    { to: 'expired', label: 'Expire' },
    { to: 'failed', label: 'Fail' },
  ],
  confirming: [
    { to: 'finished', label: 'Mark paid' },
    { to: 'failed', label: 'Fail' },
  ],
  confirmed: [{ to: 'finished', label: 'Finish' }],
  sending: [{ to: 'finished', label: 'Finish' }],
};

/** One row per payment for the page: what it is, its status, its last IPN and the buttons it offers. */
export function pageRows(payments: readonly SimPayment[], deliveries: readonly IpnDelivery[]): PageRow[] {
  return payments.map((p) => {
    const last = deliveries.findLast((d) => d.paymentId === String(p.paymentId));
    return {
      paymentId: String(p.paymentId),
      orderId: p.orderId,
      description: p.orderDescription,
      price: `${p.priceAmount} ${p.priceCurrency.toUpperCase()}`,
      pay: `${p.payAmount} ${p.payCurrency.toUpperCase()}`,
      paid: p.actuallyPaid,
      status: p.status,
      lastIpn: last ? `${last.paymentStatus} → ${last.httpStatus ?? last.error}` : '',
      actions: PAGE_ACTIONS[p.status] ?? [],
    };
  });
}

export interface ControlDeps {
  payments: () => SimPayment[];
  deliveries: readonly IpnDelivery[];
  coinOf: (payment: SimPayment) => SimCoin;
  advance(paymentId: string, to: AdvanceTarget, options: AdvanceOptions): Promise<AdvanceResult>;
  resendIpn(paymentId: string, options: { copies: number }): Promise<IpnDelivery[]>;
  /** This run's control token. */
  token: string;
}

const TOKEN_HEADER = 'x-sim-token';

function tokenMatches(given: unknown, token: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export function registerControlRoutes(root: FastifyInstance, deps: ControlDeps): void {
  root.register(async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      const given = request.headers[TOKEN_HEADER] ?? (request.query as { token?: unknown }).token;
      if (!tokenMatches(given, deps.token)) {
        return reply.code(401).send({
          status: false,
          statusCode: 401,
          code: 'SIM_TOKEN_REQUIRED',
          message: `The simulator's control routes need this run's token (?token= or ${TOKEN_HEADER}), shown in the log`,
        });
      }
    });
    controlRoutes(app, deps);
  });
}

function controlRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { deliveries, coinOf, advance, resendIpn, token } = deps;
  app.get('/sim', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderPage(pageRows(deps.payments(), deliveries), token)),
  );

  app.get('/sim/payments', async () => ({
    payments: deps.payments().map((p) => paymentJson(p, coinOf(p))),
  }));

  app.get('/sim/ipn', async () => ({ deliveries }));

  app.post('/sim/payments/:id/advance', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const flag = (value: unknown) => value === true || value === 'true' || value === '1' || value === 'on';
    const result = await advance((request.params as { id: string }).id, body.to as AdvanceTarget, {
      actuallyPaid:
        typeof body.actuallyPaid === 'string' && body.actuallyPaid !== '' ? body.actuallyPaid : undefined,
      duplicate: flag(body.duplicate),
      outOfOrder: flag(body.outOfOrder),
      notify: body.notify === undefined ? true : flag(body.notify),
    });
    if (isForm(request)) return reply.code(303).header('location', pagePath(token)).send();
    return result;
  });

  app.post('/sim/payments/:id/ipn', async (request) => {
    const body = (request.body ?? {}) as { copies?: unknown };
    return {
      deliveries: await resendIpn((request.params as { id: string }).id, {
        copies: Number(body.copies ?? 1),
      }),
    };
  });
}

export function pagePath(token: string): string {
  return `/sim?token=${encodeURIComponent(token)}`;
}

export function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}
