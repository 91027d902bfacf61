/**
 * How long each one-shot statement keeps a shared connection busy, by SQL text: from the moment
 * it reaches the head of its connection's pipeline (or is sent, on an idle one) to its answer, a
 * moving average over its recent runs. The pipelines pack statements known to be quick onto one
 * connection and keep the others apart (see `Pipelines.take`).
 */
export class StatementCosts {
  /** What an unknown statement is taken to cost: it is not packed behind others, nor others behind it. */
  readonly #unknownMs: number;
  readonly #averageMs = new Map<string, number>();

  /** `unknownMs`: the cost assumed for a statement not seen yet. */
  constructor(unknownMs: number) {
    this.#unknownMs = unknownMs;
  }

  /** The statement's expected time on its connection, in milliseconds. */
  expected(sql: string): number {
    return this.#averageMs.get(sql) ?? this.#unknownMs;
  }

  /** The statement was answered `ms` after it reached the head of its connection. */
  observe(sql: string, ms: number): void {
    const average = this.#averageMs.get(sql);
    if (average === undefined && this.#averageMs.size >= MAX_REMEMBERED) this.#averageMs.clear();
    this.#averageMs.set(sql, average === undefined ? ms : average + (ms - average) * WEIGHT);
  }
}

// Answers that arrive together are timed one after the other (the first carries the wait for the
// batch): an average over some twenty runs evens that out, and forgets a slow run after a few.
const WEIGHT = 0.1;
// An application's statements are a few hundred texts; a flood of generated ones only clears the memory.
const MAX_REMEMBERED = 2_000;
