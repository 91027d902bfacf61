// The updates being handled right now, whatever delivered them (long polling or the webhook),
// so a shutdown can wait for them before the pool closes. grammY's runner.stop() and an
// answered webhook request both return while handlers still run; an update whose offset was
// confirmed, or whose webhook was answered, is never sent again by Telegram.
import type { MiddlewareFn } from 'grammy';
import type { Logger } from '../log.ts';

export class InFlightUpdates {
  #count = 0;
  #idle: (() => void)[] = [];

  /** First middleware of the bot: counts the update until every later middleware is done. */
  middleware(): MiddlewareFn {
    return async (_ctx, next) => {
      this.#count++;
      try {
        await next();
      } finally {
        this.#count--;
        if (this.#count === 0) for (const resolve of this.#idle.splice(0)) resolve();
      }
    };
  }

  get count(): number {
    return this.#count;
  }

  /** Resolves when no update is being handled, or after `timeoutMs` (logging how many were left). */
  async drain(timeoutMs: number, log: Logger): Promise<void> {
    if (this.#count === 0) return;
    log.info({ updates: this.#count }, 'Waiting for the updates being handled');
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.#idle.push(() => resolve(true)));
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = await Promise.race([idle, late]);
    clearTimeout(timer);
    if (!finished) {
      log.error(
        { updates: this.#count, timeoutMs },
        'Shutdown deadline passed with updates still being handled',
      );
    }
  }
}
