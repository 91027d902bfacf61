// A stored file's bytes (or a range of them) from one open handle, two ways:
// - as a Readable, like fs.createReadStream: a fresh buffer per chunk, safe for any consumer;
// - through writeTo(), the download path: two buffers reused for the whole file. Fresh chunks
//   are garbage outside V8's heap that waits for the next collection, which made a 1 GB
//   download's RSS grow by 23–38 MB; two reused buffers keep it near their 128 KB.
import type { FileHandle } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { StorageError } from './errors.ts';

// Small chunks for the Readable side keep its garbage small (see above).
const READ_CHUNK = 16 * 1024;
// Larger for writeTo(): the buffers are kept, so bigger ones only mean fewer writes.
const WRITE_CHUNK = 64 * 1024;

export class FileBody extends Readable {
  readonly #handle: FileHandle;
  #position: number;
  /** The last byte to read, inclusive. */
  readonly #end: number;

  /** Takes ownership of `handle`: it is closed when the body ends, fails or is destroyed. */
  constructor(handle: FileHandle, start: number, end: number) {
    super({ highWaterMark: READ_CHUNK });
    this.#handle = handle;
    this.#position = start;
    this.#end = end;
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.#end - this.#position + 1;
  }

  override _read(): void {
    if (this.remaining <= 0) {
      this.push(null);
      return;
    }
    this.#readInto(Buffer.allocUnsafeSlow(Math.min(READ_CHUNK, this.remaining))).then(
      (chunk) => this.push(chunk),
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#handle.close().then(
      () => callback(error),
      (closeError: Error) => callback(error ?? closeError),
    );
  }

  /**
   * Writes every remaining byte to `out` (which is not ended), then closes the file. A buffer is
   * refilled only once `out` has called back for its previous bytes, so at most two chunks are
   * in flight and none is overwritten before it left. Rejects, the file closed, when reading
   * fails or `out` does; use this or the Readable side, not both.
   */
  async writeTo(out: Writable): Promise<void> {
    const buffers = [Buffer.allocUnsafeSlow(WRITE_CHUNK), Buffer.allocUnsafeSlow(WRITE_CHUNK)];
    const written: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
    // A failed write also emits 'error', maybe later: the callbacks already reject, and this
    // keeps that event from crashing the process. It stays on a destination that failed.
    const ignore = () => {};
    out.on('error', ignore);
    try {
      for (let i = 0; this.remaining > 0; i ^= 1) {
        await written[i];
        const chunk = await this.#readInto((buffers[i] as Buffer).subarray(0, this.remaining));
        // A write that failed while this chunk was read has destroyed `out`: its error says why.
        if (out.destroyed)
          throw out.errored ?? new StorageError('The destination closed before the file was sent.');
        written[i] = new Promise((resolve, reject) =>
          out.write(chunk, (error) => (error ? reject(error) : resolve())),
        );
        // Both writes can fail while only one is awaited: the other's failure is the same one.
        written[i]?.catch(ignore);
      }
      await Promise.all(written);
      out.removeListener('error', ignore);
    } finally {
      this.destroy();
    }
  }

  /** Reads the next bytes into `target` (up to its length); the filled part is returned. */
  async #readInto(target: Buffer): Promise<Buffer> {
    const { bytesRead } = await this.#handle.read(target, 0, target.length, this.#position);
    if (bytesRead === 0)
      throw new StorageError('The file ended before its size: it changed while being read.');
    this.#position += bytesRead;
    return target.subarray(0, bytesRead);
  }
}
