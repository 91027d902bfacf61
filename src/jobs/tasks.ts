// What each job does, apart from pg-boss so that tests and commands can run a task directly.
import type { Queryable } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { expireUnpaidOrders, getOrder, markOrderDelivered } from '../repositories/orders.ts';

/** Sends the product to the buyer (the bot provides it). Throws to be retried. */
export type DeliverOrder = (orderId: string) => Promise<void>;

/**
 * Delivers a paid order once: skipped when already delivered (a retried job after a crash
 * between sending and stamping may send twice; that is the lesser evil than never sending).
 */
export async function deliverOrderTask(
  db: Queryable,
  deliver: DeliverOrder,
  orderId: string,
): Promise<boolean> {
  const order = await getOrder(db, orderId);
  if (order?.status !== 'paid' || order.deliveredAt) return false;
  await deliver(orderId);
  return markOrderDelivered(db, orderId);
}

export interface ExpirySettings {
  pendingOrderTtlSeconds: number;
  batchSize: number;
}

/** Marks expired every open order nobody can pay any more; returns how many. */
export async function expireOrdersTask(
  db: Queryable,
  settings: ExpirySettings,
  log: Logger,
): Promise<number> {
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
}

/**
 * Download tokens live 5 minutes; a day later they serve nothing, not even an investigation
 * (download_events keeps the history). The SQL belongs with the downloads repository; it is
 * here until that module offers it.
 */
export async function cleanDownloadTokensTask(db: Queryable, log: Logger): Promise<number> {
  const deleted = await db.exec(`DELETE FROM download_tokens WHERE expires_at < now() - interval '1 day'`);
  if (deleted > 0) log.info({ deleted }, 'Expired download tokens removed');
  return deleted;
}
