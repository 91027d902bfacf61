// What the Mini App's library page shows: the buyer's purchases with cover, title and size.
// Downloads go through the one-time links of the downloads service (POST /api/downloads).
import type { Readable } from 'node:stream';
import type { Database } from '../db/index.ts';
import { getProductCover, productsWithCover } from '../repositories/covers.ts';
import { listLibrary } from '../repositories/library.ts';
import type { FileStorage } from '../storage/index.ts';

export interface LibraryEntry {
  orderId: string;
  productId: string;
  title: string;
  sellerName: string;
  fileName: string | null;
  sizeBytes: number | null;
  paidAt: Date;
  hasCover: boolean;
}

export interface LibraryListing {
  items: LibraryEntry[];
  total: number;
}

export interface CoverImage {
  body: Readable;
  contentType: string;
  size: number;
}

export interface LibraryPageService {
  list(buyerId: number, paging?: { limit?: number; offset?: number }): Promise<LibraryListing>;
  /** A product's cover, or null when it has none to show. */
  cover(productId: string): Promise<CoverImage | null>;
}

export function createLibraryPageService(deps: { db: Database; storage: FileStorage }): LibraryPageService {
  const { db, storage } = deps;
  return {
    async list(buyerId, paging = {}) {
      const page = await listLibrary(db, buyerId, { limit: paging.limit ?? 50, offset: paging.offset ?? 0 });
      const covered = await productsWithCover(
        db,
        page.items.map((item) => item.productId),
      );
      return {
        total: page.total,
        items: page.items.map((item) => ({
          orderId: item.orderId,
          productId: item.productId,
          title: item.title,
          sellerName: item.sellerName,
          fileName: item.fileName,
          sizeBytes: item.sizeBytes,
          paidAt: item.paidAt,
          hasCover: covered.has(item.productId),
        })),
      };
    },

    async cover(productId) {
      const found = await getProductCover(db, productId);
      if (!found) return null;
      const info = await storage.stat(found.storageKey);
      if (!info) return null;
      return { body: await storage.read(found.storageKey), contentType: found.contentType, size: info.size };
    },
  };
}
