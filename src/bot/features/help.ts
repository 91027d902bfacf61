// /help: what the bot does, the commands, and the way to the FAQ.
import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { button, keyboard } from '../ui/keyboard.ts';
import { showScreen } from '../ui/screen.ts';
import { homeButton, MENU_ACTIONS } from './menu.ts';

export function helpFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('help', (ctx) =>
    showScreen(ctx, {
      text: ctx.t('help'),
      keyboard: keyboard([button(ctx.t('button-faq'), MENU_ACTIONS.support)], [homeButton(ctx)]),
    }),
  );
  return composer;
}
