// /start: the welcome menu, or the deep link it carries (a product or a storefront).
import { Composer } from 'grammy';
import type { BotContext, DeepLinkHandlers } from '../context.ts';
import { parseStartPayload } from '../deep-links.ts';
import { showScreen } from '../ui/screen.ts';
import { MENU_ACTIONS, welcomeScreen } from './menu.ts';

export function startFeature(deepLinks: DeepLinkHandlers): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('start', async (ctx) => {
    const link = parseStartPayload(ctx.match);
    if (link?.kind === 'product' && deepLinks.product) return deepLinks.product(ctx, link.productId);
    if (link?.kind === 'shop' && deepLinks.shop) return deepLinks.shop(ctx, String(link.sellerId));
    if (link) {
      const notice = link.kind === 'invalid' ? ctx.t('link-invalid') : ctx.t('link-unavailable');
      await ctx.reply(notice, { parse_mode: 'HTML' });
    }
    await showScreen(ctx, welcomeScreen(ctx));
  });

  composer.callbackQuery(MENU_ACTIONS.home, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showScreen(ctx, welcomeScreen(ctx));
  });

  return composer;
}
