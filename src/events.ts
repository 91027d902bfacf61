// Business events the operator counts. Services and adapters say what happened through this
// interface; the composition root wires it to the metrics, so nothing else knows prom-client.
import type { Services } from './services/index.ts';

export interface BusinessEvents {
  /** An order became paid: a provider payment completed it, or it was free. */
  orderPaid(): void;
  /** A paid order reached its buyer. */
  orderDelivered(): void;
  /** A one-time link started a download. */
  downloadServed(): void;
  /** Seller payout lines recorded as paid. */
  payoutsPaid(count: number): void;
}

/**
 * The services, with the use cases that make a business event report it once they succeed:
 * free orders paid at checkout, downloads started, payouts marked paid. Orders paid by a
 * provider's notification and deliveries are reported where those happen (the IPN route's
 * outcome, the delivery channel).
 */
export function reportingServices(services: Services, events: BusinessEvents): Services {
  const { checkout, downloads, payouts } = services;
  return {
    ...services,
    checkout: {
      ...checkout,
      startOrder: async (buyerId, productId) => {
        const started = await checkout.startOrder(buyerId, productId);
        if (!started.reused && started.order.status === 'paid') events.orderPaid();
        return started;
      },
    },
    downloads: {
      ...downloads,
      open: async (token, rangeHeader) => {
        const delivery = await downloads.open(token, rangeHeader);
        events.downloadServed();
        return delivery;
      },
    },
    payouts: {
      ...payouts,
      markPaid: async (admin, payoutId, txHash) => {
        const paid = await payouts.markPaid(admin, payoutId, txHash);
        events.payoutsPaid(1);
        return paid;
      },
      markSellerPaid: async (admin, sellerId, txHash) => {
        const paid = await payouts.markSellerPaid(admin, sellerId, txHash);
        events.payoutsPaid(paid.payouts.length);
        return paid;
      },
    },
  };
}
