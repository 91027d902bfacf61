// Resumable uploads on the local folder, in the spirit of the tus protocol: the client appends
// chunks at the offset the upload stands at and, after a cut, asks that offset and goes on.
// Layout under the storage root:
//   uploads/<id>.json   key, content type, size (what the upload was opened for)
//   uploads/<id>.bin    the bytes received so far, in order
// Each chunk is written straight to the file as it arrives (constant memory, whatever the size)
// and hashed only once written, so the running SHA-256 always covers exactly the file's bytes.
// A process restart loses the running hash, not the bytes: it is rebuilt by reading the file.
// One request at a time per upload, the newest winning: a client that resumes after a cut has
// given up on its previous request, which the server may not have noticed yet (a dead socket
// can look alive for minutes), so that request is stopped and its bytes so far are kept.
import { createHash, type Hash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  TooLargeError,
  UploadIncompleteError,
  UploadNotFoundError,
  UploadOffsetMismatchError,
  UploadSupersededError,
} from './errors.ts';
import type { ResumableUpload, ResumableUploadOptions, UploadState } from './storage.ts';

const ID = /^[0-9a-f]{32}$/;
/** The largest chunk a client sends in one request; smaller ones are fine. */
export const LOCAL_CHUNK_BYTES = 8 * 1024 * 1024;

interface RunningHash {
  hash: Hash;
  /** Bytes the hash has seen: valid only while it equals the file's size. */
  bytes: number;
}

interface Opened {
  key: string;
  contentType: string;
  size: number;
}

/** Appends to a file at a moving position and hashes each chunk once it is on disk. */
class AppendingWriter extends Writable {
  readonly #handle: FileHandle;
  readonly #running: RunningHash;
  readonly #limit: number;
  #position: number;
  #pending: Promise<unknown> = Promise.resolve();

  constructor(handle: FileHandle, running: RunningHash, position: number, limit: number) {
    super({ highWaterMark: 64 * 1024 });
    this.#handle = handle;
    this.#running = running;
    this.#position = position;
    this.#limit = limit;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#position + chunk.length > this.#limit) {
      callback(new TooLargeError(this.#limit));
      return;
    }
    this.#pending = this.#handle.write(chunk, 0, chunk.length, this.#position).then(({ bytesWritten }) => {
      this.#running.hash.update(chunk.subarray(0, bytesWritten));
      this.#running.bytes += bytesWritten;
      this.#position += bytesWritten;
      callback(bytesWritten === chunk.length ? null : new Error('short write'));
    }, callback);
  }

  /** Resolves once no write is in flight: the file and the hash agree. */
  async idle(): Promise<void> {
    await this.#pending.catch(() => {});
  }
}

interface ActiveRequest {
  stop: () => void;
  done: Promise<void>;
}

export class ResumableFolder {
  readonly #dir: string;
  readonly #running = new Map<string, RunningHash>();
  readonly #active = new Map<string, ActiveRequest>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  #paths(uploadId: string): { meta: string; data: string } {
    if (!ID.test(uploadId)) throw new UploadNotFoundError(uploadId);
    return { meta: join(this.#dir, `${uploadId}.json`), data: join(this.#dir, `${uploadId}.bin`) };
  }

  async start(key: string, options: ResumableUploadOptions): Promise<ResumableUpload> {
    await mkdir(this.#dir, { recursive: true });
    const uploadId = randomBytes(16).toString('hex');
    const { meta, data } = this.#paths(uploadId);
    const opened: Opened = { key, contentType: options.contentType, size: options.size };
    await writeFile(data, '', { flag: 'wx' });
    await writeFile(meta, JSON.stringify(opened), { flag: 'wx' });
    return {
      key,
      uploadId,
      contentType: options.contentType,
      size: options.size,
      partSize: LOCAL_CHUNK_BYTES,
    };
  }

  /** The upload as opened, checked against what the caller holds: ids are never mixed up. */
  async #opened(upload: ResumableUpload): Promise<{ meta: string; data: string; received: number }> {
    const paths = this.#paths(upload.uploadId);
    let opened: Opened;
    let received: number;
    try {
      opened = JSON.parse(await readFile(paths.meta, 'utf8')) as Opened;
      received = (await stat(paths.data)).size;
    } catch (error) {
      throw new UploadNotFoundError(upload.uploadId, { cause: error });
    }
    if (opened.key !== upload.key || opened.size !== upload.size)
      throw new UploadNotFoundError(upload.uploadId);
    return { ...paths, received };
  }

  /** Where the upload stands, once any request still writing to it has been stopped. */
  async state(upload: ResumableUpload): Promise<UploadState> {
    return this.#exclusive(upload.uploadId, null, async () => ({
      receivedBytes: (await this.#opened(upload)).received,
      parts: [],
    }));
  }

  /** Runs `work` alone on this upload, after stopping (and awaiting) any older request on it. */
  async #exclusive<T>(uploadId: string, body: Readable | null, work: () => Promise<T>): Promise<T> {
    for (let older = this.#active.get(uploadId); older; older = this.#active.get(uploadId)) {
      older.stop();
      await older.done;
    }
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#active.set(uploadId, { stop: () => body?.destroy(new UploadSupersededError()), done });
    try {
      return await work();
    } finally {
      this.#active.delete(uploadId);
      release();
    }
  }

  /** The running hash of the file as it is, rebuilt by one streaming read when out of step. */
  async #hashOf(uploadId: string, data: string, received: number): Promise<RunningHash> {
    const known = this.#running.get(uploadId);
    if (known && known.bytes === received) return known;
    const running: RunningHash = { hash: createHash('sha256'), bytes: 0 };
    if (received > 0) {
      for await (const chunk of createReadStream(data, { end: received - 1, highWaterMark: 64 * 1024 })) {
        running.hash.update(chunk as Buffer);
        running.bytes += (chunk as Buffer).length;
      }
    }
    this.#running.set(uploadId, running);
    return running;
  }

  /**
   * Appends `body` at `offset`, which must be where the upload stands. Bytes that arrived before
   * a cut stay: the client asks the offset and sends the rest. Returns the new offset.
   */
  async append(upload: ResumableUpload, offset: number, body: Readable): Promise<UploadState> {
    return this.#exclusive(upload.uploadId, body, async () => {
      const { data, received } = await this.#opened(upload);
      if (offset !== received) {
        body.resume();
        throw new UploadOffsetMismatchError(offset, received);
      }
      const running = await this.#hashOf(upload.uploadId, data, received);
      const handle = await open(data, 'r+');
      const writer = new AppendingWriter(handle, running, received, upload.size);
      try {
        await pipeline(body, writer);
      } finally {
        await writer.idle();
        await handle.close();
      }
      return { receivedBytes: running.bytes, parts: [] };
    });
  }

  /** The finished file, synced to disk, its size and hash; the caller moves it into place. */
  async finish(upload: ResumableUpload): Promise<{ data: string; size: number; sha256: string }> {
    return this.#exclusive(upload.uploadId, null, async () => {
      const { data, received } = await this.#opened(upload);
      if (received !== upload.size) throw new UploadIncompleteError(received, upload.size);
      const running = await this.#hashOf(upload.uploadId, data, received);
      const handle = await open(data, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { data, size: received, sha256: running.hash.copy().digest('hex') };
    });
  }

  /** Forgets an upload (after it was published, or to abort it); a missing one is fine. */
  async remove(uploadId: string): Promise<void> {
    const { meta, data } = this.#paths(uploadId);
    this.#running.delete(uploadId);
    await rm(data, { force: true });
    await rm(meta, { force: true });
  }

  /** Removes uploads whose file was last written before `olderThan`, except those in `keep`. */
  async sweep(olderThan: Date, keep: ReadonlySet<string>): Promise<number> {
    const names = await readdir(this.#dir).catch(() => [] as string[]);
    const ids = new Set(names.map((name) => name.replace(/\.(json|bin)$/, '')).filter((id) => ID.test(id)));
    let removed = 0;
    for (const uploadId of ids) {
      if (keep.has(uploadId) || this.#active.has(uploadId)) continue;
      const { data, meta } = this.#paths(uploadId);
      const info = (await stat(data).catch(() => null)) ?? (await stat(meta).catch(() => null));
      if (info && info.mtimeMs < olderThan.getTime()) {
        await this.remove(uploadId);
        removed++;
      }
    }
    return removed;
  }
}
