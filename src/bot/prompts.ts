// Questions that wait for a typed answer ("type the subject", "type the tx hash"). One at a time,
// whatever the feature: the session holds the pending one with the feature that asked it. Going
// elsewhere (a command, a button of another feature) drops it before any feature answers, so a
// later message (a search) is never read as the answer to a forgotten question.
import type { MiddlewareFn } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext } from './context.ts';
import { NOOP } from './ui/keyboard.ts';

/** Each feature declares the shape of its prompts here: `interface Prompts { tickets: TicketPrompt }`. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each feature.
export interface Prompts {}

export type PromptFeature = keyof Prompts;

export type PendingPrompt = { [F in PromptFeature]: { feature: F; prompt: Prompts[F] } }[PromptFeature];

declare module './context.ts' {
  interface SessionData {
    pending?: PendingPrompt;
  }
}

/** Asks the user a question: their next text message answers it (any earlier question is dropped). */
export function ask<F extends PromptFeature>(ctx: BotContext, feature: F, prompt: Prompts[F]): void {
  ctx.session.pending = { feature, prompt } as PendingPrompt;
}

/** The question `feature` is waiting on, if the pending one is its own. */
export function pendingPrompt<F extends PromptFeature>(ctx: BotContext, feature: F): Prompts[F] | undefined {
  const pending = ctx.from ? ctx.session.pending : undefined;
  return pending?.feature === feature ? (pending.prompt as Prompts[F]) : undefined;
}

/** Drops the pending question if it is `feature`'s. */
export function clearPrompt(ctx: BotContext, feature: PromptFeature): void {
  if (ctx.session.pending?.feature === feature) delete ctx.session.pending;
}

/** True when some feature waits for the user's next message: free text then is its answer, not a search. */
export function awaitsTypedInput(ctx: BotContext): boolean {
  return ctx.from !== undefined && ctx.session.pending !== undefined;
}

export function isCommand(message: Message | undefined): boolean {
  return message?.entities?.[0]?.type === 'bot_command' && message.entities[0].offset === 0;
}

/** Which button presses belong to each feature (callback data), so pressing them keeps its question. */
export type PromptOwners = { [F in PromptFeature]: (data: string) => boolean };

/** Installed ahead of every feature: a command, or a button another feature owns, drops the question. */
export function promptReset(owners: PromptOwners): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const pending = ctx.from ? ctx.session.pending : undefined;
    if (pending) {
      const data = ctx.callbackQuery?.data;
      const owns = owners[pending.feature];
      const leaves = data !== undefined ? !(owns(data) || data === NOOP) : isCommand(ctx.message);
      if (leaves) delete ctx.session.pending;
    }
    await next();
  };
}
