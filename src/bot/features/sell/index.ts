// The seller side of the bot: /sell (/vendre, /stats, the menu's Sell button) opens the
// registration or the dashboard; from there the add-product wizard, my products (and changing a
// listing), analytics with their exports, and settings.
// A message the seller types goes to the question they were last asked, if any; otherwise it
// passes on (to search, or the fallback). Of an album only the first item answers.
import { Composer } from 'grammy';
import { SELL_COMMANDS } from '../../commands.ts';
import type { BotContext } from '../../context.ts';
import { clearPrompt, isCommand, pendingPrompt } from '../../prompts.ts';
import { answerAlert } from '../../refusals.ts';
import { showScreen } from '../../ui/screen.ts';
import { MENU_ACTIONS } from '../menu.ts';
import { analyticsComposer } from './analytics.ts';
import { isClaimedAlbum } from './chat-media.ts';
import { shopLinkScreen, showSellerHome } from './dashboard.ts';
import { exportsComposer } from './exports.ts';
import { listingComposer, mediaInput } from './listing.ts';
import { payoutHistoryComposer } from './payouts.ts';
import { productInput, productsComposer } from './products.ts';
import { registrationComposer, registrationInput } from './register.ts';
import { settingInput, settingsComposer } from './settings.ts';
import { SELL, type SellDeps } from './state.ts';
import { endUploadedWizard, wizardComposer, wizardInput } from './wizard.ts';

export { ownsSellAction, type SellDeps } from './state.ts';

export function sellFeature(deps: SellDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.use(endUploadedWizard(deps));

  composer.command([...SELL_COMMANDS, 'stats'], (ctx) => showSellerHome(ctx, deps));

  for (const action of [MENU_ACTIONS.sell, SELL.dashboard]) {
    composer.callbackQuery(action, async (ctx) => {
      await ctx.answerCallbackQuery();
      await showSellerHome(ctx, deps);
    });
  }

  composer.callbackQuery(SELL.cancelPrompt, async (ctx) => {
    clearPrompt(ctx, 'sell');
    await ctx.answerCallbackQuery();
    await showSellerHome(ctx, deps, ctx.t('sell-prompt-cancelled'));
  });

  composer.callbackQuery(SELL.shopLink, async (ctx) => {
    const seller = await deps.services.accounts.sellerProfile(ctx.from.id);
    if (!seller) return answerAlert(ctx, ctx.t('error-not-seller'));
    await ctx.answerCallbackQuery();
    const username = ctx.from.username;
    await showScreen(ctx, shopLinkScreen(ctx, seller, username));
  });

  composer.use(
    registrationComposer(),
    wizardComposer(deps),
    productsComposer(deps),
    listingComposer(deps),
    analyticsComposer(deps),
    exportsComposer(deps),
    settingsComposer(deps),
    payoutHistoryComposer(deps),
  );

  composer.on('message', async (ctx, next) => {
    // The rest of an album whose first item answered a question: not an answer to the next one.
    if (ctx.chat.type === 'private' && isClaimedAlbum(ctx, ctx.message)) return;
    const prompt = pendingPrompt(ctx, 'sell');
    if (!prompt || ctx.chat.type !== 'private' || isCommand(ctx.message)) return next();
    if (prompt.on === 'wizard') return wizardInput(ctx, deps, ctx.message);
    if (prompt.on === 'media') return mediaInput(ctx, deps, prompt, ctx.message);
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
      case 'address-confirm':
        return settingInput(ctx, deps, prompt, text);
    }
  });

  return composer;
}
