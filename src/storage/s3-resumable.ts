// Multipart uploads in an S3 bucket: opened and abandoned for the streamed put, and the
// resumable uploads a browser fills directly through signed part URLs, completed from the
// bucket's own list of parts and read back once to measure them.
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SizeMismatchError, StorageError, UploadIncompleteError, UploadNotFoundError } from './errors.ts';
import { Meter } from './meter.ts';
import { isNoSuchUpload, s3Failure } from './s3-errors.ts';
import {
  type CompletedUpload,
  checkExpiry,
  partCount,
  partLength,
  type ResumableUpload,
  type ResumableUploadOptions,
  type SignedPart,
  type StorageLogger,
  type UploadedPart,
  type UploadState,
} from './storage.ts';

export interface MultipartBucket {
  client: S3Client;
  bucket: string;
  log: StorageLogger;
  /** The object's bytes, read back to measure a completed upload. */
  read: (key: string) => Promise<Readable>;
}

interface ListedPart {
  PartNumber: number;
  ETag: string;
  Size: number;
}

export class S3MultipartUploads {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #log: StorageLogger;
  readonly #read: (key: string) => Promise<Readable>;

  constructor(bucket: MultipartBucket) {
    this.#client = bucket.client;
    this.#bucket = bucket.bucket;
    this.#log = bucket.log;
    this.#read = bucket.read;
  }

  /** Opens a multipart upload and returns its upload id. */
  async create(key: string, contentType: string): Promise<string> {
    const created = await this.#client
      .send(new CreateMultipartUploadCommand({ Bucket: this.#bucket, Key: key, ContentType: contentType }))
      .catch((e: unknown) => s3Failure('CreateMultipartUpload', key, e));
    if (!created.UploadId)
      throw new StorageError(`S3 CreateMultipartUpload of ${key} returned no upload id.`);
    return created.UploadId;
  }

  /** Aborts without throwing: unfinished multipart uploads are billed until aborted. */
  async abandon(key: string, uploadId: string): Promise<boolean> {
    try {
      await this.#client.send(
        new AbortMultipartUploadCommand({ Bucket: this.#bucket, Key: key, UploadId: uploadId }),
      );
      return true;
    } catch (error) {
      this.#log.warn(
        { key, err: (error as Error)?.message },
        'could not abort an S3 multipart upload; a bucket lifecycle rule should clean it up',
      );
      return false;
    }
  }

  /** A resumable upload of checked options, in parts of `partSize` but the last. */
  async start(key: string, options: ResumableUploadOptions, partSize: number): Promise<ResumableUpload> {
    const uploadId = await this.create(key, options.contentType);
    return { key, uploadId, contentType: options.contentType, size: options.size, partSize };
  }

  /**
   * Presigned UploadPart URLs. Content-Length is a signed header, so the bucket takes exactly
   * the expected length for each part: a client cannot grow the file past its declared size.
   */
  async signParts(
    upload: ResumableUpload,
    partNumbers: number[],
    expiresInSec: number,
  ): Promise<SignedPart[]> {
    const expiresIn = checkExpiry(expiresInSec);
    return Promise.all(
      partNumbers.map(async (partNumber) => {
        const size = partLength(upload, partNumber);
        const command = new UploadPartCommand({
          Bucket: this.#bucket,
          Key: upload.key,
          UploadId: upload.uploadId,
          PartNumber: partNumber,
          ContentLength: size,
        });
        return { partNumber, size, url: await getSignedUrl(this.#client, command, { expiresIn }) };
      }),
    );
  }

  /** Every part the bucket holds for this upload (ListParts, all pages). */
  async #listParts(upload: ResumableUpload): Promise<ListedPart[]> {
    const parts: ListedPart[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.#client
        .send(
          new ListPartsCommand({
            Bucket: this.#bucket,
            Key: upload.key,
            UploadId: upload.uploadId,
            PartNumberMarker: marker,
          }),
        )
        .catch((e: unknown) => {
          if (isNoSuchUpload(e)) throw new UploadNotFoundError(upload.uploadId, { cause: e });
          s3Failure('ListParts', upload.key, e);
        });
      for (const part of page.Parts ?? []) {
        parts.push({ PartNumber: part.PartNumber ?? 0, ETag: part.ETag ?? '', Size: part.Size ?? 0 });
      }
      if (!page.IsTruncated || page.NextPartNumberMarker === undefined) return parts;
      marker = page.NextPartNumberMarker;
    }
  }

  async uploadedParts(upload: ResumableUpload): Promise<UploadState> {
    const parts: UploadedPart[] = (await this.#listParts(upload)).map((p) => ({
      partNumber: p.PartNumber,
      size: p.Size,
    }));
    return { receivedBytes: parts.reduce((sum, p) => sum + p.size, 0), parts };
  }

  /**
   * Completes the multipart upload from the bucket's own list of parts (never a client's), each
   * of the expected length, then reads the object back once to measure it: no S3-compatible
   * store gives the SHA-256 of a whole multipart object (S3's own is a checksum of the parts'
   * checksums, and B2 refuses checksum headers), and what buyers get must match what was hashed.
   */
  async complete(upload: ResumableUpload): Promise<CompletedUpload> {
    const listed = new Map((await this.#listParts(upload)).map((p) => [p.PartNumber, p]));
    const parts: { PartNumber: number; ETag: string }[] = [];
    const missing: number[] = [];
    for (let n = 1; n <= partCount(upload); n++) {
      const part = listed.get(n);
      if (part?.Size === partLength(upload, n)) parts.push({ PartNumber: n, ETag: part.ETag });
      else missing.push(n);
    }
    if (missing.length > 0) {
      const received = [...listed.values()].reduce((sum, p) => sum + p.Size, 0);
      throw new UploadIncompleteError(
        received,
        upload.size,
        `parts missing: ${missing.slice(0, 10).join(', ')}`,
      );
    }
    await this.#client
      .send(
        new CompleteMultipartUploadCommand({
          Bucket: this.#bucket,
          Key: upload.key,
          UploadId: upload.uploadId,
          MultipartUpload: { Parts: parts },
        }),
      )
      .catch((e: unknown) => {
        if (isNoSuchUpload(e)) throw new UploadNotFoundError(upload.uploadId, { cause: e });
        s3Failure('CompleteMultipartUpload', upload.key, e);
      });
    const meter = new Meter();
    await pipeline(await this.#read(upload.key), meter, new Writable({ write: (_c, _e, done) => done() }));
    if (meter.size !== upload.size) throw new SizeMismatchError(upload.size, meter.size);
    return { contentType: upload.contentType, size: meter.size, sha256: meter.sha256 };
  }

  /** Aborts on request; an upload the bucket no longer knows is already gone. */
  async abort(upload: ResumableUpload): Promise<void> {
    await this.#client
      .send(
        new AbortMultipartUploadCommand({ Bucket: this.#bucket, Key: upload.key, UploadId: upload.uploadId }),
      )
      .catch((e: unknown) => {
        if (!isNoSuchUpload(e)) s3Failure('AbortMultipartUpload', upload.key, e);
      });
  }

  /** ListMultipartUploads under products/, aborting those started before `olderThan`. */
  async sweep(olderThan: Date, keep: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.#client
        .send(
          new ListMultipartUploadsCommand({
            Bucket: this.#bucket,
            Prefix: 'products/',
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        )
        .catch((e: unknown) => s3Failure('ListMultipartUploads', 'products/', e));
      for (const upload of page.Uploads ?? []) {
        const { Key: key, UploadId: uploadId, Initiated: initiated } = upload;
        if (!key || !uploadId || keep.has(uploadId) || !initiated || initiated >= olderThan) continue;
        if (await this.abandon(key, uploadId)) removed++;
      }
      if (!page.IsTruncated) return removed;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  }
}
