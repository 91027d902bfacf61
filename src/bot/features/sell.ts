// The seller side of the bot: /sell (/vendre, /stats, the menu's Sell button) opens the
// registration or the dashboard; from there the add-product wizard, my products and settings.
// A message the seller types goes to the question they were last asked, if any; otherwise it
// passes on (to search, or the fallback).
import { Composer, type MiddlewareFn } from 'grammy';
import { getSellerProfile } from '../../repositories/sellers.ts';
import { SELL_COMMANDS } from '../commands.ts';
import type { BotContext } from '../context.ts';
import { isCommand } from '../prompts.ts';
import { NOOP } from '../ui/keyboard.ts';
import { showScreen } from '../ui/screen.ts';
import { MENU_ACTIONS } from './menu.ts';
import { shopLinkScreen, showSellerHome } from './sell-dashboard.ts';
import { refuse } from './sell-errors.ts';
import { productInput, productsComposer } from './sell-products.ts';
import { registrationComposer, registrationInput } from './sell-register.ts';
import { settingInput, settingsComposer } from './sell-settings.ts';
import { isSellAction, SELL, type SellDeps, sellSession } from './sell-state.ts';
import { wizardComposer, wizardInput } from './sell-wizard.ts';

export type { SellDeps } from './sell-state.ts';

/**
 * Going elsewhere (a command, another feature's button) drops the pending question, so a later
 * search is not read as a product title. The wizard's answers stay: the dashboard offers to resume.
 */
function leavesSell(ctx: BotContext): boolean {
  const data = ctx.callbackQuery?.data;
  if (data !== undefined) return !(isSellAction(data) || data === MENU_ACTIONS.sell || data === NOOP);
  return isCommand(ctx.message);
}

/**
 * Installed ahead of every feature (other features answer /start, /help… without passing the
 * update on, so sellFeature itself would never see the user leave).
 */
export function sellPromptReset(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const state = ctx.from ? ctx.session.sell : undefined;
    if (state && (state.prompt || state.pendingAddress) && leavesSell(ctx)) {
      delete state.prompt;
      delete state.pendingAddress;
    }
    await next();
  };
}

export function sellFeature(deps: SellDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command([...SELL_COMMANDS, 'stats'], (ctx) => showSellerHome(ctx, deps));

  for (const action of [MENU_ACTIONS.sell, SELL.dashboard]) {
    composer.callbackQuery(action, async (ctx) => {
      await ctx.answerCallbackQuery();
      await showSellerHome(ctx, deps);
    });
  }

  composer.callbackQuery(SELL.cancelPrompt, async (ctx) => {
    const state = sellSession(ctx);
    delete state.prompt;
    await ctx.answerCallbackQuery();
    await showSellerHome(ctx, deps, ctx.t('sell-prompt-cancelled'));
  });

  composer.callbackQuery(SELL.shopLink, async (ctx) => {
    const seller = await getSellerProfile(deps.db, ctx.from.id);
    if (!seller) return refuse(ctx, ctx.t('sell-error-not-seller'));
    await ctx.answerCallbackQuery();
    await showScreen(ctx, shopLinkScreen(ctx, seller));
  });

  composer.use(registrationComposer(), wizardComposer(deps), productsComposer(deps), settingsComposer(deps));

  composer.on('message', async (ctx, next) => {
    const prompt = ctx.session.sell?.prompt;
    if (!prompt || ctx.chat.type !== 'private' || isCommand(ctx.message)) return next();
    if (prompt.on === 'wizard') return wizardInput(ctx, deps, ctx.message);
    const text = ctx.message.text;
    if (text === undefined) {
      return showScreen(ctx, { text: ctx.t('sell-error-text-expected') });
    }
    switch (prompt.on) {
      case 'register-email':
      case 'register-address':
        return registrationInput(ctx, deps, prompt, text);
      case 'product':
        return productInput(ctx, deps, prompt, text);
      case 'setting':
        return settingInput(ctx, deps, prompt, text);
    }
  });

  return composer;
}
