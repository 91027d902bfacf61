// Becoming a seller: an email, then a Solana payout address, each checked as it is typed so a
// mistake is explained at once and can be retyped (or the whole thing cancelled).
import { Composer } from 'grammy';
import { check, validateEmail, validateSolanaAddress } from '../../../domain/index.ts';
import type { BotContext } from '../../context.ts';
import { ask, clearPrompt } from '../../prompts.ts';
import { attempt, refusalText } from '../../refusals.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import { showScreen } from '../../ui/screen.ts';
import { homeButton } from '../menu.ts';
import { dashboardScreen, withNotice } from './dashboard.ts';
import { SELL, SELL_BUTTONS, type SellDeps, type SellPrompt } from './state.ts';

function cancelKeyboard(ctx: BotContext) {
  return keyboard([button(ctx.t('sell-button-cancel'), SELL_BUTTONS.registerCancel)]);
}

async function retry(ctx: BotContext, message: string): Promise<void> {
  await showScreen(ctx, { text: message, keyboard: cancelKeyboard(ctx) });
}

/** The email or address the seller just typed. */
export async function registrationInput(
  ctx: BotContext,
  deps: SellDeps,
  prompt: Extract<SellPrompt, { on: 'register-email' | 'register-address' }>,
  text: string,
): Promise<void> {
  if (prompt.on === 'register-email') {
    const email = check(() => validateEmail(text));
    if (!email.ok) return retry(ctx, refusalText(ctx, email.error) ?? '');
    ask(ctx, 'sell', { on: 'register-address', email: email.value });
    return retry(ctx, ctx.t('sell-register-address', { email: email.value }));
  }
  const address = check(() => validateSolanaAddress(text));
  if (!address.ok) return retry(ctx, refusalText(ctx, address.error) ?? '');
  const userId = ctx.from?.id ?? 0;
  const registered = await attempt(ctx, () =>
    deps.services.accounts.registerSeller(userId, { email: prompt.email, payoutAddress: address.value }),
  );
  if (!registered.ok) {
    // Most likely the email is someone else's: start again from it.
    ask(ctx, 'sell', { on: 'register-email' });
    return retry(ctx, `${registered.message}\n\n${ctx.t('sell-register-again')}`);
  }
  clearPrompt(ctx, 'sell');
  const home = await deps.services.analytics.home(userId);
  if (!home) return;
  await showScreen(ctx, withNotice(dashboardScreen(ctx, home), ctx.t('sell-registered')));
}

export function registrationComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(SELL.registerCancel, async (ctx) => {
    clearPrompt(ctx, 'sell');
    await ctx.answerCallbackQuery();
    await showScreen(ctx, { text: ctx.t('sell-register-cancelled'), keyboard: keyboard([homeButton(ctx)]) });
  });
  return composer;
}
