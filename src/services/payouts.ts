// Paying sellers: escrow release (a job), balances and payout history (the seller's screens), and
// the admin's manual USDT transfers recorded with their Solana transaction hash. Admin actions
// take a `Moderator` (verified against ADMIN_IDS) and are audited in the same transaction.
//
// An admin pays what a screen showed, never more: the screen carries a digest of the exact lines
// it lists (`selection`), a press checks it against the lines owed now, and the lines are then
// named by id until they are marked paid, each at most once even when two admins race.
import { createHash } from 'node:crypto';
import type { Database } from '../db/index.ts';
import { formatUsd } from '../domain/index.ts';
import { type BusinessEvents, NO_EVENTS } from '../events.ts';
import type { Logger } from '../log.ts';
import { recordAdminAction } from '../repositories/audit.ts';
import type { Page, PageRequest } from '../repositories/paging.ts';
import {
  escrowTotal,
  getPayout,
  listOwedLines,
  listSellerTransfers,
  markPayoutsPaid,
  type Payout,
  type PayoutTransfer,
  type PendingPayout,
  releaseDueEscrow,
  type SellerBalances,
  sellerBalances,
} from '../repositories/payouts.ts';
import { ConflictError, InvalidInputError, NotFoundError } from './errors.ts';
import type { Moderator } from './moderation.ts';

export type { Page, PageRequest, Payout, PayoutTransfer, PendingPayout, SellerBalances };

/** At most this many lines are shown, and so paid, at once: the oldest first. */
export const MAX_OWED_LINES = 2000;

/** A short, stable name of an exact set of payout lines (fits in callback data). */
export function selectionDigest(payoutIds: readonly number[]): string {
  const ids = [...payoutIds].sort((a, b) => a - b).join(',');
  return createHash('sha256').update(ids).digest('base64url').slice(0, 16);
}

/** What the admins owe now: every available line (or one seller's), oldest first. */
export interface Owed {
  lines: PendingPayout[];
  totalCents: number;
  /** selectionDigest of the lines listed. */
  selection: string;
  /** More lines are owed than MAX_OWED_LINES: these are the oldest. */
  truncated: boolean;
  /** Held in escrow now (all sellers): owed within a day. */
  escrowCents: number;
}

/** The lines one mark-paid call recorded, and those it found paid already. */
export interface PaidBatch {
  payouts: Payout[];
  totalCents: number;
  txHash: string;
  /** Lines asked for that were no longer available (paid by someone else meanwhile). */
  alreadyPaid: number;
  /** Per seller, for their notices. */
  sellers: { sellerId: number; totalCents: number; lines: number }[];
}

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
  /** Told how many lines a batch paid. */
  events?: BusinessEvents;
}

export function createPayoutService({ db, log, events = NO_EVENTS }: PayoutDeps) {
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

    /** The seller's transfers, latest first. */
    history(sellerId: number, page: PageRequest = {}): Promise<Page<PayoutTransfer>> {
      return listSellerTransfers(db, sellerId, page);
    },

    /** What is owed now, read in one snapshot so the lines, total and digest agree. */
    owed(_admin: Moderator, filter: { sellerId?: number } = {}): Promise<Owed> {
      return db.transaction(
        async (tx) => {
          const found = await listOwedLines(tx, { ...filter, limit: MAX_OWED_LINES + 1 });
          const lines = found.slice(0, MAX_OWED_LINES);
          return {
            lines,
            totalCents: lines.reduce((sum, p) => sum + p.amountCents, 0),
            selection: selectionDigest(lines.map((p) => p.id)),
            truncated: found.length > lines.length,
            escrowCents: (await escrowTotal(tx)).cents,
          };
        },
        { isolation: 'repeatable read', readOnly: true },
      );
    },

    /**
     * Records one transfer covering these lines: those still available are marked paid, once,
     * whoever else is marking them at the same moment. ConflictError when none was left.
     */
    async markPaid(admin: Moderator, payoutIds: readonly number[], txHashInput: string): Promise<PaidBatch> {
      const txHash = validateTxHash(txHashInput);
      const ids = [...new Set(payoutIds)];
      if (ids.length === 0) throw new ConflictError('nothing_to_pay', 'There is no payout line to pay.');
      const batch = await db.transaction(async (tx) => {
        const payouts = await markPayoutsPaid(tx, ids, { adminId: admin.adminId, txHash });
        if (payouts.length === 0) {
          const [only] = ids;
          if (ids.length === 1 && only !== undefined) {
            const payout = await getPayout(tx, only);
            if (!payout) throw new NotFoundError('payout', only);
            throw new ConflictError('payout_not_available', `This payout is ${payout.status}.`, {
              payoutId: only,
              status: payout.status,
            });
          }
          throw new ConflictError('payouts_already_paid', 'These payout lines are no longer owed.');
        }
        const sellers = new Map<number, { sellerId: number; totalCents: number; lines: number }>();
        for (const p of payouts) {
          const seller = sellers.get(p.sellerId) ?? { sellerId: p.sellerId, totalCents: 0, lines: 0 };
          seller.totalCents += p.amountCents;
          seller.lines++;
          sellers.set(p.sellerId, seller);
        }
        // One record per seller paid: each seller's history shows the transfer they received.
        for (const seller of sellers.values()) {
          await recordAdminAction(tx, {
            adminId: admin.adminId,
            action: 'payout.mark_paid',
            target: { type: 'user', id: seller.sellerId },
            details: {
              txHash,
              amount: formatUsd(seller.totalCents),
              amountCents: seller.totalCents,
              payoutIds: payouts.filter((p) => p.sellerId === seller.sellerId).map((p) => p.id),
            },
          });
        }
        return {
          payouts,
          totalCents: payouts.reduce((sum, p) => sum + p.amountCents, 0),
          txHash,
          alreadyPaid: ids.length - payouts.length,
          sellers: [...sellers.values()],
        };
      });
      events.payoutsPaid(batch.payouts.length);
      return batch;
    },
  };
}

export type PayoutService = ReturnType<typeof createPayoutService>;
