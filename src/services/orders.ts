// An order after checkout: what its buyer sees of it, its delivery, and its expiry when nobody
// pays. Delivery calls Telegram between two short statements, never inside a transaction.
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import {
  expireUnpaidOrders,
  getOrder,
  getOrderForBuyer,
  markDeliveryBlocked,
  markOrderDelivered,
  markSellerNotified,
  type Order,
  unblockDeliveries,
} from '../repositories/orders.ts';
import { setBotBlocked } from '../repositories/users.ts';
import type { EnqueueDelivery } from './completion.ts';

export type { Order };

/**
 * How a message to a user went: sent, or they cannot be reached (they blocked the bot or deleted
 * their account), which no retry changes. Any other failure is thrown (the delivery job retries).
 */
export type Reach = 'sent' | 'unreachable';

/** The two messages of a delivery, each sent once whatever happens to the other. */
export interface DeliverySenders {
  /** The purchase, to its buyer. */
  toBuyer(order: Order): Promise<Reach>;
  /** The sale notice, to its seller. */
  toSeller(order: Order): Promise<Reach>;
}

/** What a delivery run did to each side; 'done' when it was settled by an earlier run. */
export type DeliveryReport = { buyer: Reach | 'done'; seller: Reach | 'done' };

export interface ExpirySettings {
  pendingOrderTtlSeconds: number;
  batchSize: number;
}

export function createOrderService({
  db,
  log,
  enqueueDelivery,
}: {
  db: Database;
  log: Pick<Logger, 'info'>;
  /** Queues a delivery again when its buyer comes back. */
  enqueueDelivery: EnqueueDelivery;
}) {
  return {
    /** The buyer's own order; null for an unknown one or someone else's. */
    forBuyer(buyerId: number, orderId: string): Promise<Order | null> {
      return getOrderForBuyer(db, orderId, buyerId);
    },

    /**
     * Delivers a paid order: the buyer's message until it is sent, the seller's notice once, each
     * stamped on the order as soon as it is settled, so a retry redoes only what failed (a crash
     * between sending and stamping may send twice: the lesser evil than never sending). A buyer
     * who cannot be reached is recorded (on the order and their account), not retried; null when
     * the order is not paid.
     */
    async deliver(orderId: string, senders: DeliverySenders): Promise<DeliveryReport | null> {
      const order = await getOrder(db, orderId);
      if (order?.status !== 'paid') return null;
      const report: DeliveryReport = { buyer: 'done', seller: 'done' };
      const failures: unknown[] = [];
      if (!order.deliveredAt) {
        try {
          report.buyer = await senders.toBuyer(order);
          if (report.buyer === 'sent') await markOrderDelivered(db, orderId);
          else {
            await db.transaction(async (tx) => {
              await markDeliveryBlocked(tx, orderId);
              await setBotBlocked(tx, order.buyerId, true);
            });
          }
        } catch (error) {
          failures.push(error);
        }
      }
      // The seller hears of the sale whether or not the buyer could be reached.
      if (!order.sellerNotifiedAt) {
        try {
          report.seller = await senders.toSeller(order);
          await markSellerNotified(db, orderId);
          if (report.seller === 'unreachable') await setBotBlocked(db, order.sellerId, true);
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
      return report;
    },

    /** Telegram says the user blocked the bot: recorded, so nothing is retried at them meanwhile. */
    async userBlockedBot(userId: number): Promise<void> {
      await setBotBlocked(db, userId, true);
    },

    /** The user is back: the deliveries that waited for them are queued again; returns how many. */
    async userUnblockedBot(userId: number): Promise<number> {
      const resumed = await db.transaction(async (tx) => {
        await setBotBlocked(tx, userId, false);
        const orderIds = await unblockDeliveries(tx, userId);
        for (const orderId of orderIds) await enqueueDelivery(tx, orderId);
        return orderIds.length;
      });
      if (resumed > 0) log.info({ userId, resumed }, 'Deliveries resumed: the buyer is back');
      return resumed;
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
