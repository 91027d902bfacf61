// Leases between instances (the long poller, a chat being handled): see src/repositories/leases.ts.
import type { Database } from '../db/index.ts';
import { giveBackLease, type LeaseHolder, renewLease, takeLease } from '../repositories/leases.ts';

export type { LeaseHolder };

export function createLeaseService({ db }: { db: Database }) {
  return {
    /** Who holds `name` after trying to take it for `holder`: the caller has it when it is them. */
    take(name: string, holder: string, ttlMs: number): Promise<LeaseHolder> {
      return takeLease(db, name, holder, ttlMs);
    },
    /** False when the lease expired and was taken meanwhile. */
    renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
      return renewLease(db, name, holder, ttlMs);
    },
    giveBack(name: string, holder: string): Promise<void> {
      return giveBackLease(db, name, holder);
    },
  };
}

export type LeaseService = ReturnType<typeof createLeaseService>;
