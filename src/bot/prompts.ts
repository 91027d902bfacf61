// Typed-input questions ("type the subject", "type the tx hash") live in each feature's session
// member. Going elsewhere drops them, before any feature answers, so a later message (a search)
// is never read as the answer to a forgotten question.
import type { MiddlewareFn } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext } from './context.ts';
import { NOOP } from './ui/keyboard.ts';

export function isCommand(message: Message | undefined): boolean {
  return message?.entities?.[0]?.type === 'bot_command' && message.entities[0].offset === 0;
}

/**
 * Drops a feature's pending question when the user sends a command or presses a button that is
 * not the feature's own (callback data starting with `prefix`).
 */
export function promptReset(
  prefix: string,
  pending: (ctx: BotContext) => boolean,
  drop: (ctx: BotContext) => void,
): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.from && pending(ctx)) {
      const data = ctx.callbackQuery?.data;
      const leaves =
        data !== undefined ? !(data.startsWith(prefix) || data === NOOP) : isCommand(ctx.message);
      if (leaves) drop(ctx);
    }
    await next();
  };
}
