// The buyer's library: every paid purchase, deleted products included, newest first.
import type { Database } from '../db/index.ts';
import { getPurchase, listLibrary, type Purchase } from '../repositories/library.ts';
import type { Page, PageRequest } from '../repositories/paging.ts';

export type { Purchase };

export function createLibraryService({ db }: { db: Database }) {
  return {
    purchases(buyerId: number, page: PageRequest): Promise<Page<Purchase>> {
      return listLibrary(db, buyerId, page);
    },

    /** One paid purchase of this buyer; null for an unpaid order or someone else's. */
    purchase(buyerId: number, orderId: string): Promise<Purchase | null> {
      return getPurchase(db, buyerId, orderId);
    },
  };
}

export type LibraryService = ReturnType<typeof createLibraryService>;
