import type pg from 'pg';

/**
 * Opens connections ahead of demand: `min` of them at start (proving the server is reachable),
 * and again in the background whenever some were closed (idle timeout, lifetime, lost), so that
 * the pool stays at `min` after a server restart.
 */
export class WarmUp {
  readonly #pool: pg.Pool;
  readonly #min: number;
  /** The pool's error for a connection that could not be opened (counted there). */
  readonly #failure: (error: unknown) => Error;
  #initialized = false;
  #stopped = false;
  #toppingUp = false;

  constructor(pool: pg.Pool, options: { min: number; failure: (error: unknown) => Error }) {
    this.#pool = pool;
    this.#min = options.min;
    this.#failure = options.failure;
  }

  /** The first warm-up succeeded. */
  get initialized(): boolean {
    return this.#initialized;
  }

  /** Opens the minimum number of connections (at least one); rejects when one cannot be opened. */
  async initialize(): Promise<void> {
    await this.#warm(Math.max(1, this.#min));
    this.#initialized = true;
  }

  /** No more top-ups (the pool is closing). */
  stop(): void {
    this.#stopped = true;
  }

  /** Keeps `min` connections open after some were closed, in the background. */
  topUp(): void {
    const pool = this.#pool;
    if (!this.#initialized || this.#stopped || this.#toppingUp || pool.totalCount >= this.#min) return;
    this.#toppingUp = true;
    setImmediate(() => {
      const missing = this.#min - pool.totalCount;
      const warming =
        missing > 0 && !this.#stopped ? this.#warm(missing + pool.idleCount) : Promise.resolve();
      warming
        .catch(() => {}) // counted as failed connections; the next call retries
        .finally(() => {
          this.#toppingUp = false;
        });
    });
  }

  /** Opens connections until `count` are idle at once (idle ones are taken first, then new ones opened). */
  async #warm(count: number): Promise<void> {
    const broken = new WeakMap<pg.PoolClient, Error>();
    const hold = (client: pg.PoolClient) => {
      // Held until all are open: a connection dying meanwhile must not crash the process.
      const onError = (error: Error) => broken.set(client, error);
      client.on('error', onError);
      return { client, onError };
    };
    const held = await Promise.allSettled(
      Array.from({ length: count }, () => this.#pool.connect().then(hold)),
    );
    for (const result of held) {
      if (result.status !== 'fulfilled') continue;
      const { client, onError } = result.value;
      client.removeListener('error', onError);
      client.release(broken.get(client));
    }
    const failed = held.find((result) => result.status === 'rejected');
    if (failed) throw this.#failure(failed.reason);
  }
}
