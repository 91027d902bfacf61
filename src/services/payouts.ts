// Paying sellers: escrow release (a job), balances (the seller's dashboard), and the admin's
// manual USDT transfers recorded with their Solana transaction hash. Admin actions take a
// `Moderator` (verified against ADMIN_IDS) and are audited in the same transaction.
import type { Database } from '../db/index.ts';
import { formatUsd } from '../domain/index.ts';
import type { Logger } from '../log.ts';
import { recordAdminAction } from '../repositories/audit.ts';
import type { Page, PageRequest } from '../repositories/paging.ts';
import {
  getPayout,
  listPendingPayouts,
  markPayoutPaid as markPayoutPaidRow,
  markSellerPayoutsPaid as markSellerPayoutsPaidRows,
  type Payout,
  type PendingPayout,
  releaseDueEscrow,
  type SellerBalances,
  sellerBalances,
} from '../repositories/payouts.ts';
import { ConflictError, InvalidInputError, NotFoundError } from './errors.ts';
import type { Moderator } from './moderation.ts';

export type { Page, PageRequest, Payout, PendingPayout, SellerBalances };

/** Tells a seller that earnings left escrow. Called after the commit, never inside a transaction. */
export type PayoutNotifier = (notice: {
  sellerId: number;
  payouts: Payout[];
  totalCents: number;
}) => Promise<void>;

// A Solana transaction signature: 64 bytes in base58, 87 or 88 characters (the schema allows 32–128).
const TX_HASH = /^[1-9A-HJ-NP-Za-km-z]{32,128}$/;

export function validateTxHash(input: string): string {
  const hash = input.trim();
  if (!TX_HASH.test(hash)) {
    throw new InvalidInputError(
      'tx_hash_invalid',
      'txHash',
      'Paste the Solana transaction signature (base58).',
    );
  }
  return hash;
}

export interface ReleaseResult {
  released: number;
  notified: number;
}

export interface PayoutDeps {
  db: Database;
  log: Pick<Logger, 'info' | 'warn'>;
}

export function createPayoutService({ db, log }: PayoutDeps) {
  return {
    /**
     * Moves due escrow to available, in batches, then notifies each seller once. A failed notice is
     * logged and does not undo the release (the balance is right; the message is a courtesy).
     */
    async releaseEscrow(notify: PayoutNotifier, batchSize = 500): Promise<ReleaseResult> {
      const bySeller = new Map<number, Payout[]>();
      let released = 0;
      for (;;) {
        const batch = await releaseDueEscrow(db, batchSize);
        for (const payout of batch)
          bySeller.set(payout.sellerId, [...(bySeller.get(payout.sellerId) ?? []), payout]);
        released += batch.length;
        if (batch.length < batchSize) break;
      }
      let notified = 0;
      for (const [sellerId, payouts] of bySeller) {
        const totalCents = payouts.reduce((sum, p) => sum + p.amountCents, 0);
        try {
          await notify({ sellerId, payouts, totalCents });
          notified++;
        } catch (error) {
          log.warn({ sellerId, err: error }, 'Escrow release notice failed');
        }
      }
      if (released > 0) log.info({ released, sellers: bySeller.size }, 'Escrow released');
      return { released, notified };
    },

    balances(sellerId: number): Promise<SellerBalances> {
      return sellerBalances(db, sellerId);
    },

    toPay(_admin: Moderator, page: PageRequest = {}): Promise<Page<PendingPayout>> {
      return listPendingPayouts(db, page);
    },

    /** Records the transfer for one available payout line. */
    async markPaid(admin: Moderator, payoutId: number, txHashInput: string): Promise<Payout> {
      const txHash = validateTxHash(txHashInput);
      return db.transaction(async (tx) => {
        const paid = await markPayoutPaidRow(tx, payoutId, { adminId: admin.adminId, txHash });
        if (!paid) {
          const payout = await getPayout(tx, payoutId);
          if (!payout) throw new NotFoundError('payout', payoutId);
          throw new ConflictError('payout_not_available', `This payout is ${payout.status}.`, {
            payoutId,
            status: payout.status,
          });
        }
        await recordAdminAction(tx, {
          adminId: admin.adminId,
          action: 'payout.mark_paid',
          target: { type: 'payout', id: paid.id },
          details: { txHash, amount: formatUsd(paid.amountCents), sellerId: paid.sellerId },
        });
        return paid;
      });
    },

    /** Records one transfer covering every available line of the seller. */
    async markSellerPaid(
      admin: Moderator,
      sellerId: number,
      txHashInput: string,
    ): Promise<{ payouts: Payout[]; totalCents: number }> {
      const txHash = validateTxHash(txHashInput);
      return db.transaction(async (tx) => {
        const payouts = await markSellerPayoutsPaidRows(tx, sellerId, { adminId: admin.adminId, txHash });
        if (payouts.length === 0) {
          throw new ConflictError('nothing_to_pay', 'This seller has no available payout.', { sellerId });
        }
        const totalCents = payouts.reduce((sum, p) => sum + p.amountCents, 0);
        await recordAdminAction(tx, {
          adminId: admin.adminId,
          action: 'payout.mark_all_paid',
          target: { type: 'user', id: sellerId },
          details: { txHash, amount: formatUsd(totalCents), payoutIds: payouts.map((p) => p.id) },
        });
        return { payouts, totalCents };
      });
    },
  };
}

export type PayoutService = ReturnType<typeof createPayoutService>;
