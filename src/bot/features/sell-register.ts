// Becoming a seller: an email, then a Solana payout address, each checked as it is typed so a
// mistake is explained at once and can be retyped (or the whole thing cancelled).
import { Composer } from 'grammy';
import { check, validateEmail, validateSolanaAddress } from '../../domain/index.ts';
import { registerSeller } from '../../services/accounts.ts';
import type { BotContext } from '../context.ts';
import { button, keyboard } from '../ui/keyboard.ts';
import { showScreen } from '../ui/screen.ts';
import { homeButton } from './menu.ts';
import { dashboardScreen, withNotice } from './sell-dashboard.ts';
import { attempt, refusalText } from './sell-errors.ts';
import { SELL, SELL_BUTTONS, type SellDeps, type SellPrompt, sellSession } from './sell-state.ts';

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
  const state = sellSession(ctx);
  if (prompt.on === 'register-email') {
    const email = check(() => validateEmail(text));
    if (!email.ok) return retry(ctx, refusalText(ctx, email.error) ?? '');
    state.prompt = { on: 'register-address', email: email.value };
    return retry(ctx, ctx.t('sell-register-address', { email: email.value }));
  }
  const address = check(() => validateSolanaAddress(text));
  if (!address.ok) return retry(ctx, refusalText(ctx, address.error) ?? '');
  const userId = ctx.from?.id ?? 0;
  const registered = await attempt(ctx, () =>
    registerSeller(deps.db, userId, { email: prompt.email, payoutAddress: address.value }),
  );
  if (!registered.ok) {
    // Most likely the email is someone else's: start again from it.
    state.prompt = { on: 'register-email' };
    return retry(ctx, `${registered.message}\n\n${ctx.t('sell-register-again')}`);
  }
  delete state.prompt;
  await showScreen(
    ctx,
    withNotice(await dashboardScreen(ctx, deps.db, registered.value), ctx.t('sell-registered')),
  );
}

export function registrationComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(SELL.registerCancel, async (ctx) => {
    const state = sellSession(ctx);
    if (state.prompt?.on === 'register-email' || state.prompt?.on === 'register-address') delete state.prompt;
    await ctx.answerCallbackQuery();
    await showScreen(ctx, { text: ctx.t('sell-register-cancelled'), keyboard: keyboard([homeButton(ctx)]) });
  });
  return composer;
}
