// A pass-through stream that counts and hashes what flows through it, and stops the flow as
// soon as a byte limit is passed (so an oversized upload is cut off, not written then checked).
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { TooLargeError } from './errors.ts';

export class Meter extends Transform {
  readonly #hash: Hash = createHash('sha256');
  readonly #limit: number;
  #size = 0;
  #digest: string | undefined;

  constructor(limit = Number.POSITIVE_INFINITY) {
    super();
    this.#limit = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#size > this.#limit) {
      callback(new TooLargeError(this.#limit));
      return;
    }
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  get size(): number {
    return this.#size;
  }

  /** Hex SHA-256 of everything that passed; call once the stream has finished. */
  get sha256(): string {
    this.#digest ??= this.#hash.digest('hex');
    return this.#digest;
  }
}
