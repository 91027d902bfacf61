import type { Lease, Origin } from './lease.ts';
import type { DbLogger } from './logger.ts';
import type { PoolCounters } from './stats.ts';

/** Frames of the calling code kept for leak reports. */
const ORIGIN_FRAMES = 6;
/** Callback sources whose stack is kept; past this many, stacks are taken on every checkout. */
const MAX_CALL_SITES = 1_000;

/**
 * Names who holds the connections. With leak detection on (`leakThresholdMs` > 0), each checkout
 * keeps the stack of the code that took it, a connection held past the threshold is logged once
 * with that stack (and again when it comes back), and a saturated pool's error lists the longest
 * holders. With it off, no stack is taken (they cost time on every checkout).
 */
export class LeakWatch {
  readonly #active: ReadonlySet<Lease>;
  readonly #thresholdMs: number;
  readonly #counters: PoolCounters;
  readonly #log: DbLogger;
  readonly #sweep: NodeJS.Timeout | undefined;
  /** The stack first taken for each callback source. */
  readonly #callSites = new Map<string, Origin>();

  constructor(
    active: ReadonlySet<Lease>,
    options: { thresholdMs: number; counters: PoolCounters; log: DbLogger },
  ) {
    this.#active = active;
    this.#thresholdMs = options.thresholdMs;
    this.#counters = options.counters;
    this.#log = options.log;
    if (this.#thresholdMs > 0) {
      const every = Math.max(50, Math.min(this.#thresholdMs / 2, 1000));
      this.#sweep = setInterval(() => this.#report(), every);
      this.#sweep.unref();
    }
  }

  /** Stops looking for leaks (the pool is closing). */
  stop(): void {
    clearInterval(this.#sweep);
  }

  /**
   * The caller's stack, from the public method `entry` it called down; to be taken before the
   * first await, so that it still names the calling code. Given the `callback` the connection is
   * taken for, the stack is taken once per callback source and kept: the code that holds a
   * connection is where that callback is written, and a stack costs far more than finding it
   * again (two identical callbacks written in two places are reported at the first one).
   */
  origin(entry: (...args: never[]) => unknown, callback?: (...args: never[]) => unknown): Origin | undefined {
    if (!this.#tracing) return undefined;
    if (!callback) return capture(entry);
    const source = callback.toString();
    const known = this.#callSites.get(source);
    if (known) return known;
    const origin = capture(entry);
    if (this.#callSites.size < MAX_CALL_SITES) this.#callSites.set(source, origin);
    return origin;
  }

  /** A one-shot statement cannot leak past itself: it is named by its SQL, not a stack (cheaper). */
  oneShotOrigin(sql: string): Origin | undefined {
    if (!this.#tracing) return undefined;
    return {
      get stack() {
        return `one-shot query: ${sql.replace(/\s+/g, ' ').slice(0, 200)}`;
      },
    };
  }

  /** A connection came back to the pool: says so if it had been reported as leaked. */
  returned(lease: Lease): void {
    if (!lease.leakReported) return;
    this.#log.info({ heldMs: Math.round(lease.heldMs()) }, 'Connection pool: a leaked connection came back');
  }

  /** Where the longest-held connections were taken, for a saturation error. */
  holderStacks(): string[] {
    const pipelined = [...this.#active].filter((lease) => lease.pipelined);
    const shared = pipelined.length
      ? [
          `${pipelined.length} connections carry one-shot statements (${pipelined.reduce((n, l) => n + l.pending, 0)} in flight)`,
        ]
      : [];
    return [...this.#active]
      .filter((lease) => !lease.pipelined)
      .sort((a, b) => a.acquiredAt - b.acquiredAt)
      .slice(0, 3)
      .flatMap((lease) =>
        lease.origin?.stack ? [`held ${Math.round(lease.heldMs())} ms, ${lease.origin.stack}`] : [],
      )
      .concat(shared);
  }

  get #tracing(): boolean {
    return this.#thresholdMs > 0;
  }

  #report(): void {
    const now = performance.now();
    for (const lease of this.#active) {
      // A pipelined connection is held as long as one-shot statements keep coming: not a leak.
      if (lease.pipelined || lease.leakReported || lease.heldMs(now) < this.#thresholdMs) continue;
      lease.leakReported = true;
      this.#counters.leaks++;
      this.#log.warn(
        { heldMs: Math.round(lease.heldMs(now)), stack: lease.origin?.stack },
        'Connection pool: a connection is held past the leak threshold',
      );
    }
  }
}

/** A short stack from `entry` down: only the caller's frames, much cheaper to capture and keep. */
function capture(entry: (...args: never[]) => unknown): Origin {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const origin = new Error('connection acquired here');
  Error.stackTraceLimit = ORIGIN_FRAMES;
  Error.captureStackTrace(origin, entry);
  Error.stackTraceLimit = limit;
  return origin;
}
