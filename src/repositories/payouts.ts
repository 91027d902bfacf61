// Payout lines: what the platform owes a seller for one paid order. escrow → available → paid.
// One line per order (UNIQUE order_id): completion running twice can never owe twice.
import type { Queryable } from '../db/index.ts';
import { type Page, type PageRequest, pageBounds } from './paging.ts';

export type PayoutStatus = 'escrow' | 'available' | 'paid' | 'cancelled';

export type Payout = {
  id: number;
  orderId: string;
  sellerId: number;
  amountCents: number;
  status: PayoutStatus;
  escrowUntil: Date;
  availableAt: Date | null;
  paidAt: Date | null;
  paidBy: number | null;
  txHash: string | null;
  paidToAddress: string | null;
  createdAt: Date;
};

const PAYOUT_COLUMNS = `
  po.id, po.order_id AS "orderId", po.seller_id AS "sellerId",
  po.amount_cents AS "amountCents", po.status, po.escrow_until AS "escrowUntil", po.available_at AS "availableAt",
  po.paid_at AS "paidAt", po.paid_by AS "paidBy", po.tx_hash AS "txHash",
  po.paid_to_address AS "paidToAddress", po.created_at AS "createdAt"`;

/** Cancels the order's payout line unless it was already paid out; true when one was cancelled. */
export async function cancelOrderPayout(q: Queryable, orderId: string): Promise<boolean> {
  const count = await q.exec(
    `UPDATE payouts SET status = 'cancelled', updated_at = now()
     WHERE order_id = $1 AND status IN ('escrow', 'available')`,
    [orderId],
  );
  return count === 1;
}

export async function getPayout(q: Queryable, payoutId: number): Promise<Payout | null> {
  return q.maybeOne<Payout>(`SELECT ${PAYOUT_COLUMNS} FROM payouts po WHERE po.id = $1`, [payoutId]);
}

/**
 * Moves escrowed lines whose escrow ended to `available` (at most `limit`, skipping rows another
 * worker holds). Returns the released lines, for the sellers' notices.
 */
export async function releaseDueEscrow(q: Queryable, limit: number): Promise<Payout[]> {
  return q.many<Payout>(
    `WITH due AS (
       SELECT id FROM payouts WHERE status = 'escrow' AND escrow_until <= now()
       ORDER BY escrow_until, id LIMIT $1 FOR UPDATE SKIP LOCKED
     )
     UPDATE payouts po SET status = 'available', available_at = now(), updated_at = now()
     FROM due WHERE po.id = due.id
     RETURNING ${PAYOUT_COLUMNS}`,
    [limit],
  );
}

export type SellerBalances = { escrowCents: number; availableCents: number; paidCents: number };

/** What the seller sees: in escrow, available (owed now), already paid. */
export async function sellerBalances(q: Queryable, sellerId: number): Promise<SellerBalances> {
  return q.one<SellerBalances>(
    `SELECT coalesce(sum(amount_cents) FILTER (WHERE status = 'escrow'), 0) AS "escrowCents",
            coalesce(sum(amount_cents) FILTER (WHERE status = 'available'), 0) AS "availableCents",
            coalesce(sum(amount_cents) FILTER (WHERE status = 'paid'), 0) AS "paidCents"
     FROM payouts WHERE seller_id = $1`,
    [sellerId],
  );
}

export type PendingPayout = Payout & {
  sellerName: string;
  payoutAddress: string;
  productTitle: string;
};

/**
 * Lines admins owe now (available), oldest first, with the seller's wallet; one seller's only
 * when `sellerId` is given. At most `limit` lines.
 */
export async function listOwedLines(
  q: Queryable,
  filter: { sellerId?: number; limit: number },
): Promise<PendingPayout[]> {
  return q.many<PendingPayout>(
    `SELECT ${PAYOUT_COLUMNS}, s.name AS "sellerName", s.payout_address AS "payoutAddress",
            o.product_title AS "productTitle"
     FROM payouts po
     JOIN seller_profiles s ON s.user_id = po.seller_id
     JOIN orders o ON o.id = po.order_id
     WHERE po.status = 'available' AND ($1::bigint IS NULL OR po.seller_id = $1)
     ORDER BY po.escrow_until, po.id LIMIT $2`,
    [filter.sellerId ?? null, filter.limit],
  );
}

/** What is still held in escrow, across sellers (it becomes owed within a day). */
export async function escrowTotal(q: Queryable): Promise<{ cents: number; lines: number }> {
  return q.one<{ cents: number; lines: number }>(
    `SELECT coalesce(sum(amount_cents), 0) AS cents, count(*)::int AS lines
     FROM payouts WHERE status = 'escrow'`,
  );
}

export interface PaidMark {
  adminId: number;
  txHash: string;
}

/**
 * Marks paid, by one transfer, those of these lines that are still available, each to its
 * seller's current payout address. A line paid meanwhile (by a racing admin) is left as it is:
 * the row lock makes the second transaction see it paid. Returns the lines this call marked.
 */
export async function markPayoutsPaid(
  q: Queryable,
  payoutIds: readonly number[],
  mark: PaidMark,
): Promise<Payout[]> {
  return q.many<Payout>(
    `UPDATE payouts po SET status = 'paid', paid_at = now(), paid_by = $2, tx_hash = $3,
       paid_to_address = s.payout_address, updated_at = now()
     FROM seller_profiles s
     WHERE po.id = ANY($1::bigint[]) AND po.status = 'available' AND s.user_id = po.seller_id
     RETURNING ${PAYOUT_COLUMNS}`,
    [payoutIds, mark.adminId, mark.txHash],
  );
}

/** One transfer as the seller sees it: when, how much, for how many sales, and its hash. */
export type PayoutTransfer = { txHash: string; paidAt: Date; amountCents: number; lines: number };

/** The seller's payout history, one row per transfer, latest first. */
export async function listSellerTransfers(
  q: Queryable,
  sellerId: number,
  page: PageRequest = {},
): Promise<Page<PayoutTransfer>> {
  const { limit, offset } = pageBounds(page, 10);
  const [items, count] = await Promise.all([
    q.many<PayoutTransfer>(
      `SELECT tx_hash AS "txHash", max(paid_at) AS "paidAt", sum(amount_cents) AS "amountCents",
              count(*)::int AS lines
       FROM payouts WHERE seller_id = $1 AND status = 'paid'
       GROUP BY tx_hash ORDER BY max(paid_at) DESC, tx_hash LIMIT $2 OFFSET $3`,
      [sellerId, limit, offset],
    ),
    q.one<{ total: number }>(
      `SELECT count(DISTINCT tx_hash)::int AS total FROM payouts WHERE seller_id = $1 AND status = 'paid'`,
      [sellerId],
    ),
  ]);
  return { items, total: count.total, limit, offset };
}

export type PayoutExportRow = Payout & { sellerName: string; productTitle: string };

/** Every payout line for the CSV export, latest first. */
export async function exportPayouts(q: Queryable, limit: number): Promise<PayoutExportRow[]> {
  return q.many<PayoutExportRow>(
    `SELECT ${PAYOUT_COLUMNS}, s.name AS "sellerName", o.product_title AS "productTitle"
     FROM payouts po JOIN seller_profiles s ON s.user_id = po.seller_id JOIN orders o ON o.id = po.order_id
     ORDER BY po.created_at DESC, po.id LIMIT $1`,
    [Math.max(1, Math.trunc(limit))],
  );
}
