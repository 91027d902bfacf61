// A seller's products: create, edit, publish, unpublish, delete. Every action names the acting
// user (from verified Telegram data) and is refused unless that user owns the product and may sell.
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
import { deleteStoredFiles, listProductFiles } from '../repositories/files.ts';
import type { Page, PageRequest } from '../repositories/paging.ts';
import {
  getProduct,
  hardDeleteProduct,
  insertProduct,
  listSellerProducts,
  lockProduct,
  type Product,
  type ProductPatch,
  productHasOrders,
  type SellerProductStats,
  setProductStatus,
  softDeleteProduct,
  updateProduct,
} from '../repositories/products.ts';
import type { FileStorage } from '../storage/index.ts';
import { requireActiveSeller } from './accounts.ts';
import {
  ConflictError,
  NotFoundError,
  NotOwnerError,
  ProductBannedError,
  ProductDeletedError,
  ProductFileMissingError,
} from './errors.ts';

export type { Product, SellerProductStats };

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

export interface ProductServiceDeps {
  db: Database;
  storage: FileStorage;
  log?: Pick<Logger, 'warn'>;
  /** Product ids (tests draw colliding ones). */
  newId?: () => string;
}

/** Id draws before giving up: a clash is ~1e-9 per draw at a million products. */
const ID_ATTEMPTS = 5;

/**
 * A seller's products: create, edit, publish, unpublish, delete. Every action names the acting
 * user (from verified Telegram data) and is refused unless that user owns the product and may
 * sell. Storage is only touched outside transactions.
 */
export function createProductService(deps: ProductServiceDeps) {
  const { db, storage, log } = deps;
  const newId = deps.newId ?? newProductId;

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

    /**
     * Title, description, price, category: each validated as the wizard does, only the given ones
     * changed; the status (a ban included) stays as it is.
     */
    async edit(actorId: number, productId: string, changes: ProductPatch): Promise<Product> {
      const patch: ProductPatch = {};
      if (changes.title !== undefined) patch.title = validateTitle(changes.title);
      if (changes.description !== undefined) patch.description = validateDescription(changes.description);
      if (changes.priceCents !== undefined) patch.priceCents = validatePrice(changes.priceCents);
      if (changes.categoryId !== undefined) {
        if (!(await getCategoryById(db, changes.categoryId)))
          throw new NotFoundError('category', changes.categoryId);
        patch.categoryId = changes.categoryId;
      }
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

    /** The actor's own product, whatever its status but deleted; null otherwise. */
    async own(actorId: number, productId: string): Promise<Product | null> {
      const product = await getProduct(db, productId);
      return product && product.sellerId === actorId && product.status !== 'deleted' ? product : null;
    },

    /** A page of the seller's products with their performance. */
    list(sellerId: number, page: PageRequest): Promise<Page<SellerProductStats>> {
      return listSellerProducts(db, sellerId, page);
    },
  };
}

export type ProductService = ReturnType<typeof createProductService>;

/**
 * Checks the actor may manage the product: it exists, belongs to them, they may sell, and it is
 * not deleted. Inside a transaction the product stays locked until its end; checks made before
 * touching storage (`lock: false`) only read it.
 */
export async function ownedProduct(
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

function assertSellerMove(product: Product, to: Product['status']): void {
  try {
    assertSellerProductMove(product.status, to);
  } catch (error) {
    if (!(error instanceof TransitionError)) throw error;
    throw new ConflictError(error.code, error.message, { productId: product.id, from: product.status, to });
  }
}
