import type { Lease } from './lease.ts';

/** What the pipelines need from the pool that owns the connections. */
export interface PipelineHost {
  /** Checks a connection out for pipelined use (counted like any other checkout). */
  checkOut(): Promise<Lease>;
  /** Hands a drained connection back through the return path. */
  giveBack(lease: Lease): void;
  /** A connection can be checked out now without waiting. */
  hasFreeConnection(): boolean;
  /** A scope waits for a connection: shared connections then stop taking work, so they drain to it. */
  scopeWaiting(): boolean;
  /** Whether this connection is to be retired (past its lifetime): it takes no more work. */
  retiring(lease: Lease): boolean;
  /** Callers waiting, scopes and one-shots together, for the queue limit. */
  waiting(): number;
  /** The refusal of a caller that found the wait queue full (counted). */
  queueFull(): Error;
  /** Refuses or times out a caller that waited too long (saturation error, counted). */
  saturated(waitedMs: number): Error;
  /** Why a checkout for the queue failed, or `undefined` when it merely timed out (it is asked again). */
  failed(error: unknown): Error | undefined;
}

/** A connection carrying one-shot statements of several callers, possibly still connecting. */
export interface SharedConnection {
  readonly ready: Promise<Lease>;
  lease: Lease | undefined;
  /** Statements given this connection and not yet settled (waiting for it to connect included). */
  assigned: number;
  /** Their expected time on the connection, in milliseconds, summed. */
  expectedMs: number;
  /** A hand-back is scheduled for the end of the tick (it happens if the connection is still idle then). */
  releasing?: boolean;
}

interface Waiter {
  readonly since: number;
  readonly costMs: number;
  readonly timer: NodeJS.Timeout;
  resolve(shared: SharedConnection): void;
  reject(error: unknown): void;
}

/**
 * Places one-shot statements on connections they share. A quick statement joins the busiest
 * connection that keeps up: one whose statements in flight are expected to take, with it, at most
 * `packMs`, and whose oldest was asked less than `packMs` ago. Statements asked together then leave
 * in one write and come back in one read, and one server process answers them back to back; that
 * costs both sides less than one statement per connection. Any other statement takes a free
 * connection (spreading the load), else the least busy shared one below `depth` statements in
 * flight, else waits in a FIFO queue at most `acquireTimeoutMs`. A scope waiting for a connection
 * always gets one: shared connections stop taking new statements until it has, and the queued
 * statements follow in the pool's order.
 */
export class Pipelines {
  readonly #host: PipelineHost;
  readonly #depth: number;
  readonly #packMs: number;
  readonly #acquireTimeoutMs: number;
  readonly #maxWaiters: number;
  readonly #shared = new Set<SharedConnection>();
  readonly #queue: Waiter[] = [];
  #requesting = false;

  constructor(
    host: PipelineHost,
    options: { depth: number; packMs: number; acquireTimeoutMs: number; maxWaiters: number },
  ) {
    this.#host = host;
    this.#depth = options.depth;
    this.#packMs = options.packMs;
    this.#acquireTimeoutMs = options.acquireTimeoutMs;
    this.#maxWaiters = options.maxWaiters;
  }

  /** Callers queued for a place on a connection. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Shared connections carrying nothing right now (kept until the end of the tick). */
  idleLeases(): Lease[] {
    const idle: Lease[] = [];
    for (const shared of this.#shared) if (shared.assigned === 0 && shared.lease) idle.push(shared.lease);
    return idle;
  }

  /** Hands back now the shared connections carrying nothing, so that a scope can have one. */
  releaseIdle(): void {
    for (const shared of this.#shared) {
      if (shared.assigned === 0 && shared.lease && this.#shared.delete(shared))
        this.#host.giveBack(shared.lease);
    }
  }

  /**
   * A connection for one more statement, expected to take `costMs` there; `settled` must follow
   * once it is answered. A quick one joins the busiest connection keeping up; else a shared
   * connection just drained is reused (no checkout), then a free connection (spreading the load),
   * then the least busy shared one.
   */
  take(costMs: number): SharedConnection | Promise<SharedConnection> {
    const host = this.#host;
    if (!host.scopeWaiting()) {
      const packed = this.#keepingUp(costMs);
      if (packed) return this.#place(packed, costMs);
      const least = this.#leastBusy();
      const free = host.hasFreeConnection();
      if (least && (least.assigned === 0 || !free)) return this.#place(least, costMs);
      if (free) return this.#open(costMs);
    }
    if (host.waiting() >= this.#maxWaiters) throw host.queueFull();
    return new Promise<SharedConnection>((resolve, reject) => {
      const since = performance.now();
      const waiter: Waiter = {
        since,
        costMs,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#queue.splice(this.#queue.indexOf(waiter), 1);
          reject(host.saturated(performance.now() - since));
        }, this.#acquireTimeoutMs),
      };
      this.#queue.push(waiter);
      this.#request();
    });
  }

  /** A statement on `shared`, taken for `costMs`, was answered (or failed): hand its place on, or the connection back. */
  settled(shared: SharedConnection, costMs: number): void {
    shared.assigned--;
    // Back to exactly nothing once empty: the sum of fractions could leave a remainder.
    shared.expectedMs = shared.assigned === 0 ? 0 : shared.expectedMs - costMs;
    if (shared.lease && this.#accepts(shared) && !this.#host.scopeWaiting()) this.#serveQueue(shared);
    if (shared.assigned === 0) this.#releaseSoon(shared);
  }

  #place(shared: SharedConnection, costMs: number): SharedConnection {
    shared.assigned++;
    shared.expectedMs += costMs;
    return shared;
  }

  /**
   * Hands a drained connection back once the callbacks of this tick have run: the callers whose
   * statements it just answered usually send their next one right away, and find it still there.
   */
  #releaseSoon(shared: SharedConnection): void {
    if (shared.releasing) return;
    shared.releasing = true;
    process.nextTick(() => {
      shared.releasing = false;
      if (shared.assigned === 0 && this.#shared.delete(shared) && shared.lease)
        this.#host.giveBack(shared.lease);
    });
  }

  /** Refuses every queued caller (the pool is closing). */
  rejectQueued(error: Error): void {
    for (const waiter of this.#queue.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  #open(costMs: number): SharedConnection {
    const since = performance.now();
    const ready = this.#host.checkOut().catch((error: unknown) => {
      throw this.#host.failed(error) ?? this.#host.saturated(performance.now() - since);
    });
    const shared: SharedConnection = { ready, lease: undefined, assigned: 1, expectedMs: costMs };
    // Registered before any caller awaits `ready`, so the lease is set when they resume.
    ready.then(
      (lease) => {
        shared.lease = lease;
      },
      () => this.#shared.delete(shared),
    );
    this.#shared.add(shared);
    return shared;
  }

  #accepts(shared: SharedConnection): boolean {
    const lease = shared.lease;
    if (shared.assigned >= this.#depth) return false;
    return lease === undefined || (lease.lostError === undefined && !this.#host.retiring(lease));
  }

  /** The busiest connection that can take a statement expected to take `costMs` and still keep up. */
  #keepingUp(costMs: number): SharedConnection | undefined {
    let busiest: SharedConnection | undefined;
    const now = performance.now();
    for (const shared of this.#shared) {
      if (shared.assigned === 0 || shared.expectedMs + costMs > this.#packMs) continue;
      if (!this.#accepts(shared) || (busiest && shared.assigned <= busiest.assigned)) continue;
      // A statement expected to be quick but still unanswered (waiting on a lock, say) stops the
      // packing. A connection still opening takes its share: opening another would be no sooner.
      const oldest = shared.lease?.oldestAskedAt;
      if (oldest !== undefined && now - oldest >= this.#packMs) continue;
      busiest = shared;
    }
    return busiest;
  }

  #leastBusy(): SharedConnection | undefined {
    let least: SharedConnection | undefined;
    for (const shared of this.#shared) {
      if (this.#accepts(shared) && (!least || shared.assigned < least.assigned)) least = shared;
    }
    return least;
  }

  #serveQueue(shared: SharedConnection): void {
    while (this.#queue.length > 0 && this.#accepts(shared)) {
      const waiter = this.#queue.shift() as Waiter;
      clearTimeout(waiter.timer);
      waiter.resolve(this.#place(shared, waiter.costMs));
    }
  }

  /** One checkout at a time on behalf of the queue, waiting its turn with scopes in the pool's queue. */
  #request(): void {
    if (this.#requesting || this.#queue.length === 0) return;
    this.#requesting = true;
    this.#host.checkOut().then(
      (lease) => {
        this.#requesting = false;
        const shared: SharedConnection = { ready: Promise.resolve(lease), lease, assigned: 0, expectedMs: 0 };
        this.#shared.add(shared);
        this.#serveQueue(shared);
        if (shared.assigned === 0) {
          this.#shared.delete(shared);
          this.#host.giveBack(lease);
        }
        this.#request();
      },
      (error: unknown) => {
        this.#requesting = false;
        const failure = this.#host.failed(error);
        if (failure) this.rejectQueued(failure);
        else this.#request();
      },
    );
  }
}
