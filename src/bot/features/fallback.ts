// Last in the chain: whatever no feature handled. A button from an old message, from a
// feature that changed, or forged, gets a polite "no longer available" and nothing else.
import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { keyboard, NOOP } from '../ui/keyboard.ts';
import { homeButton } from './menu.ts';

export function fallbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  // Labels such as "3/16" in a pager: just stop the spinner.
  composer.callbackQuery(NOOP, (ctx) => ctx.answerCallbackQuery());

  composer.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('button-expired') }));

  composer.on('message', async (ctx) => {
    if (ctx.chat.type !== 'private') return;
    await ctx.reply(ctx.t('not-understood'), {
      parse_mode: 'HTML',
      reply_markup: keyboard([homeButton(ctx)]),
    });
  });

  return composer;
}
