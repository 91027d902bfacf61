// An order after checkout: what its buyer sees of it, its delivery, and its expiry when nobody
// pays. Delivery calls Telegram between two short statements, never inside a transaction.
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import {
  expireUnpaidOrders,
  getOrder,
  getOrderForBuyer,
  markOrderDelivered,
  type Order,
} from '../repositories/orders.ts';

export type { Order };

/** Sends a paid order to its buyer; throws when it could not (the delivery job retries). */
export type SendDelivery = (order: Order) => Promise<void>;

export interface ExpirySettings {
  pendingOrderTtlSeconds: number;
  batchSize: number;
}

export function createOrderService({ db, log }: { db: Database; log: Pick<Logger, 'info'> }) {
  return {
    /** The buyer's own order; null for an unknown one or someone else's. */
    forBuyer(buyerId: number, orderId: string): Promise<Order | null> {
      return getOrderForBuyer(db, orderId, buyerId);
    },

    /**
     * Delivers a paid order once: skipped when already delivered (a retried job after a crash
     * between sending and stamping may send twice; that is the lesser evil than never sending).
     */
    async deliver(orderId: string, send: SendDelivery): Promise<boolean> {
      const order = await getOrder(db, orderId);
      if (order?.status !== 'paid' || order.deliveredAt) return false;
      await send(order);
      return markOrderDelivered(db, orderId);
    },

    /** Marks expired every open order nobody can pay any more; returns how many. */
    async expireUnpaid(settings: ExpirySettings): Promise<number> {
      let total = 0;
      for (;;) {
        const ids = await expireUnpaidOrders(db, {
          pendingTtlSeconds: settings.pendingOrderTtlSeconds,
          limit: settings.batchSize,
        });
        total += ids.length;
        if (ids.length < settings.batchSize) break;
      }
      if (total > 0) log.info({ expired: total }, 'Unpaid orders expired');
      return total;
    },
  };
}

export type OrderService = ReturnType<typeof createOrderService>;
