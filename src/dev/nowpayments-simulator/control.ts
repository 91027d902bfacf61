// The simulator's control API (not NOWPayments): a page listing payments with buttons that play
// the buyer's wallet, and JSON routes for tests to advance a payment or resend its IPNs.
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
}

export function registerControlRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { deliveries, coinOf, advance, resendIpn } = deps;
  app.get('/sim', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderPage(pageRows(deps.payments(), deliveries))),
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
    if (isForm(request)) return reply.code(303).header('location', '/sim').send();
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

export function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}
