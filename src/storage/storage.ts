// The one interface every storage backend implements. Bodies are always streams in and out,
// so memory stays flat whatever the file size (the old "streaming" read whole files first).
import type { Readable } from 'node:stream';
import { InvalidArgumentError, TooLargeError } from './errors.ts';

export interface PutOptions {
  contentType: string;
  /** When given, the body must be exactly this long: more is cut off early, less is refused. */
  size?: number;
  /** Refuse (UploadTokenUsedError) rather than replace an object already under the key. */
  ifAbsent?: boolean;
}

export interface PutResult {
  size: number;
  /** Hex SHA-256 of the bytes written, computed while streaming. */
  sha256: string;
}

export interface ReadOptions {
  /** First byte, inclusive (default 0). */
  start?: number;
  /** Last byte, inclusive, as in an HTTP Range (default: the last byte). */
  end?: number;
}

export interface ObjectInfo {
  size: number;
  contentType: string;
}

export interface UploadUrlOptions {
  contentType: string;
  /** The exact size the client will send; bound into the signature. */
  size: number;
  expiresInSec: number;
}

/** Where and how the client uploads: PUT the body to `url` with `headers`. */
export interface UploadTarget {
  url: string;
  method: 'PUT';
  /** Headers the client must send as given. Content-Length must equal the declared size. */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface DownloadUrlOptions {
  expiresInSec: number;
  /** The name the browser saves the file under (Content-Disposition: attachment). */
  fileName: string;
  /** The type the browser is told (Content-Type); already made safe by the caller. */
  contentType: string;
}

export interface FileStorage {
  readonly driver: 'local' | 's3';
  /** Stores a body under `key` (replacing any object there), streamed. */
  put(key: string, body: Readable | Buffer, options: PutOptions): Promise<PutResult>;
  /** The object's bytes, or a range of them. ObjectNotFoundError, RangeNotSatisfiableError. */
  read(key: string, options?: ReadOptions): Promise<Readable>;
  stat(key: string): Promise<ObjectInfo | null>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** A short-lived URL the client PUTs this exact key to (size and content type bound). */
  uploadUrl(key: string, options: UploadUrlOptions): Promise<UploadTarget>;
  /** A short-lived signed GET URL, or null when this backend cannot sign (serve with read()). */
  downloadUrl(key: string, options: DownloadUrlOptions): Promise<string | null>;
  /**
   * Opens an upload that the client sends in parts and may resume after a cut: S3 multipart
   * (parts go straight to the bucket through signed part URLs) or, on the local folder, a
   * temporary file our server appends chunks to.
   */
  startResumableUpload(key: string, options: ResumableUploadOptions): Promise<ResumableUpload>;
  /** What the store holds so far, so a client resumes where it stopped. UploadNotFoundError. */
  uploadedParts(upload: ResumableUpload): Promise<UploadState>;
  /** Assembles the parts into the object at `upload.key`, then measures it. UploadIncompleteError. */
  completeResumableUpload(upload: ResumableUpload): Promise<CompletedUpload>;
  /** Drops the parts received so far; aborting a finished or unknown upload is not an error. */
  abortResumableUpload(upload: ResumableUpload): Promise<void>;
  /**
   * Aborts uploads started (S3) or last written to (local) before `olderThan`, except those
   * whose upload id is in `keep`; returns how many went. A job calls it now and then.
   */
  sweepAbandonedUploads(olderThan: Date, keep?: ReadonlySet<string>): Promise<number>;
  /** Releases connections (shutdown). */
  close(): Promise<void>;
}

export interface ResumableUploadOptions {
  contentType: string;
  /** The exact size of the whole file. */
  size: number;
}

/** A resumable upload in progress: what the caller keeps (e.g. in a table) to continue it. */
export interface ResumableUpload {
  key: string;
  /** The S3 UploadId, or the local temporary file's id. */
  uploadId: string;
  contentType: string;
  size: number;
  /** Every part but the last is exactly this long (S3); the largest chunk to send at once (local). */
  partSize: number;
}

export interface UploadedPart {
  partNumber: number;
  size: number;
}

export interface UploadState {
  /** Bytes the store holds: the local offset to append at, or the sum of the S3 parts. */
  receivedBytes: number;
  /** S3: the parts received (any order). Local: always empty, chunks are appended in order. */
  parts: UploadedPart[];
}

export interface CompletedUpload extends PutResult {
  contentType: string;
}

/** A signed URL the client PUTs one part's bytes to (S3). */
export interface SignedPart {
  partNumber: number;
  url: string;
  /** Content-Length is signed: the part must be exactly this long. */
  size: number;
}

export interface StorageLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export const silentLogger: StorageLogger = { info() {}, warn() {} };

/** The longest a signed URL may live: the SigV4 limit. */
export const MAX_URL_EXPIRY_SEC = 7 * 24 * 3600;

/** A declared byte count: a non-negative safe integer, at most `max`. */
export function checkSize(size: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError(`Not a valid size: ${size}.`);
  if (size > max) throw new TooLargeError(max);
  return size;
}

/** A URL lifetime in whole seconds, 1 s to 7 days. */
export function checkExpiry(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_URL_EXPIRY_SEC) {
    throw new InvalidArgumentError(
      `A URL lifetime is 1 to ${MAX_URL_EXPIRY_SEC} whole seconds, not ${seconds}.`,
    );
  }
  return seconds;
}

/** Largest file a seller may upload (SPEC: up to 10 GB through the mini-app). */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 ** 3;

/** Checks read bounds: whole non-negative numbers, start not after end. */
export function checkReadOptions(options: ReadOptions): void {
  for (const value of [options.start, options.end]) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new InvalidArgumentError(`Not a valid byte position: ${value}.`);
    }
  }
  if (options.start !== undefined && options.end !== undefined && options.start > options.end) {
    throw new InvalidArgumentError(`A range cannot start (${options.start}) after it ends (${options.end}).`);
  }
}

/** The number of parts of an upload and the length of one (the last may be shorter). */
export function partCount(upload: Pick<ResumableUpload, 'size' | 'partSize'>): number {
  return Math.max(1, Math.ceil(upload.size / upload.partSize));
}

export function partLength(upload: Pick<ResumableUpload, 'size' | 'partSize'>, partNumber: number): number {
  const count = partCount(upload);
  if (!Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > count) {
    throw new InvalidArgumentError(`Part ${partNumber} is outside 1..${count}.`);
  }
  return partNumber < count ? upload.partSize : upload.size - (count - 1) * upload.partSize;
}
