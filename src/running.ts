// The composition root's record of what it started, so that close() (or a start that failed
// half-way) stops each part in reverse order.
import type { Logger } from './log.ts';

/** What is running, closed in reverse order of start; a failing close is logged and the rest still close. */
export class Running {
  readonly #log: Logger;
  readonly #closers: { name: string; close: () => Promise<unknown> }[] = [];
  #closing: Promise<void> | undefined;

  constructor(log: Logger) {
    this.#log = log;
  }

  add(name: string, close: () => Promise<unknown>): void {
    this.#closers.push({ name, close });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const { name, close } of this.#closers.toReversed()) {
        try {
          await close();
        } catch (error) {
          this.#log.error({ err: error, part: name }, 'Could not stop cleanly');
        }
      }
    })();
    return this.#closing;
  }
}
