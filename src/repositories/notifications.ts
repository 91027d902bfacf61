// Provider notifications as received: every verified IPN (and every status read back by the
// buyer's "refresh"), raw, once per provider event. The unique dedupe key turns a replay into
// a no-op insert that tells the caller it is a repeat.
import type { Queryable } from '../db/index.ts';

export type NotificationSource = 'ipn' | 'poll';

export interface NewNotification {
  dedupeKey: string;
  source: NotificationSource;
  verified: boolean;
  providerPaymentId: string | null;
  orderId: string | null;
  paymentStatus: string | null;
  /** The body as received, JSON text (jsonb keeps its numbers exact). */
  bodyJson: string;
}

export type StoredNotification = {
  id: number;
  /** False: the same event was stored before (this one was not inserted). */
  inserted: boolean;
  processedAt: Date | null;
};

/**
 * Stores the notification unless its event is already stored. A concurrent insert of the same
 * key waits for the first transaction, then sees its row: one row per event, whatever the races.
 */
export async function storeNotification(q: Queryable, n: NewNotification): Promise<StoredNotification> {
  const inserted = await q.maybeOne<{ id: number }>(
    `INSERT INTO payment_notifications (dedupe_key, source, verified, provider_payment_id, order_id,
                                        payment_status, body)
     VALUES ($1, $2, $3, left($4, 64), left($5, 64), left($6, 32), $7::jsonb)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [n.dedupeKey, n.source, n.verified, n.providerPaymentId, n.orderId, n.paymentStatus, n.bodyJson],
  );
  if (inserted) return { id: inserted.id, inserted: true, processedAt: null };
  const existing = await q.one<{ id: number; processedAt: Date | null }>(
    `SELECT id, processed_at AS "processedAt" FROM payment_notifications WHERE dedupe_key = $1`,
    [n.dedupeKey],
  );
  return { ...existing, inserted: false };
}

/**
 * Records the outcome. `processed` false keeps the row in the "not applied yet" list (the apply
 * failed and will be retried); `error` says why an event was refused or failed.
 */
export async function recordNotificationOutcome(
  q: Queryable,
  id: number,
  outcome: { processed: boolean; error: string | null },
): Promise<void> {
  await q.exec(
    `UPDATE payment_notifications
     SET processed_at = CASE WHEN $2 THEN now() END, processing_error = left($3, 500)
     WHERE id = $1`,
    [id, outcome.processed, outcome.error],
  );
}
