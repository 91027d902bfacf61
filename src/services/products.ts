// A seller's products: create, edit, publish, unpublish, delete. Every action names the acting
// user (from verified Telegram data) and is refused unless that user owns the product and may sell.
import { ForeignKeyViolationError, type Queryable, UniqueViolationError } from '../db/index.ts';
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
import {
  type DailySales,
  dailySales,
  getProduct,
  getProductDetail,
  getSellerDashboard,
  hardDeleteProduct,
  incrementProductViews,
  insertProduct,
  lockProduct,
  type Product,
  type ProductDetail,
  type ProductPatch,
  productHasOrders,
  type SellerDashboard,
  setProductFile,
  setProductStatus,
  softDeleteProduct,
  type TopProduct,
  topProducts,
  updateProduct,
} from '../repositories/products.ts';
import { getSellerProfile } from '../repositories/sellers.ts';
import { assertKeyBelongsTo, type FileStorage } from '../storage/index.ts';
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

export interface ProductDraft {
  title: string;
  description: string;
  categoryId: number;
  priceCents: number;
}

/** Id draws before giving up: a clash is ~1e-9 per draw at a million products. */
const ID_ATTEMPTS = 5;

/** A draft product (the file comes next). ValidationError, NotFoundError (category), SuspendedError. */
export async function createProduct(
  q: Queryable,
  sellerId: number,
  draft: ProductDraft,
  newId: () => string = newProductId,
): Promise<Product> {
  const title = validateTitle(draft.title);
  const description = validateDescription(draft.description);
  const priceCents = validatePrice(draft.priceCents);
  await requireActiveSeller(q, sellerId);
  if (!(await getCategoryById(q, draft.categoryId))) throw new NotFoundError('category', draft.categoryId);
  for (let attempt = 1; ; attempt++) {
    try {
      // A savepoint inside a caller's transaction, so a clash does not abort it.
      return await q.transaction((tx) =>
        insertProduct(tx, {
          id: newId(),
          sellerId,
          categoryId: draft.categoryId,
          title,
          description,
          priceCents,
        }),
      );
    } catch (error) {
      const clash = error instanceof UniqueViolationError && error.constraint === 'products_pkey';
      if (!clash || attempt >= ID_ATTEMPTS) throw error;
    }
  }
}

/**
 * Locks the product for the rest of the transaction and checks the actor may manage it:
 * it exists, belongs to them, they may sell, and it is not deleted.
 */
async function ownedProduct(q: Queryable, actorId: number, productId: string): Promise<Product> {
  const product = await lockProduct(q, productId);
  if (!product) throw new NotFoundError('product', productId);
  if (product.sellerId !== actorId) throw new NotOwnerError('product', productId);
  await requireActiveSeller(q, actorId);
  if (product.status === 'deleted') throw new ProductDeletedError(productId);
  return product;
}

/** Title, description, price: each validated, only the given ones changed. */
export async function editProduct(
  q: Queryable,
  actorId: number,
  productId: string,
  changes: ProductPatch,
): Promise<Product> {
  const patch: ProductPatch = {};
  if (changes.title !== undefined) patch.title = validateTitle(changes.title);
  if (changes.description !== undefined) patch.description = validateDescription(changes.description);
  if (changes.priceCents !== undefined) patch.priceCents = validatePrice(changes.priceCents);
  return q.transaction(async (tx) => {
    await ownedProduct(tx, actorId, productId);
    return (await updateProduct(tx, productId, patch)) as Product;
  });
}

/** Publishes a draft or re-lists an inactive product. A banned one stays banned. */
export async function activateProduct(q: Queryable, actorId: number, productId: string): Promise<Product> {
  return changeStatus(q, actorId, productId, 'active');
}

export async function deactivateProduct(q: Queryable, actorId: number, productId: string): Promise<Product> {
  return changeStatus(q, actorId, productId, 'inactive');
}

async function changeStatus(
  q: Queryable,
  actorId: number,
  productId: string,
  to: 'active' | 'inactive',
): Promise<Product> {
  return q.transaction(async (tx) => {
    const product = await ownedProduct(tx, actorId, productId);
    if (product.status === to) return product;
    if (product.status === 'banned') throw new ProductBannedError(productId);
    assertSellerMove(product, to);
    if (to === 'active' && product.mainFileId === null) throw new ProductFileMissingError(productId);
    return (await setProductStatus(tx, productId, to)) as Product;
  });
}

function assertSellerMove(product: Product, to: Product['status']): void {
  try {
    assertSellerProductMove(product.status, to);
  } catch (error) {
    if (!(error instanceof TransitionError)) throw error;
    throw new ConflictError(error.code, error.message, { productId: product.id, from: product.status, to });
  }
}

export interface DeleteResult {
  /** soft: it has orders, so it only left the listings; hard: the row and its files are gone. */
  mode: 'soft' | 'hard';
  /** Storage keys removed after the commit. */
  removedKeys: string[];
  /** Keys whose removal failed: orphans in storage, logged, never a reason to undo the delete. */
  failedKeys: string[];
}

/**
 * Deletes a product the actor owns (the caller has asked for confirmation). With orders it is
 * soft-deleted, so buyers keep their library and downloads; without, the row and its stored
 * files go. The rows are deleted in one transaction; objects are removed from storage after the
 * commit, never while a connection is held.
 */
export async function deleteProduct(
  q: Queryable,
  storage: FileStorage,
  actorId: number,
  productId: string,
  log?: Pick<Logger, 'warn'>,
): Promise<DeleteResult> {
  const outcome = await q.transaction(async (tx) => {
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
      log?.warn({ err: error, productId, key }, 'stored object of a deleted product could not be removed');
    }
  }
  return { mode: outcome.mode, removedKeys, failedKeys };
}

/**
 * A product detail page. Buyers see active products of sellers not suspended; the owner sees
 * every status but deleted. Counts a view when someone other than the owner looks.
 */
export async function viewProduct(q: Queryable, viewerId: number, productId: string): Promise<ProductDetail> {
  const product = await getProductDetail(q, productId);
  const isOwner = product?.sellerId === viewerId;
  const visible = product && (isOwner ? product.status !== 'deleted' : product.status === 'active');
  if (!product || !visible || (!isOwner && product.sellerSuspended))
    throw new NotFoundError('product', productId);
  if (!isOwner) {
    await incrementProductViews(q, productId);
    product.viewsCount += 1;
  }
  return product;
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

export interface AttachResult {
  product: Product;
  file: StoredFile;
  /** The object it replaced, removed from storage after the commit (null when none or kept). */
  replacedKey: string | null;
}

/**
 * Records an object already written to storage as the product's file, cover or preview. The key
 * must be one of this seller's keys for this product and kind: a client never picks where its
 * bytes land in someone else's folder. A replaced object is removed after the commit, unless
 * the product has orders and it is the main file (a download may be streaming it).
 */
export async function attachProductFile(
  q: Queryable,
  storage: FileStorage,
  actorId: number,
  productId: string,
  upload: UploadedObject,
  log?: Pick<Logger, 'warn'>,
): Promise<AttachResult> {
  assertKeyBelongsTo(upload.storageKey, { sellerId: actorId, productId, kind: upload.kind });
  if (upload.kind !== 'file') {
    if (!upload.contentType.startsWith('image/')) {
      throw new InvalidInputError('image_type_invalid', upload.kind, 'A cover or preview is an image.');
    }
    if (upload.sizeBytes > MAX_IMAGE_BYTES) {
      throw new InvalidInputError('image_too_large', upload.kind, 'An image is at most 5 MB.', {
        max: MAX_IMAGE_BYTES,
        size: upload.sizeBytes,
      });
    }
  }
  const outcome = await q.transaction(async (tx) => {
    const before = await ownedProduct(tx, actorId, productId);
    const file = await insertStoredFile(tx, { ownerId: actorId, ...upload });
    const product = (await setProductFile(tx, productId, upload.kind, file.id)) as Product;
    const previousId = { file: before.mainFileId, cover: before.coverFileId, preview: before.previewFileId }[
      upload.kind
    ];
    const previous = previousId === null ? null : await getStoredFile(tx, previousId);
    const keep = upload.kind === 'file' && (await productHasOrders(tx, productId));
    return { product, file, previous: previous && !keep && previous.deletedAt === null ? previous : null };
  });
  let replacedKey: string | null = null;
  if (outcome.previous) {
    try {
      await storage.delete(outcome.previous.storageKey);
      await markStoredFileDeleted(q, outcome.previous.id);
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

export interface SellerAnalytics {
  dashboard: SellerDashboard;
  /** 30 days, oldest first, empty days as zeros. */
  daily: DailySales[];
  top: TopProduct[];
}

/** The analytics screen of the acting seller (totals, 30-day series, top 5). */
export async function sellerAnalytics(q: Queryable, sellerId: number): Promise<SellerAnalytics> {
  if (!(await getSellerProfile(q, sellerId))) throw new NotSellerError();
  const [dashboard, daily, top] = await Promise.all([
    getSellerDashboard(q, sellerId),
    dailySales(q, { sellerId }),
    topProducts(q, sellerId, 5),
  ]);
  return { dashboard, daily, top };
}

/** One product's 30-day series, for its owner only. */
export async function productSalesSeries(
  q: Queryable,
  actorId: number,
  productId: string,
): Promise<DailySales[]> {
  const product = await getProduct(q, productId);
  if (!product) throw new NotFoundError('product', productId);
  if (product.sellerId !== actorId) throw new NotOwnerError('product', productId);
  return dailySales(q, { productId });
}
