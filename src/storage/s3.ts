// S3-compatible backend: Cloudflare R2, Backblaze B2, AWS S3, MinIO.
// Compatibility choices, each for a documented provider behaviour:
// - checksums only WHEN_REQUIRED: since @aws-sdk/client-s3 3.729 the SDK adds CRC32 headers by
//   default; B2 refuses them ("Unsupported header x-amz-checksum-crc32"), and in a presigned PUT
//   they would carry the CRC of an empty body, so every real upload would fail.
// - multipart parts all the same size but the last: R2 requires it (S3 does not mind).
// - region 'auto' for R2 (the settings choose it); path-style addressing for custom endpoints.
// Multipart uploads (the streamed put's and the browser's resumable ones) live in s3-resumable.ts.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  InvalidArgumentError,
  RangeNotSatisfiableError,
  SizeMismatchError,
  StorageError,
  TooLargeError,
} from './errors.ts';
import { checkContentType, contentDisposition } from './http.ts';
import { assertValidKey } from './keys.ts';
import { isNotFound, s3Failure, sdkErrorName, statusOf } from './s3-errors.ts';
import { S3MultipartUploads } from './s3-resumable.ts';
import {
  type CompletedUpload,
  checkExpiry,
  checkReadOptions,
  checkSize,
  DEFAULT_MAX_UPLOAD_BYTES,
  type DownloadUrlOptions,
  type FileStorage,
  type ObjectInfo,
  type PutOptions,
  type PutResult,
  type ReadOptions,
  type ResumableUpload,
  type ResumableUploadOptions,
  type SignedPart,
  type StorageLogger,
  silentLogger,
  type UploadState,
  type UploadTarget,
  type UploadUrlOptions,
} from './storage.ts';

export interface S3StorageOptions {
  bucket: string;
  /** 'auto' for R2; the bucket's region elsewhere (B2: e.g. us-west-004). */
  region: string;
  /** Omit for AWS; e.g. https://<account>.r2.cloudflarestorage.com, https://s3.<region>.backblazeb2.com */
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** bucket in the path rather than the host name (MinIO, test doubles; safe on R2 and B2). */
  forcePathStyle?: boolean;
  /** Multipart part size, 5 MiB minimum (default 8 MiB); grown when a file needs > 10,000 parts. */
  partSizeBytes?: number;
  /** Parts uploaded at once; memory used is about (concurrency + 1) × part size. Default 2. */
  multipartConcurrency?: number;
  /** Largest size a presigned upload may declare (default 10 GiB). */
  maxUploadBytes?: number;
  log?: StorageLogger;
}

const MiB = 1024 * 1024;
const MIN_PART = 5 * MiB;
const DEFAULT_PART = 8 * MiB; // 10 GB fits in 1,280 parts; 3 buffers in use = 24 MiB
const MAX_PARTS = 10_000;
const DEFAULT_TYPE = 'application/octet-stream';

export class S3FileStorage implements FileStorage {
  readonly driver = 's3' as const;
  readonly bucket: string;
  readonly maxUploadBytes: number;
  readonly #client: S3Client;
  readonly #partSize: number;
  readonly #concurrency: number;
  readonly #multipart: S3MultipartUploads;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.#partSize = options.partSizeBytes ?? DEFAULT_PART;
    if (!Number.isSafeInteger(this.#partSize) || this.#partSize < MIN_PART) {
      throw new InvalidArgumentError(`The multipart part size is at least ${MIN_PART} bytes.`);
    }
    this.#concurrency = Math.max(1, Math.floor(options.multipartConcurrency ?? 2));
    this.maxUploadBytes = checkSize(options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
    this.#client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      // No overall request timeout: a 10 GB download to a slow buyer legitimately takes long.
      requestHandler: { connectionTimeout: 10_000, socketTimeout: 120_000 },
    });
    this.#multipart = new S3MultipartUploads({
      client: this.#client,
      bucket: this.bucket,
      log: options.log ?? silentLogger,
      read: (key) => this.read(key),
    });
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions): Promise<PutResult> {
    assertValidKey(key);
    const contentType = checkContentType(options.contentType);
    if (options.size !== undefined) checkSize(options.size);
    if (Buffer.isBuffer(body) && body.length <= this.#partSize) {
      if (options.size !== undefined && body.length !== options.size) {
        throw new SizeMismatchError(options.size, body.length);
      }
      await this.#putObject(key, body, contentType);
      return { size: body.length, sha256: createHash('sha256').update(body).digest('hex') };
    }
    const size = options.size ?? (Buffer.isBuffer(body) ? body.length : undefined);
    return this.#putStream(key, Buffer.isBuffer(body) ? Readable.from([body]) : body, contentType, size);
  }

  async #putObject(key: string, body: Buffer, contentType: string): Promise<void> {
    const input = {
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ContentLength: body.length,
    };
    await this.#client
      .send(new PutObjectCommand(input))
      .catch((e: unknown) => s3Failure('PutObject', key, e));
  }

  /** Parts of equal size (R2 requires it), large enough to stay within 10,000 parts. */
  #partSizeFor(size: number | undefined): number {
    if (size === undefined) return this.#partSize;
    return Math.max(this.#partSize, Math.ceil(size / MAX_PARTS / MiB) * MiB);
  }

  /**
   * Streams a body of any length: one PutObject when it fits in a part, multipart otherwise.
   * Memory is bounded by (concurrency + 1) part buffers, reused; the source is read only as
   * fast as parts are accepted.
   */
  async #putStream(
    key: string,
    source: Readable,
    contentType: string,
    size: number | undefined,
  ): Promise<PutResult> {
    const partSize = this.#partSizeFor(size);
    const hash = createHash('sha256');
    const free: Buffer[] = [];
    const parts: { PartNumber: number; ETag: string }[] = [];
    const inflight = new Set<Promise<void>>();
    let failure: unknown;
    let uploadId: string | undefined;
    let buffer: Buffer | undefined;
    let filled = 0;
    let total = 0;
    let partNumber = 0;

    const sendPart = async (data: Buffer): Promise<void> => {
      uploadId ??= await this.#multipart.create(key, contentType);
      while (inflight.size >= this.#concurrency) await Promise.race(inflight);
      if (failure !== undefined) throw failure;
      partNumber += 1;
      if (partNumber > MAX_PARTS) throw new TooLargeError(partSize * MAX_PARTS);
      const number = partNumber;
      const input = { Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: number, Body: data };
      // Settles without rejecting: a failure is recorded and rethrown by the loop, never unhandled.
      const task: Promise<void> = this.#client
        .send(new UploadPartCommand({ ...input, ContentLength: data.length }))
        .then((out) => {
          if (!out.ETag) throw new StorageError(`S3 UploadPart ${number} of ${key} returned no ETag.`);
          parts.push({ PartNumber: number, ETag: out.ETag });
          if (data.length === partSize) free.push(data); // back to the pool for the next part
        })
        .catch((e: unknown) => {
          failure ??= e;
        })
        .finally(() => inflight.delete(task));
      inflight.add(task);
    };

    try {
      for await (const chunk of source) {
        const data: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        total += data.length;
        if (size !== undefined && total > size) throw new TooLargeError(size);
        hash.update(data);
        for (let offset = 0; offset < data.length; ) {
          buffer ??= free.pop() ?? Buffer.allocUnsafe(partSize);
          const copied = data.copy(buffer, filled, offset);
          filled += copied;
          offset += copied;
          if (filled === partSize) {
            await sendPart(buffer);
            buffer = undefined;
            filled = 0;
          }
        }
        if (failure !== undefined) throw failure;
      }
      if (size !== undefined && total !== size) throw new SizeMismatchError(size, total);
      if (uploadId === undefined) {
        await this.#putObject(key, buffer ? buffer.subarray(0, filled) : Buffer.alloc(0), contentType);
      } else {
        if (filled > 0 && buffer) await sendPart(buffer.subarray(0, filled));
        while (inflight.size > 0) await Promise.race(inflight);
        if (failure !== undefined) throw failure;
        parts.sort((a, b) => a.PartNumber - b.PartNumber);
        await this.#client
          .send(
            new CompleteMultipartUploadCommand({
              Bucket: this.bucket,
              Key: key,
              UploadId: uploadId,
              MultipartUpload: { Parts: parts },
            }),
          )
          .catch((e: unknown) => s3Failure('CompleteMultipartUpload', key, e));
      }
      return { size: total, sha256: hash.digest('hex') };
    } catch (error) {
      await Promise.allSettled(inflight);
      if (uploadId !== undefined) await this.#multipart.abandon(key, uploadId);
      s3Failure('upload', key, error);
    }
  }

  /** The object's bytes as a stream straight from the bucket; consume or destroy it to free the socket. */
  async read(key: string, options: ReadOptions = {}): Promise<Readable> {
    assertValidKey(key);
    checkReadOptions(options);
    const ranged = options.start !== undefined || options.end !== undefined;
    const range = ranged ? `bytes=${options.start ?? 0}-${options.end ?? ''}` : undefined;
    try {
      const out = await this.#client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }),
      );
      if (!(out.Body instanceof Readable))
        throw new StorageError(`S3 GetObject of ${key} returned no stream.`);
      return out.Body;
    } catch (error) {
      if (sdkErrorName(error) === 'InvalidRange' || statusOf(error) === 416) {
        throw new RangeNotSatisfiableError(key, undefined, { cause: error });
      }
      s3Failure('GetObject', key, error);
    }
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const out = await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType ?? DEFAULT_TYPE };
    } catch (error) {
      if (isNotFound(error)) return null;
      s3Failure('HeadObject', key, error);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (!isNotFound(error)) s3Failure('DeleteObject', key, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  /**
   * A presigned PUT for exactly this key, content type and size: Content-Type and
   * Content-Length are signed headers, so the bucket refuses any other type or length. It is
   * also a conditional write (`If-None-Match: *`, signed): once the object exists, the same URL
   * cannot replace it (S3, R2 and MinIO answer 412).
   */
  async uploadUrl(key: string, options: UploadUrlOptions): Promise<UploadTarget> {
    assertValidKey(key);
    const contentType = checkContentType(options.contentType);
    const size = checkSize(options.size, this.maxUploadBytes);
    const expiresIn = checkExpiry(options.expiresInSec);
    const expiresAt = new Date(Date.now() + expiresIn * 1000);
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: contentType,
      ContentLength: size,
      IfNoneMatch: '*',
    });
    // The presigner leaves content-type unsigned unless asked; content-length is signed when present.
    const url = await getSignedUrl(this.#client, command, {
      expiresIn,
      signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
    });
    return { url, method: 'PUT', headers: { 'Content-Type': contentType, 'If-None-Match': '*' }, expiresAt };
  }

  /** A presigned GET that makes the browser save the file under `fileName`, as `contentType`. */
  async downloadUrl(key: string, options: DownloadUrlOptions): Promise<string> {
    assertValidKey(key);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: contentDisposition(options.fileName),
      ResponseContentType: options.contentType,
    });
    return getSignedUrl(this.#client, command, { expiresIn: checkExpiry(options.expiresInSec) });
  }

  /**
   * Opens a multipart upload the browser fills directly through signed part URLs. Parts are
   * all `partSize` long but the last (R2 requires it), few enough for the 10,000-part limit.
   */
  async startResumableUpload(key: string, options: ResumableUploadOptions): Promise<ResumableUpload> {
    assertValidKey(key);
    const contentType = checkContentType(options.contentType);
    const size = checkSize(options.size, this.maxUploadBytes);
    return this.#multipart.start(key, { contentType, size }, this.#partSizeFor(size));
  }

  /** Presigned UploadPart URLs, each signed for exactly its part's length. */
  async signParts(
    upload: ResumableUpload,
    partNumbers: number[],
    expiresInSec: number,
  ): Promise<SignedPart[]> {
    return this.#multipart.signParts(upload, partNumbers, expiresInSec);
  }

  async uploadedParts(upload: ResumableUpload): Promise<UploadState> {
    return this.#multipart.uploadedParts(upload);
  }

  /** Completes from the bucket's own list of parts, then reads the object back to hash it. */
  async completeResumableUpload(upload: ResumableUpload): Promise<CompletedUpload> {
    return this.#multipart.complete(upload);
  }

  async abortResumableUpload(upload: ResumableUpload): Promise<void> {
    assertValidKey(upload.key);
    await this.#multipart.abort(upload);
  }

  /** Aborts the multipart uploads under products/ started before `olderThan`, except `keep`. */
  async sweepAbandonedUploads(olderThan: Date, keep: ReadonlySet<string> = new Set()): Promise<number> {
    return this.#multipart.sweep(olderThan, keep);
  }

  /** The origin presigned URLs point at: what a page's CSP connect-src must allow for browser uploads. */
  async uploadOrigin(): Promise<string> {
    const url = await getSignedUrl(
      this.#client,
      new GetObjectCommand({ Bucket: this.bucket, Key: 'origin' }),
      {
        expiresIn: 60,
      },
    );
    return new URL(url).origin;
  }

  /** Closes the client's sockets (shutdown). */
  async close(): Promise<void> {
    this.#client.destroy();
  }
}
