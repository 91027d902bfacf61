// The main menu: the welcome screen that /start, Home and the language switch show.
import type { BotContext } from '../context.ts';
import { callbackData } from '../ui/callback-data.ts';
import { button, keyboard } from '../ui/keyboard.ts';
import type { Screen } from '../ui/screen.ts';

/** The menu's buttons; the buy, sell and library features answer their own action. */
export const MENU_ACTIONS = {
  home: callbackData('home'),
  buy: callbackData('buy'),
  sell: callbackData('sell'),
  library: callbackData('lib'),
  support: callbackData('sup'),
  languageFr: callbackData('lang', 'fr'),
  languageEn: callbackData('lang', 'en'),
} as const;

export function homeButton(ctx: BotContext) {
  return button(ctx.t('button-home'), MENU_ACTIONS.home);
}

export function welcomeScreen(ctx: BotContext): Screen {
  return {
    text: ctx.t('welcome', { name: ctx.from?.first_name ?? '' }),
    keyboard: keyboard(
      [button(ctx.t('button-buy'), MENU_ACTIONS.buy), button(ctx.t('button-sell'), MENU_ACTIONS.sell)],
      [button(ctx.t('button-library'), MENU_ACTIONS.library)],
      [
        button(ctx.t('button-support'), MENU_ACTIONS.support),
        button('🇫🇷 FR', MENU_ACTIONS.languageFr),
        button('🇬🇧 EN', MENU_ACTIONS.languageEn),
      ],
    ),
  };
}
