// A product's stored objects: its file, cover and preview, whether they arrive through the bot (a
// stream the service writes) or through a signed upload URL (the mini app). The key is always
// one of the seller's own for this product, images are checked like the wizard checks them (type,
// size, and the dimensions Telegram accepts for a photo, read from their own bytes), and
// storage is only touched outside transactions.
//
// The file has versions. Until someone pays for the product a new file simply replaces the
// current one; after that, a new file waits as the next version until the seller publishes it,
// and only then do earlier buyers get it (each keeps the version they bought).
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Database, Transaction } from '../db/index.ts';
import { checkPhotoHeader, IMAGE_HEAD_BYTES } from '../domain/index.ts';
import type { Logger } from '../log.ts';
import {
  buyersBefore,
  deleteVersion,
  type FileVersion,
  getPendingVersion,
  getVersionOfFile,
  insertPendingVersion,
  listPublishedVersions,
  productWasBought,
  publishPendingVersion,
  replaceVersionFile,
  type VersionRecipient,
} from '../repositories/file-versions.ts';
import {
  getStoredFile,
  insertStoredFile,
  markStoredFileDeleted,
  type StoredFile,
  type StoredFileKind,
} from '../repositories/files.ts';
import { getProduct, type Product, setProductFile } from '../repositories/products.ts';
import {
  assertKeyBelongsTo,
  buildProductKey,
  type FileStorage,
  type KeyKind,
  type UploadTarget,
} from '../storage/index.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  NotOwnerError,
  ProductBannedError,
} from './errors.ts';
import { ownedProduct } from './products.ts';

export type { FileVersion, StoredFile, StoredFileKind, VersionRecipient };

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

/**
 * What a new product file became: the first version, a replacement of a version nobody bought,
 * or an upload waiting for the seller to publish it as the next version.
 */
export type FileOutcome = 'first' | 'replaced' | 'pending';

export interface AttachResult {
  product: Product;
  file: StoredFile;
  /** The object it replaced, removed from storage after the commit (null when none or kept). */
  replacedKey: string | null;
  /** For the product file only (null for a cover or preview). */
  outcome: FileOutcome | null;
}

export interface PublishedVersion {
  product: Product;
  version: FileVersion & { version: number };
  /** Buyers of an earlier version, to be told (one line per buyer). */
  recipients: VersionRecipient[];
}

export interface UploadRequest {
  productId: string;
  kind: KeyKind;
  fileName: string;
  contentType: string;
  size: number;
}

export interface ProductFileDeps {
  db: Database;
  storage: FileStorage;
  log?: Pick<Logger, 'warn'>;
  /** How long an upload URL stays valid (default 15 minutes). */
  uploadUrlTtlSec?: number;
}

const DEFAULT_UPLOAD_URL_TTL_SEC = 15 * 60;

export function createProductFileService(deps: ProductFileDeps) {
  const { db, storage, log } = deps;

  /** Removes an object no row points at any more; a failure leaves an orphan, logged. */
  async function removeObject(file: StoredFile, productId: string): Promise<string | null> {
    try {
      await storage.delete(file.storageKey);
      await markStoredFileDeleted(db, file.id);
      return file.storageKey;
    } catch (error) {
      log?.warn({ err: error, productId, key: file.storageKey }, 'replaced object could not be removed');
      return null;
    }
  }

  /** Covers and previews are sent to Telegram as photos: their bytes must be a photo it accepts. */
  async function assertPhotoBytes(upload: UploadedObject): Promise<void> {
    const head =
      upload.sizeBytes === 0
        ? Buffer.alloc(0)
        : await buffer(
            await storage.read(upload.storageKey, {
              end: Math.min(upload.sizeBytes, IMAGE_HEAD_BYTES) - 1,
            }),
          );
    checkPhotoHeader(head);
  }

  /** Records an object already in storage; the replaced one is removed after the commit. */
  async function attach(actorId: number, productId: string, upload: UploadedObject): Promise<AttachResult> {
    assertKeyBelongsTo(upload.storageKey, { sellerId: actorId, productId, kind: upload.kind });
    if (upload.kind !== 'file') {
      assertImage(upload.kind, upload.contentType, upload.sizeBytes);
      await assertPhotoBytes(upload);
    }
    const outcome = await db.transaction(async (tx) => {
      const before = await ownedProduct(tx, actorId, productId);
      const file = await insertStoredFile(tx, { ownerId: actorId, ...upload });
      if (upload.kind === 'file') return { ...(await attachFile(tx, before, file)), file };
      const product = (await setProductFile(tx, productId, upload.kind, file.id)) as Product;
      const previousId = upload.kind === 'cover' ? before.coverFileId : before.previewFileId;
      const previous = previousId === null ? null : await getStoredFile(tx, previousId);
      return { product, file, outcome: null, previous: previous ? [previous] : [] };
    });
    let replacedKey: string | null = null;
    for (const previous of outcome.previous) {
      if (previous.deletedAt !== null) continue;
      const removed = await removeObject(previous, productId);
      if (previous.kind === upload.kind && outcome.outcome !== 'pending') replacedKey = removed;
    }
    return { product: outcome.product, file: outcome.file, replacedKey, outcome: outcome.outcome };
  }

  /** A new product file: the first version, a replacement while nobody bought, else an upload waiting. */
  async function attachFile(
    tx: Transaction,
    before: Product,
    file: StoredFile,
  ): Promise<{ product: Product; outcome: FileOutcome; previous: StoredFile[] }> {
    const productId = before.id;
    if (before.status === 'banned') throw new ProductBannedError(productId);
    // A newer upload replaces the one waiting.
    const previous: StoredFile[] = [];
    const pending = await getPendingVersion(tx, productId);
    if (pending) {
      await deleteVersion(tx, pending.id);
      const waiting = await getStoredFile(tx, pending.fileId);
      if (waiting) previous.push(waiting);
    }
    if (before.mainFileId === null) {
      const product = (await setProductFile(tx, productId, 'file', file.id)) as Product;
      return { product, outcome: 'first', previous };
    }
    if (!(await productWasBought(tx, productId))) {
      const current = await getVersionOfFile(tx, before.mainFileId);
      if (current) await replaceVersionFile(tx, current.id, file.id);
      const product = (await setProductFile(tx, productId, 'file', file.id)) as Product;
      const replaced = await getStoredFile(tx, before.mainFileId);
      if (replaced) previous.unshift(replaced);
      return { product, outcome: 'replaced', previous };
    }
    await insertPendingVersion(tx, productId, file.id);
    return { product: before, outcome: 'pending', previous };
  }

  return {
    /**
     * Records an object already written to storage as the product's file, cover or preview. The
     * key must be one of this seller's keys for this product and kind: a client never picks where
     * its bytes land in someone else's folder. A replaced object is removed after the commit,
     * unless the product has orders and it is the main file (a download may be streaming it).
     */
    attach,

    /**
     * Streams bytes into storage under a fresh key of the actor's own product, then attaches them.
     * Ownership is checked before a byte is written; an object whose record fails is removed.
     */
    async store(actorId: number, productId: string, incoming: IncomingFile): Promise<AttachResult> {
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
      try {
        return await attach(actorId, upload.productId, {
          kind: upload.kind,
          storageKey: upload.key,
          originalName: upload.fileName,
          sizeBytes: info.size,
          contentType: info.contentType,
        });
      } catch (error) {
        // A picture Telegram would refuse is not kept (the key is single-use: nothing can fix it).
        if (error instanceof InvalidInputError && upload.kind !== 'file') {
          await storage.delete(upload.key).catch(() => undefined);
        }
        throw error;
      }
    },

    /** The versions buyers may get, newest first, and the upload waiting to be published (owner only). */
    async versions(
      actorId: number,
      productId: string,
    ): Promise<{ published: FileVersion[]; pending: FileVersion | null }> {
      const product = await getProduct(db, productId);
      if (!product) throw new NotFoundError('product', productId);
      if (product.sellerId !== actorId) throw new NotOwnerError('product', productId);
      const [published, pending] = await Promise.all([
        listPublishedVersions(db, productId),
        getPendingVersion(db, productId),
      ]);
      return { published, pending };
    },

    /**
     * Publishes the waiting upload as the next version: it becomes what new buyers get and what
     * earlier buyers may download besides their own; the caller tells `recipients`. A banned
     * product publishes nothing.
     */
    async publishVersion(actorId: number, productId: string): Promise<PublishedVersion> {
      return db.transaction(async (tx) => {
        const product = await ownedProduct(tx, actorId, productId);
        if (product.status === 'banned') throw new ProductBannedError(productId);
        const pending = await getPendingVersion(tx, productId);
        if (!pending) throw new NoPendingVersionError(productId);
        const version = await publishPendingVersion(tx, pending.id);
        const updated = (await setProductFile(tx, productId, 'file', pending.fileId)) as Product;
        const recipients = await buyersBefore(tx, productId, version);
        return {
          product: updated,
          version: { ...pending, version, publishedAt: new Date() },
          recipients,
        };
      });
    },

    /** Drops the waiting upload and removes its object. */
    async discardPendingVersion(actorId: number, productId: string): Promise<void> {
      const dropped = await db.transaction(async (tx) => {
        await ownedProduct(tx, actorId, productId);
        const pending = await getPendingVersion(tx, productId);
        if (!pending) throw new NoPendingVersionError(productId);
        await deleteVersion(tx, pending.id);
        return getStoredFile(tx, pending.fileId);
      });
      if (dropped) await removeObject(dropped, productId);
    },
  };
}

export type ProductFileService = ReturnType<typeof createProductFileService>;

/** Publishing needs an upload waiting to be published. */
export class NoPendingVersionError extends ConflictError {
  constructor(productId: string) {
    super('file_version_not_pending', 'No new file is waiting to be published for this product.', {
      productId,
    });
  }
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
