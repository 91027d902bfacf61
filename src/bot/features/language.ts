// The FR / EN switch: saved in the session (PostgreSQL), so it holds across restarts and
// instances, and handed to the accounts service for messages sent outside a conversation.
import { Composer } from 'grammy';
import type { AccountService } from '../../services/accounts.ts';
import type { BotContext } from '../context.ts';
import { isLanguage } from '../context.ts';
import { actionPattern } from '../ui/callback-data.ts';
import { showScreen } from '../ui/screen.ts';
import { welcomeScreen } from './menu.ts';

export function languageFeature(
  accounts: Pick<AccountService, 'registerUser' | 'setLanguage'>,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.callbackQuery(actionPattern('lang', 1), async (ctx) => {
    const chosen = ctx.match[1];
    if (!isLanguage(chosen)) return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    ctx.locale.setLanguage(chosen);
    await accounts.registerUser(ctx.from);
    await accounts.setLanguage(ctx.from.id, chosen);
    await ctx.answerCallbackQuery({ text: ctx.t('language-saved') });
    await showScreen(ctx, welcomeScreen(ctx));
  });

  return composer;
}
