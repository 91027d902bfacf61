// A seller's products: create, edit, publish, unpublish, delete. Every action names the acting
// user (from verified Telegram data) and is refused unless that user owns the product and may sell.
import type { Readable } from 'node:stream';
import {
  type Database,
  ForeignKeyViolationError,
  type Queryable,
  UniqueViolationError,
} from '../db/index.ts';
import {
  assertSellerProductMove,
  newProductId,
  TransitionError,
  validateDescription,
  validatePrice,
  validateTitle,
} from '../domain/index.ts';
import type { Logger } from '../log.ts';
import { getCategoryById } from '../repositories/categories.ts';
import {
  deleteStoredFiles,
  getStoredFile,
  insertStoredFile,
  listProductFiles,
  markStoredFileDeleted,
  type StoredFile,
  type StoredFileKind,
} from '../repositories/files.ts';
import type { Page, PageRequest } from '../repositories/paging.ts';
import { type SellerBalances, sellerBalances } from '../repositories/payouts.ts';
import {
  type DailySales,
  dailySales,
  getProduct,
  getSellerDashboard,
  hardDeleteProduct,
  insertProduct,
  listSellerProducts,
  lockProduct,
  type Product,
  type ProductPatch,
  productHasOrders,
  type SellerDashboard,
  type SellerProductStats,
  setProductFile,
  setProductStatus,
  softDeleteProduct,
  type TopProduct,
  topProducts,
  updateProduct,
} from '../repositories/products.ts';
import { getSellerProfile, type SellerProfile } from '../repositories/sellers.ts';
import {
  assertKeyBelongsTo,
  buildProductKey,
  type FileStorage,
  type KeyKind,
  type UploadTarget,
} from '../storage/index.ts';
import { requireActiveSeller } from './accounts.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  NotOwnerError,
  NotSellerError,
  ProductBannedError,
  ProductDeletedError,
  ProductFileMissingError,
} from './errors.ts';

export type {
  DailySales,
  Product,
  SellerDashboard,
  SellerProductStats,
  SellerProfile,
  StoredFile,
  StoredFileKind,
  TopProduct,
};

export interface ProductDraft {
  title: string;
  description: string;
  categoryId: number;
  priceCents: number;
}

export interface DeleteResult {
  /** soft: it has orders, so it only left the listings; hard: the row and its files are gone. */
  mode: 'soft' | 'hard';
  /** Storage keys removed after the commit. */
  removedKeys: string[];
  /** Keys whose removal failed: orphans in storage, logged, never a reason to undo the delete. */
  failedKeys: string[];
}

/** Covers and previews are shown in Telegram: images of at most 5 MB (SPEC: Catalog). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export interface UploadedObject {
  kind: StoredFileKind;
  /** Built with buildProductKey for this seller and product, then written to storage. */
  storageKey: string;
  originalName: string;
  sizeBytes: number;
  contentType: string;
  sha256?: string | null;
}

/** Bytes to store as a product's file, cover or preview (a file sent in the chat, say). */
export interface IncomingFile {
  kind: StoredFileKind;
  body: Readable;
  fileName: string;
  contentType: string;
  /** The size announced by the source, checked while the bytes arrive. */
  size?: number;
}

export interface AttachResult {
  product: Product;
  file: StoredFile;
  /** The object it replaced, removed from storage after the commit (null when none or kept). */
  replacedKey: string | null;
}

export interface SellerHome {
  profile: SellerProfile;
  stats: SellerDashboard;
  balances: SellerBalances;
}

export interface SellerAnalytics {
  dashboard: SellerDashboard;
  /** 30 days, oldest first, empty days as zeros. */
  daily: DailySales[];
  top: TopProduct[];
}

export interface UploadRequest {
  productId: string;
  kind: KeyKind;
  fileName: string;
  contentType: string;
  size: number;
}

export interface ProductServiceDeps {
  db: Database;
  storage: FileStorage;
  log?: Pick<Logger, 'warn'>;
  /** How long an upload URL stays valid (default 15 minutes). */
  uploadUrlTtlSec?: number;
  /** Product ids (tests draw colliding ones). */
  newId?: () => string;
}

/** Id draws before giving up: a clash is ~1e-9 per draw at a million products. */
const ID_ATTEMPTS = 5;
const DEFAULT_UPLOAD_URL_TTL_SEC = 15 * 60;

/**
 * A seller's products: create, edit, publish, unpublish, delete, their files, their numbers.
 * Every action names the acting user (from verified Telegram data) and is refused unless that
 * user owns the product and may sell. Storage is only touched outside transactions.
 */
export function createProductService(deps: ProductServiceDeps) {
  const { db, storage, log } = deps;
  const newId = deps.newId ?? newProductId;

  /** Records an object already in storage; the replaced one is removed after the commit. */
  async function attach(actorId: number, productId: string, upload: UploadedObject): Promise<AttachResult> {
    assertKeyBelongsTo(upload.storageKey, { sellerId: actorId, productId, kind: upload.kind });
    if (upload.kind !== 'file') assertImage(upload.kind, upload.contentType, upload.sizeBytes);
    const outcome = await db.transaction(async (tx) => {
      const before = await ownedProduct(tx, actorId, productId);
      const file = await insertStoredFile(tx, { ownerId: actorId, ...upload });
      const product = (await setProductFile(tx, productId, upload.kind, file.id)) as Product;
      const previousId = {
        file: before.mainFileId,
        cover: before.coverFileId,
        preview: before.previewFileId,
      }[upload.kind];
      const previous = previousId === null ? null : await getStoredFile(tx, previousId);
      // A sold product's file may be streaming to a buyer: it stays.
      const keep = upload.kind === 'file' && (await productHasOrders(tx, productId));
      return { product, file, previous: previous && !keep && previous.deletedAt === null ? previous : null };
    });
    let replacedKey: string | null = null;
    if (outcome.previous) {
      try {
        await storage.delete(outcome.previous.storageKey);
        await markStoredFileDeleted(db, outcome.previous.id);
        replacedKey = outcome.previous.storageKey;
      } catch (error) {
        log?.warn(
          { err: error, productId, key: outcome.previous.storageKey },
          'replaced object could not be removed',
        );
      }
    }
    return { product: outcome.product, file: outcome.file, replacedKey };
  }

  async function changeStatus(
    actorId: number,
    productId: string,
    to: 'active' | 'inactive',
  ): Promise<Product> {
    return db.transaction(async (tx) => {
      const product = await ownedProduct(tx, actorId, productId);
      if (product.status === to) return product;
      if (product.status === 'banned') throw new ProductBannedError(productId);
      assertSellerMove(product, to);
      if (to === 'active' && product.mainFileId === null) throw new ProductFileMissingError(productId);
      return (await setProductStatus(tx, productId, to)) as Product;
    });
  }

  return {
    /** A draft product (the file comes next). ValidationError, NotFoundError (category), SuspendedError. */
    async create(sellerId: number, draft: ProductDraft): Promise<Product> {
      const title = validateTitle(draft.title);
      const description = validateDescription(draft.description);
      const priceCents = validatePrice(draft.priceCents);
      await requireActiveSeller(db, sellerId);
      if (!(await getCategoryById(db, draft.categoryId)))
        throw new NotFoundError('category', draft.categoryId);
      for (let attempt = 1; ; attempt++) {
        try {
          return await insertProduct(db, {
            id: newId(),
            sellerId,
            categoryId: draft.categoryId,
            title,
            description,
            priceCents,
          });
        } catch (error) {
          const clash = error instanceof UniqueViolationError && error.constraint === 'products_pkey';
          if (!clash || attempt >= ID_ATTEMPTS) throw error;
        }
      }
    },

    /** Title, description, price: each validated, only the given ones changed. */
    edit(actorId: number, productId: string, changes: ProductPatch): Promise<Product> {
      const patch: ProductPatch = {};
      if (changes.title !== undefined) patch.title = validateTitle(changes.title);
      if (changes.description !== undefined) patch.description = validateDescription(changes.description);
      if (changes.priceCents !== undefined) patch.priceCents = validatePrice(changes.priceCents);
      return db.transaction(async (tx) => {
        await ownedProduct(tx, actorId, productId);
        return (await updateProduct(tx, productId, patch)) as Product;
      });
    },

    /** Publishes a draft or re-lists an inactive product. A banned one stays banned. */
    activate(actorId: number, productId: string): Promise<Product> {
      return changeStatus(actorId, productId, 'active');
    },

    deactivate(actorId: number, productId: string): Promise<Product> {
      return changeStatus(actorId, productId, 'inactive');
    },

    /**
     * Deletes a product the actor owns (the caller has asked for confirmation). With orders it is
     * soft-deleted, so buyers keep their library and downloads; without, the row and its stored
     * files go. The rows are deleted in one transaction; objects are removed from storage after
     * the commit, never while a connection is held.
     */
    async delete(actorId: number, productId: string): Promise<DeleteResult> {
      const outcome = await db.transaction(async (tx) => {
        const product = await ownedProduct(tx, actorId, productId);
        assertSellerMove(product, 'deleted');
        // The lock above waits for any checkout inserting an order for it, so this answer holds.
        if (await productHasOrders(tx, productId)) {
          await softDeleteProduct(tx, productId);
          return { mode: 'soft' as const, keys: [] };
        }
        const files = await listProductFiles(tx, productId);
        try {
          await tx.transaction((inner) => hardDeleteProduct(inner, productId));
        } catch (error) {
          // Rows the checks above do not know of (reviews, tickets...) keep it: soft-delete instead.
          if (!(error instanceof ForeignKeyViolationError)) throw error;
          await softDeleteProduct(tx, productId);
          return { mode: 'soft' as const, keys: [] };
        }
        await deleteStoredFiles(
          tx,
          files.map((file) => file.id),
        );
        return {
          mode: 'hard' as const,
          keys: files.filter((file) => file.deletedAt === null).map((f) => f.storageKey),
        };
      });
      const removedKeys: string[] = [];
      const failedKeys: string[] = [];
      for (const key of outcome.keys) {
        try {
          await storage.delete(key);
          removedKeys.push(key);
        } catch (error) {
          failedKeys.push(key);
          log?.warn(
            { err: error, productId, key },
            'stored object of a deleted product could not be removed',
          );
        }
      }
      return { mode: outcome.mode, removedKeys, failedKeys };
    },

    /**
     * Records an object already written to storage as the product's file, cover or preview. The
     * key must be one of this seller's keys for this product and kind: a client never picks where
     * its bytes land in someone else's folder. A replaced object is removed after the commit,
     * unless the product has orders and it is the main file (a download may be streaming it).
     */
    attachFile: attach,

    /**
     * Streams bytes into storage under a fresh key of the actor's own product, then attaches them.
     * Ownership is checked before a byte is written; an object whose record fails is removed.
     */
    async storeFile(actorId: number, productId: string, incoming: IncomingFile): Promise<AttachResult> {
      await ownedProduct(db, actorId, productId, { lock: false });
      if (incoming.kind !== 'file' && incoming.size !== undefined) {
        assertImage(incoming.kind, incoming.contentType, incoming.size);
      }
      const storageKey = buildProductKey({
        sellerId: actorId,
        productId,
        kind: incoming.kind,
        fileName: incoming.fileName,
      });
      const stored = await storage.put(storageKey, incoming.body, {
        contentType: incoming.contentType,
        ...(incoming.size !== undefined ? { size: incoming.size } : {}),
      });
      try {
        return await attach(actorId, productId, {
          kind: incoming.kind,
          storageKey,
          originalName: incoming.fileName,
          sizeBytes: stored.size,
          contentType: incoming.contentType,
          sha256: stored.sha256,
        });
      } catch (error) {
        await storage.delete(storageKey).catch(() => undefined);
        throw error;
      }
    },

    /** A signed URL to PUT one object under a fresh key of the actor's own product (the mini app). */
    async uploadTarget(actorId: number, request: UploadRequest): Promise<UploadTarget & { key: string }> {
      await ownedProduct(db, actorId, request.productId, { lock: false });
      if (request.kind !== 'file') assertImage(request.kind, request.contentType, request.size);
      const key = buildProductKey({
        sellerId: actorId,
        productId: request.productId,
        kind: request.kind,
        fileName: request.fileName,
      });
      const target = await storage.uploadUrl(key, {
        contentType: request.contentType,
        size: request.size,
        expiresInSec: deps.uploadUrlTtlSec ?? DEFAULT_UPLOAD_URL_TTL_SEC,
      });
      return { key, ...target };
    },

    /** The client finished its PUT: the object must exist; then it becomes the product's file. */
    async completeUpload(
      actorId: number,
      upload: { productId: string; kind: KeyKind; key: string; fileName: string },
    ): Promise<AttachResult> {
      assertKeyBelongsTo(upload.key, { sellerId: actorId, productId: upload.productId, kind: upload.kind });
      const info = await storage.stat(upload.key);
      if (!info)
        throw new ConflictError('upload_missing', 'Nothing was uploaded to this key yet.', {
          key: upload.key,
        });
      return attach(actorId, upload.productId, {
        kind: upload.kind,
        storageKey: upload.key,
        originalName: upload.fileName,
        sizeBytes: info.size,
        contentType: info.contentType,
      });
    },

    /** The actor's own product, whatever its status but deleted; null otherwise. */
    async own(actorId: number, productId: string): Promise<Product | null> {
      const product = await getProduct(db, productId);
      return product && product.sellerId === actorId && product.status !== 'deleted' ? product : null;
    },

    /** A page of the seller's products with their performance. */
    list(sellerId: number, page: PageRequest): Promise<Page<SellerProductStats>> {
      return listSellerProducts(db, sellerId, page);
    },

    /** The dashboard: profile, totals and balances; null when the user is not a seller. */
    async home(sellerId: number): Promise<SellerHome | null> {
      const profile = await getSellerProfile(db, sellerId);
      if (!profile) return null;
      const [stats, balances] = await Promise.all([
        getSellerDashboard(db, sellerId),
        sellerBalances(db, sellerId),
      ]);
      return { profile, stats, balances };
    },

    /** The analytics screen of the acting seller (totals, 30-day series, top 5). */
    async analytics(sellerId: number): Promise<SellerAnalytics> {
      if (!(await getSellerProfile(db, sellerId))) throw new NotSellerError();
      const [dashboard, daily, top] = await Promise.all([
        getSellerDashboard(db, sellerId),
        dailySales(db, { sellerId }),
        topProducts(db, sellerId, 5),
      ]);
      return { dashboard, daily, top };
    },

    /** One product's 30-day series, for its owner only. */
    async salesSeries(actorId: number, productId: string): Promise<DailySales[]> {
      const product = await getProduct(db, productId);
      if (!product) throw new NotFoundError('product', productId);
      if (product.sellerId !== actorId) throw new NotOwnerError('product', productId);
      return dailySales(db, { productId });
    },
  };
}

export type ProductService = ReturnType<typeof createProductService>;

/**
 * Checks the actor may manage the product: it exists, belongs to them, they may sell, and it is
 * not deleted. Inside a transaction the product stays locked until its end; checks made before
 * touching storage (`lock: false`) only read it.
 */
async function ownedProduct(
  q: Queryable,
  actorId: number,
  productId: string,
  { lock = true }: { lock?: boolean } = {},
): Promise<Product> {
  const product = await (lock ? lockProduct : getProduct)(q, productId);
  if (!product) throw new NotFoundError('product', productId);
  if (product.sellerId !== actorId) throw new NotOwnerError('product', productId);
  await requireActiveSeller(q, actorId);
  if (product.status === 'deleted') throw new ProductDeletedError(productId);
  return product;
}

function assertImage(kind: StoredFileKind, contentType: string, sizeBytes: number): void {
  if (!contentType.startsWith('image/')) {
    throw new InvalidInputError('image_type_invalid', kind, 'A cover or preview is an image.');
  }
  if (sizeBytes > MAX_IMAGE_BYTES) {
    throw new InvalidInputError('image_too_large', kind, 'An image is at most 5 MB.', {
      max: MAX_IMAGE_BYTES,
      size: sizeBytes,
    });
  }
}

function assertSellerMove(product: Product, to: Product['status']): void {
  try {
    assertSellerProductMove(product.status, to);
  } catch (error) {
    if (!(error instanceof TransitionError)) throw error;
    throw new ConflictError(error.code, error.message, { productId: product.id, from: product.status, to });
  }
}
