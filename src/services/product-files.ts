// A product's stored objects: its file, cover and preview, whether they arrive through the bot (a
// stream the service writes) or through a signed upload URL (the mini app). The key is always
// one of the seller's own for this product, images are checked like the wizard checks them, and
// storage is only touched outside transactions.
import type { Readable } from 'node:stream';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import {
  getStoredFile,
  insertStoredFile,
  markStoredFileDeleted,
  type StoredFile,
  type StoredFileKind,
} from '../repositories/files.ts';
import { type Product, productHasOrders, setProductFile } from '../repositories/products.ts';
import {
  assertKeyBelongsTo,
  buildProductKey,
  type FileStorage,
  type KeyKind,
  type UploadTarget,
} from '../storage/index.ts';
import { ConflictError, InvalidInputError } from './errors.ts';
import { ownedProduct } from './products.ts';

export type { StoredFile, StoredFileKind };

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
      return attach(actorId, upload.productId, {
        kind: upload.kind,
        storageKey: upload.key,
        originalName: upload.fileName,
        sizeBytes: info.size,
        contentType: info.contentType,
      });
    },
  };
}

export type ProductFileService = ReturnType<typeof createProductFileService>;

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
