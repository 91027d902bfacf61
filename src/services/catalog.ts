// Browsing: categories, a category's carousel, a seller's shop, search, a product's detail, and
// the pictures of covers and previews. What a buyer may see is decided here, once: active
// products of sellers not suspended; their owner sees every status but deleted.
import type { Readable } from 'node:stream';
import type { Database } from '../db/index.ts';
import { isId } from '../domain/index.ts';
import type { Logger } from '../log.ts';
import {
  type Category,
  type CategoryWithCount,
  getCategoryById,
  listCategories,
} from '../repositories/categories.ts';
import { getStoredFile, markPhotoRefused } from '../repositories/files.ts';
import type { Page, PageRequest } from '../repositories/paging.ts';
import {
  getProductDetail,
  incrementProductViews,
  listCatalog,
  listStorefront,
  type ProductCard,
  type ProductDetail,
  searchProducts,
} from '../repositories/products.ts';
import {
  findSellerIdByUsername,
  getStorefrontHeader,
  type StorefrontHeader,
} from '../repositories/sellers.ts';
import type { FileStorage } from '../storage/index.ts';
import { NotFoundError } from './errors.ts';

export type { Category, CategoryWithCount, Page, PageRequest, ProductCard, ProductDetail, StorefrontHeader };

/** A stored picture to send: opened only when sent. */
export interface StoredImage {
  fileName: string;
  open(): Promise<Readable>;
}

export interface CatalogDeps {
  db: Database;
  storage: FileStorage;
  log?: Pick<Logger, 'warn'>;
}

export function createCatalogService({ db, storage, log }: CatalogDeps) {
  async function visible(viewerId: number, productId: string): Promise<ProductDetail> {
    const product = isId('product', productId) ? await getProductDetail(db, productId) : null;
    const isOwner = product?.sellerId === viewerId;
    const shown = product && (isOwner ? product.status !== 'deleted' : product.status === 'active');
    if (!product || !shown || (!isOwner && product.sellerSuspended))
      throw new NotFoundError('product', productId);
    return product;
  }

  return {
    /** Every category by position, with the count of products a buyer sees in it. */
    categories(): Promise<CategoryWithCount[]> {
      return listCategories(db);
    },

    category(id: number): Promise<Category | null> {
      return getCategoryById(db, id);
    },

    /** A category's carousel: best sellers first, then newest. */
    categoryPage(categoryId: number, page: PageRequest): Promise<Page<ProductCard>> {
      return listCatalog(db, categoryId, page);
    },

    /** A seller's shop, newest first. */
    shopPage(sellerId: number, page: PageRequest): Promise<Page<ProductCard>> {
      return listStorefront(db, sellerId, page);
    },

    /** The top of a seller's shop; null for an unknown or suspended seller. */
    shop(sellerId: number): Promise<StorefrontHeader | null> {
      return getStorefrontHeader(db, sellerId);
    },

    /** The shop of the seller with this Telegram @username (any case, "@" optional); null if none. */
    async shopByUsername(username: string): Promise<StorefrontHeader | null> {
      const name = username.trim().replace(/^@/, '');
      if (!/^[A-Za-z0-9_]{4,32}$/.test(name)) return null;
      const sellerId = await findSellerIdByUsername(db, name);
      return sellerId === null ? null : getStorefrontHeader(db, sellerId);
    },

    /** By product id in any typed form, or by words in any case or accent. */
    search(text: string, limit: number): Promise<ProductCard[]> {
      return searchProducts(db, text, limit);
    },

    /** The product as this viewer may see it; NotFoundError when they may not. */
    product(viewerId: number, productId: string): Promise<ProductDetail> {
      return visible(viewerId, productId);
    },

    /** Opening the detail page: like `product`, and counts a view when someone else than the owner looks. */
    async viewProduct(viewerId: number, productId: string): Promise<ProductDetail> {
      const product = await visible(viewerId, productId);
      if (product.sellerId !== viewerId) {
        await incrementProductViews(db, productId);
        product.viewsCount += 1;
      }
      return product;
    },

    /** A stored cover or preview to show; null when there is none any more, or Telegram refused it. */
    async image(storedFileId: number | null): Promise<StoredImage | null> {
      if (storedFileId === null) return null;
      const file = await getStoredFile(db, storedFileId);
      if (!file || file.deletedAt !== null || file.photoRefusedAt !== null) return null;
      try {
        if (!(await storage.exists(file.storageKey))) return null;
      } catch (error) {
        log?.warn({ err: error, storedFileId }, 'picture could not be checked in storage');
        return null;
      }
      return { fileName: file.originalName, open: () => storage.read(file.storageKey) };
    },

    /** Telegram refused this image as a photo: `image` offers it no more (logged, for the seller's sake). */
    async photoRefused(storedFileId: number, reason: string): Promise<void> {
      if (await markPhotoRefused(db, storedFileId)) {
        log?.warn({ storedFileId, reason }, 'Telegram refused a picture; it is shown as text from now on');
      }
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
