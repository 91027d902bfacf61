// Webhook mode behind several instances: Telegram may hand two updates of one user to two
// instances at once. Before handling one, an instance takes that user's lease in PostgreSQL
// (one statement, no connection held meanwhile) and gives it back after; the other waits its
// turn. A lease outlives a crashed instance by its time to live only. If the wait runs out,
// the update goes on anyway: the sessions' compare-and-set write still refuses a lost update.
import { randomUUID } from 'node:crypto';
import type { MiddlewareFn } from 'grammy';
import type { Logger } from '../log.ts';
import type { LeaseService } from '../services/leases.ts';
import type { BotContext } from './context.ts';
import { describeError } from './error-boundary.ts';

export interface ChatLeaseSettings {
  /** A lease left by a crashed instance frees itself after this. */
  ttlMs: number;
  /** How long an update waits for the other instance's before going on. */
  maxWaitMs: number;
  /** The first pause between tries; each next one is longer, up to 500 ms. */
  pollMs: number;
}

export const DEFAULT_CHAT_LEASE: ChatLeaseSettings = { ttlMs: 60_000, maxWaitMs: 15_000, pollMs: 25 };

export function chatLease(
  leases: LeaseService,
  keyOf: (ctx: BotContext) => string | undefined,
  log: Logger,
  settings: ChatLeaseSettings = DEFAULT_CHAT_LEASE,
): MiddlewareFn<BotContext> {
  const instance = randomUUID();
  return async (ctx, next) => {
    const key = keyOf(ctx);
    if (key === undefined) return next();
    const name = `chat:${key}`;
    const holder = `${instance}:${ctx.update.update_id}`;
    const deadline = Date.now() + settings.maxWaitMs;
    let pause = settings.pollMs;
    while ((await leases.take(name, holder, settings.ttlMs)).holder !== holder) {
      if (Date.now() >= deadline) {
        log.warn(
          { updateId: ctx.update.update_id },
          'Chat still busy on another instance: update handled anyway',
        );
        return next();
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(500, pause * 2);
    }
    try {
      await next();
    } finally {
      await leases
        .giveBack(name, holder)
        .catch((error: unknown) =>
          log.warn({ err: describeError(error) }, 'Could not give back a chat lease'),
        );
    }
  };
}
