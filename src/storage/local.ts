// Local-folder backend, the default. Layout under the root:
//   objects/<key>       the bytes
//   meta/<key>.json     content type, size, sha256 (a folder has no object metadata)
//   tmp/                 writes in progress, renamed into place when complete (same filesystem)
//   uploads/             resumable uploads in progress (local-resumable.ts), renamed in the same way
// Readers therefore never see a half-written file, and a crash leaves only tmp/ debris.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  ContentTypeMismatchError,
  InvalidArgumentError,
  InvalidKeyError,
  ObjectNotFoundError,
  RangeNotSatisfiableError,
  SizeMismatchError,
  TooLargeError,
  UploadNotFoundError,
  UploadTokenUsedError,
} from './errors.ts';
import { FileBody } from './file-body.ts';
import { checkContentType, mediaType } from './http.ts';
import { assertValidKey } from './keys.ts';
import { ResumableFolder } from './local-resumable.ts';
import { Meter } from './meter.ts';
import {
  type CompletedUpload,
  checkExpiry,
  checkReadOptions,
  checkSize,
  DEFAULT_MAX_UPLOAD_BYTES,
  type FileStorage,
  type ObjectInfo,
  type PutOptions,
  type PutResult,
  type ReadOptions,
  type ResumableUpload,
  type ResumableUploadOptions,
  type UploadState,
  type UploadTarget,
  type UploadUrlOptions,
} from './storage.ts';
import { signUploadToken, type UploadGrant, verifyUploadToken } from './upload-token.ts';

export { signUploadToken, type UploadGrant, verifyUploadToken } from './upload-token.ts';

export interface LocalStorageOptions {
  /** The root folder; created on first write. */
  dir: string;
  /** Our server's public base URL; upload URLs are `<publicUrl>/uploads/<token>`. */
  publicUrl: string;
  /** HMAC secret for upload tokens (at least 32 characters). */
  signingSecret: string | Buffer;
  /** Largest size an upload URL may declare (default 10 GiB). */
  maxUploadBytes?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** Request headers as Node (IncomingHttpHeaders) or fetch (Headers) give them. */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

export interface AcceptedUpload extends PutResult {
  key: string;
  contentType: string;
}

const DEFAULT_TYPE = 'application/octet-stream';

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

function header(headers: HeadersLike, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  const value = found?.[1];
  return Array.isArray(value) ? value[0] : value;
}

export class LocalFileStorage implements FileStorage {
  readonly driver = 'local' as const;
  readonly root: string;
  readonly maxUploadBytes: number;
  readonly #objects: string;
  readonly #meta: string;
  readonly #tmp: string;
  readonly #resumable: ResumableFolder;
  readonly #publicUrl: string;
  readonly #secret: string | Buffer;
  readonly #now: () => number;

  constructor(options: LocalStorageOptions) {
    if (Buffer.byteLength(options.signingSecret) < 32) {
      throw new InvalidArgumentError('The upload signing secret must be at least 32 characters.');
    }
    this.root = resolve(options.dir);
    this.#objects = join(this.root, 'objects');
    this.#meta = join(this.root, 'meta');
    this.#tmp = join(this.root, 'tmp');
    this.#resumable = new ResumableFolder(join(this.root, 'uploads'));
    this.#publicUrl = new URL(options.publicUrl).href.replace(/\/+$/, '');
    this.#secret = options.signingSecret;
    this.maxUploadBytes = checkSize(options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
    this.#now = options.now ?? Date.now;
  }

  /** The object's path, proven to stay inside the objects folder whatever the key. */
  #pathOf(base: string, key: string, suffix = ''): string {
    assertValidKey(key);
    const path = join(base, ...key.split('/')) + suffix;
    if (!path.startsWith(base + sep)) throw new InvalidKeyError('A storage key must stay inside its folder.');
    return path;
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions): Promise<PutResult> {
    assertValidKey(key);
    const contentType = checkContentType(options.contentType);
    if (options.size !== undefined) checkSize(options.size);
    await mkdir(this.#tmp, { recursive: true });
    const tmp = join(this.#tmp, randomUUID());
    const meter = new Meter(options.size);
    try {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      await pipeline(source, meter, createWriteStream(tmp, { flags: 'wx' }));
      if (options.size !== undefined && meter.size !== options.size) {
        throw new SizeMismatchError(options.size, meter.size);
      }
      await this.#flush(tmp);
      const result = { size: meter.size, sha256: meter.sha256 };
      await this.#publish(key, tmp, { contentType, ...result }, options.ifAbsent ?? false);
      return result;
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  /**
   * Moves a complete, synced file into place under `key`, its metadata written first. With
   * `ifAbsent` the file is linked into place, which fails atomically when the key is taken.
   */
  async #publish(key: string, file: string, meta: CompletedUpload, ifAbsent = false): Promise<void> {
    const target = this.#pathOf(this.#objects, key);
    const metaPath = this.#pathOf(this.#meta, key, '.json');
    const metaTmp = join(this.#tmp, `${randomUUID()}.json`);
    try {
      await mkdir(this.#tmp, { recursive: true });
      await writeFile(metaTmp, JSON.stringify(meta), { flag: 'wx' });
      await mkdir(dirname(target), { recursive: true });
      await mkdir(dirname(metaPath), { recursive: true });
      if (ifAbsent) {
        await link(file, target).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'EEXIST' ? new UploadTokenUsedError(key) : error;
        });
        await rm(file);
      } else {
        await rename(file, target);
      }
      await rename(metaTmp, metaPath);
    } finally {
      await rm(metaTmp, { force: true });
    }
  }

  /** Data reaches the disk before the rename publishes it. */
  async #flush(path: string): Promise<void> {
    const handle = await open(path, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async read(key: string, options: ReadOptions = {}): Promise<FileBody> {
    const path = this.#pathOf(this.#objects, key);
    checkReadOptions(options);
    // One handle for the size check and the read: a concurrent replace cannot slip between.
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw isMissing(error) ? new ObjectNotFoundError(key, { cause: error }) : error;
    });
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new ObjectNotFoundError(key);
      const ranged = options.start !== undefined || options.end !== undefined;
      const start = options.start ?? 0;
      if (ranged && start >= info.size) throw new RangeNotSatisfiableError(key, info.size);
      const end = Math.min(options.end ?? info.size - 1, info.size - 1);
      return new FileBody(handle, start, end);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    const path = this.#pathOf(this.#objects, key);
    const info = await stat(path).catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
    if (!info?.isFile()) return null;
    return { size: info.size, contentType: await this.#contentType(key) };
  }

  async #contentType(key: string): Promise<string> {
    try {
      const meta = JSON.parse(await readFile(this.#pathOf(this.#meta, key, '.json'), 'utf8')) as {
        contentType?: unknown;
      };
      return typeof meta.contentType === 'string' ? meta.contentType : DEFAULT_TYPE;
    } catch {
      return DEFAULT_TYPE; // metadata lost or never written: the bytes are still good
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.#pathOf(this.#objects, key);
    const metaPath = this.#pathOf(this.#meta, key, '.json');
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory()) return; // a folder of other keys, not an object
    await rm(path, { force: true });
    await rm(metaPath, { force: true });
    await this.#pruneEmptyFolders(dirname(path), this.#objects);
    await this.#pruneEmptyFolders(dirname(metaPath), this.#meta);
  }

  /** Deleting a product's last file also removes its now empty folders. */
  async #pruneEmptyFolders(from: string, base: string): Promise<void> {
    for (let dir = from; dir.startsWith(base + sep); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty, or already gone
      }
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async uploadUrl(key: string, options: UploadUrlOptions): Promise<UploadTarget> {
    assertValidKey(key);
    const contentType = checkContentType(options.contentType);
    const size = checkSize(options.size, this.maxUploadBytes);
    const expiresAt = new Date(this.#now() + checkExpiry(options.expiresInSec) * 1000);
    const token = signUploadToken({ key, contentType, size, expiresAt }, this.#secret);
    return {
      url: `${this.#publicUrl}/uploads/${token}`,
      method: 'PUT',
      headers: { 'Content-Type': contentType },
      expiresAt,
    };
  }

  /** A folder cannot sign URLs: the server streams the file with read(). */
  async downloadUrl(key: string): Promise<null> {
    assertValidKey(key);
    return null;
  }

  /** Checks an upload token (signature, then expiry) and returns what it allows. */
  verifyUploadToken(token: string): UploadGrant {
    return verifyUploadToken(token, this.#secret, this.#now());
  }

  /**
   * The body of `PUT /uploads/<token>`, written to the token's key. Refuses a bad or expired
   * token, a Content-Type other than the signed one, a Content-Length other than the signed
   * size; then streams with the signed size as a hard cap, so a lying chunked body is cut off.
   */
  async acceptSignedUpload(token: string, body: Readable, headers: HeadersLike): Promise<AcceptedUpload> {
    const grant = this.verifyUploadToken(token);
    if (grant.size > this.maxUploadBytes) throw new TooLargeError(this.maxUploadBytes);
    const sentType = header(headers, 'content-type');
    if (sentType === undefined || mediaType(sentType) !== mediaType(grant.contentType)) {
      throw new ContentTypeMismatchError(grant.contentType, sentType);
    }
    const sentLength = header(headers, 'content-length');
    if (sentLength !== undefined) {
      if (!/^\d{1,16}$/.test(sentLength.trim()))
        throw new InvalidArgumentError('Content-Length is not a number.');
      const length = Number(sentLength);
      if (length > grant.size) throw new TooLargeError(grant.size);
      if (length < grant.size) throw new SizeMismatchError(grant.size, length);
    }
    // A key is fresh per link: an object already there means the link was used.
    const result = await this.put(grant.key, body, {
      contentType: grant.contentType,
      size: grant.size,
      ifAbsent: true,
    });
    return { key: grant.key, contentType: grant.contentType, ...result };
  }

  async startResumableUpload(key: string, options: ResumableUploadOptions): Promise<ResumableUpload> {
    assertValidKey(key);
    const contentType = checkContentType(options.contentType);
    const size = checkSize(options.size, this.maxUploadBytes);
    return this.#resumable.start(key, { contentType, size });
  }

  async uploadedParts(upload: ResumableUpload): Promise<UploadState> {
    return this.#resumable.state(upload);
  }

  /**
   * One chunk of a resumable upload, streamed to disk as it arrives. `offset` must be where the
   * upload stands (UploadOffsetMismatchError tells where); more than the declared size is cut
   * off (TooLargeError). Returns how many bytes the upload now holds.
   */
  async appendChunk(upload: ResumableUpload, offset: number, body: Readable): Promise<UploadState> {
    return this.#resumable.append(upload, offset, body);
  }

  async completeResumableUpload(upload: ResumableUpload): Promise<CompletedUpload> {
    const finished = await this.#resumable.finish(upload);
    const result = { contentType: upload.contentType, size: finished.size, sha256: finished.sha256 };
    await this.#publish(upload.key, finished.data, result);
    await this.#resumable.remove(upload.uploadId);
    return result;
  }

  async abortResumableUpload(upload: ResumableUpload): Promise<void> {
    await this.#resumable.remove(upload.uploadId).catch((error: unknown) => {
      if (!(error instanceof UploadNotFoundError)) throw error;
    });
  }

  async sweepAbandonedUploads(olderThan: Date, keep: ReadonlySet<string> = new Set()): Promise<number> {
    return this.#resumable.sweep(olderThan, keep);
  }

  async close(): Promise<void> {}

  /** Removes writes abandoned by a crash; run now and then (a job), never needed for correctness. */
  async sweepTemp(olderThanMs = 24 * 3600_000): Promise<number> {
    const names = await readdir(this.#tmp).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const path = join(this.#tmp, name);
      const info = await stat(path).catch(() => null);
      if (info && this.#now() - info.mtimeMs > olderThanMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }
}
