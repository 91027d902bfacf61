// Resumable uploads of a seller's product file from the Mini App page, up to the storage limit
// (10 GiB by default). The browser sends the bytes in parts: straight to the bucket through
// presigned part URLs (S3), or as chunks appended through our server (local folder); after a cut
// it asks what arrived and goes on. Completion is single-use: the upload is claimed, the
// assembled bytes are measured, size and SHA-256 must equal what the client declared, and only
// then does the file become the product's. Nothing here holds a connection across a storage call.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import type { StoredFileKind } from '../repositories/files.ts';
import { getProduct } from '../repositories/products.ts';
import {
  type FileUpload,
  getFileUpload,
  insertFileUpload,
  listIdleFileUploads,
  listUnfinishedStorageUploadIds,
  markFileUploadCompleted,
  moveFileUpload,
  touchFileUpload,
} from '../repositories/uploads.ts';
import {
  buildProductKey,
  checkContentType,
  type LocalFileStorage,
  partCount,
  type ResumableUpload,
  type S3FileStorage,
  type SignedPart,
  type UploadedPart,
  UploadNotFoundError,
} from '../storage/index.ts';
import { requireActiveSeller } from './accounts.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  NotOwnerError,
  ProductDeletedError,
} from './errors.ts';
import { type FileOutcome, MAX_IMAGE_BYTES, type ProductFileService } from './product-files.ts';

export interface StartUpload {
  productId: string;
  fileName: string;
  contentType: string;
  size: number;
  kind?: StoredFileKind;
}

/** What the page needs to send (or resume) an upload. */
export interface UploadView {
  uploadId: string;
  productId: string;
  fileName: string;
  contentType: string;
  size: number;
  /** 's3': PUT parts to signed URLs; 'local': PATCH chunks to our server at `receivedBytes`. */
  transport: 's3' | 'local';
  partSize: number;
  partCount: number;
  receivedBytes: number;
  /** S3: the parts the bucket already holds. */
  parts: UploadedPart[];
}

export interface CompletedFileUpload {
  uploadId: string;
  productId: string;
  /** The product as the file left it (its title, its file), for the seller's notice. */
  productTitle: string;
  fileId: number;
  fileName: string;
  kind: StoredFileKind;
  size: number;
  sha256: string;
  /** For the product file: its first file, a replacement, or a version waiting to be published. */
  outcome: FileOutcome | null;
}

export interface SweepResult {
  /** Unfinished uploads idle past the horizon, aborted and marked so. */
  uploads: number;
  /** Storage uploads no row knew of (a crash between start and insert, a deleted product). */
  orphans: number;
}

/** The product a seller is about to upload to, as the page shows it. */
export interface UploadTarget {
  productId: string;
  title: string;
  status: string;
  hasFile: boolean;
  maxBytes: number;
}

export interface UploadService {
  /** Whether the caller may upload to this product (checked again at start), and its title. */
  target(actorId: number, productId: string): Promise<UploadTarget>;
  start(actorId: number, input: StartUpload): Promise<UploadView>;
  status(actorId: number, uploadId: string): Promise<UploadView>;
  signParts(actorId: number, uploadId: string, partNumbers: number[]): Promise<SignedPart[]>;
  appendChunk(actorId: number, uploadId: string, offset: number, body: Readable): Promise<UploadView>;
  complete(actorId: number, uploadId: string, declared: { sha256: string }): Promise<CompletedFileUpload>;
  abort(actorId: number, uploadId: string): Promise<void>;
  /** Aborts uploads with no sign of life since `olderThan` (a job calls it). */
  sweepAbandoned(olderThan: Date): Promise<SweepResult>;
}

export interface UploadServiceDeps {
  db: Database;
  storage: LocalFileStorage | S3FileStorage;
  /** Attaches the finished upload to the product, like any other file. */
  files: Pick<ProductFileService, 'attach'>;
  log?: Pick<Logger, 'warn'>;
  /** Lifetime of a presigned part URL (default 15 minutes); the page asks for more as it goes. */
  partUrlTtlSec?: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function createUploadService(deps: UploadServiceDeps): UploadService {
  const { db, storage, log } = deps;
  const partUrlTtl = deps.partUrlTtlSec ?? 15 * 60;

  const reference = (row: FileUpload): ResumableUpload => ({
    key: row.storageKey,
    uploadId: row.storageUploadId,
    contentType: row.contentType,
    size: row.sizeBytes,
    partSize: row.partSize,
  });

  const view = (row: FileUpload, received: { receivedBytes: number; parts: UploadedPart[] }): UploadView => ({
    uploadId: row.id,
    productId: row.productId,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.sizeBytes,
    transport: storage.driver,
    partSize: row.partSize,
    partCount: partCount(reference(row)),
    ...received,
  });

  /** The caller's own upload; another seller's is as unknown as a missing one. */
  async function ownUpload(actorId: number, uploadId: string): Promise<FileUpload> {
    const row = /^U-[0-9a-f]{32}$/.test(uploadId) ? await getFileUpload(db, uploadId) : null;
    if (!row || row.sellerId !== actorId) throw new NotFoundError('upload', uploadId);
    return row;
  }

  async function openUpload(actorId: number, uploadId: string): Promise<FileUpload> {
    const row = await ownUpload(actorId, uploadId);
    if (row.status !== 'open') throw finishedError(row);
    return row;
  }

  /** An upload that takes no more work: being completed, complete, or cancelled. */
  function finishedError(row: FileUpload): ConflictError {
    const details = { uploadId: row.id };
    switch (row.status) {
      case 'completed':
        return new ConflictError(
          'upload_completed',
          'This upload is complete: start a new one to send another file.',
          details,
        );
      case 'aborted':
        return new ConflictError(
          'upload_aborted',
          'This upload was cancelled or expired: start a new one.',
          details,
        );
      default:
        return new ConflictError('upload_completing', 'This upload is being completed.', details);
    }
  }

  /** Removes the assembled object of a refused upload and marks it aborted. */
  async function discard(row: FileUpload): Promise<void> {
    await storage.delete(row.storageKey).catch((error: unknown) => {
      log?.warn({ err: error, key: row.storageKey }, 'refused upload could not be removed from storage');
    });
    await moveFileUpload(db, row.id, 'completing', 'aborted');
  }

  /** The caller's own product, open for a file: they may sell, it is theirs and not deleted. */
  async function ownProduct(actorId: number, productId: string) {
    await requireActiveSeller(db, actorId);
    const product = await getProduct(db, productId);
    if (!product) throw new NotFoundError('product', productId);
    if (product.sellerId !== actorId) throw new NotOwnerError('product', productId);
    if (product.status === 'deleted') throw new ProductDeletedError(productId);
    return product;
  }

  return {
    async target(actorId, productId) {
      const product = await ownProduct(actorId, productId);
      return {
        productId: product.id,
        title: product.title,
        status: product.status,
        hasFile: product.mainFileId !== null,
        maxBytes: storage.maxUploadBytes,
      };
    },

    async start(actorId, input) {
      const kind = input.kind ?? 'file';
      const contentType = checkContentType(input.contentType);
      if (kind !== 'file' && !contentType.startsWith('image/')) {
        throw new InvalidInputError('image_type_invalid', kind, 'A cover or preview is an image.');
      }
      if (kind !== 'file' && input.size > MAX_IMAGE_BYTES) {
        throw new InvalidInputError('image_too_large', kind, 'An image is at most 5 MB.', {
          max: MAX_IMAGE_BYTES,
          size: input.size,
        });
      }
      const product = await ownProduct(actorId, input.productId);
      const key = buildProductKey({
        sellerId: actorId,
        productId: product.id,
        kind,
        fileName: input.fileName,
      });
      const opened = await storage.startResumableUpload(key, { contentType, size: input.size });
      try {
        const row = await insertFileUpload(db, {
          id: `U-${randomBytes(16).toString('hex')}`,
          sellerId: actorId,
          productId: product.id,
          kind,
          storageKey: key,
          storageUploadId: opened.uploadId,
          fileName: input.fileName,
          contentType,
          sizeBytes: opened.size,
          partSize: opened.partSize,
        });
        return view(row, { receivedBytes: 0, parts: [] });
      } catch (error) {
        await storage.abortResumableUpload(opened).catch(() => {});
        throw error;
      }
    },

    async status(actorId, uploadId) {
      const row = await openUpload(actorId, uploadId);
      return view(row, await storage.uploadedParts(reference(row)));
    },

    async signParts(actorId, uploadId, partNumbers) {
      const row = await openUpload(actorId, uploadId);
      if (storage.driver !== 's3') {
        throw new ConflictError('upload_transport', 'This upload is sent in chunks to our server.', {
          uploadId,
        });
      }
      await touchFileUpload(db, row.id);
      return storage.signParts(reference(row), partNumbers, partUrlTtl);
    },

    async appendChunk(actorId, uploadId, offset, body) {
      const row = await openUpload(actorId, uploadId);
      if (storage.driver !== 'local') {
        body.resume();
        throw new ConflictError('upload_transport', 'This upload goes straight to the bucket.', { uploadId });
      }
      await touchFileUpload(db, row.id);
      return view(row, await storage.appendChunk(reference(row), offset, body));
    },

    async complete(actorId, uploadId, declared) {
      if (!SHA256.test(declared.sha256)) {
        throw new InvalidInputError(
          'checksum_invalid',
          'sha256',
          'The checksum is 64 lower-case hex digits.',
        );
      }
      const owned = await ownUpload(actorId, uploadId);
      const row = await moveFileUpload(db, owned.id, 'open', 'completing');
      if (!row) throw finishedError((await getFileUpload(db, owned.id)) ?? owned);

      let measured: { size: number; sha256: string };
      try {
        measured = await storage.completeResumableUpload(reference(row));
      } catch (error) {
        // Gone from storage (swept, aborted): nothing left to resume. Otherwise nothing was
        // assembled (parts missing, a storage hiccup) and the client may send more and retry.
        await moveFileUpload(
          db,
          row.id,
          'completing',
          error instanceof UploadNotFoundError ? 'aborted' : 'open',
        );
        throw error;
      }
      if (measured.sha256 !== declared.sha256) {
        await discard(row);
        throw new InvalidInputError(
          'checksum_mismatch',
          'sha256',
          'The file that arrived differs from the one you sent (checksum mismatch): upload it again.',
          { expected: declared.sha256, received: measured.sha256 },
        );
      }
      let attached: Awaited<ReturnType<ProductFileService['attach']>>;
      try {
        attached = await deps.files.attach(actorId, row.productId, {
          kind: row.kind,
          storageKey: row.storageKey,
          originalName: row.fileName,
          sizeBytes: measured.size,
          contentType: row.contentType,
          sha256: measured.sha256,
        });
      } catch (error) {
        await discard(row); // the product was deleted or the seller suspended meanwhile
        throw error;
      }
      const fileId = attached.file.id;
      await markFileUploadCompleted(db, row.id, { sha256: measured.sha256, storedFileId: fileId });
      return {
        uploadId: row.id,
        productId: row.productId,
        productTitle: attached.product.title,
        fileId,
        fileName: row.fileName,
        kind: row.kind,
        size: measured.size,
        sha256: measured.sha256,
        outcome: attached.outcome,
      };
    },

    async abort(actorId, uploadId) {
      const owned = await ownUpload(actorId, uploadId);
      const row = await moveFileUpload(db, owned.id, 'open', 'aborted');
      if (!row) {
        if (owned.status === 'aborted') return;
        throw finishedError(owned);
      }
      await storage.abortResumableUpload(reference(row));
    },

    async sweepAbandoned(olderThan) {
      let uploads = 0;
      for (let batch = await listIdleFileUploads(db, olderThan); batch.length > 0; ) {
        for (const row of batch) {
          // Null when it moved on since the list was read: then it is not idle any more.
          if (!(await moveFileUpload(db, row.id, row.status, 'aborted'))) continue;
          await storage.abortResumableUpload(reference(row)).catch((error: unknown) => {
            log?.warn({ err: error, uploadId: row.id }, 'abandoned upload could not be aborted in storage');
          });
          uploads++;
        }
        batch = await listIdleFileUploads(db, olderThan);
      }
      const keep = new Set(await listUnfinishedStorageUploadIds(db));
      const orphans = await storage.sweepAbandonedUploads(olderThan, keep);
      return { uploads, orphans };
    },
  };
}
