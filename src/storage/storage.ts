// The one interface every storage backend implements. Bodies are always streams in and out,
// so memory stays flat whatever the file size (the old "streaming" read whole files first).
import type { Readable } from 'node:stream';
import { InvalidArgumentError, TooLargeError } from './errors.ts';

export interface PutOptions {
  contentType: string;
  /** When given, the body must be exactly this long: more is cut off early, less is refused. */
  size?: number;
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
  /** Releases connections (shutdown). */
  close(): Promise<void>;
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
