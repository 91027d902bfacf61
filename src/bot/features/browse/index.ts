// Browsing the catalog: its commands and buttons, deep links to a product or a shop, and the
// search that free text typed anywhere starts. The screens themselves are in screens.ts.
import { Composer } from 'grammy';
import { BUY_COMMANDS } from '../../commands.ts';
import type { BotContext, DeepLinkHandlers, FeatureDeps } from '../../context.ts';
import { awaitsTypedInput } from '../../prompts.ts';
import { acknowledge, answerAlert } from '../../refusals.ts';
import { actionPattern } from '../../ui/callback-data.ts';
import { keyboard } from '../../ui/keyboard.ts';
import { truncate } from '../../ui/text.ts';
import { BUYER_ACTIONS, indexArg } from '../buyer-shared.ts';
import { homeButton, MENU_ACTIONS } from '../menu.ts';
import { decodeOrigin } from './origin.ts';
import { catalogButton, createScreens } from './screens.ts';

export { buyButton, catalogButton } from './screens.ts';

export function browseFeature(deps: FeatureDeps): {
  composer: Composer<BotContext>;
  deepLinks: DeepLinkHandlers;
} {
  const composer = new Composer<BotContext>();
  const screens = createScreens(deps);

  composer.command(BUY_COMMANDS, (ctx) => screens.showCategories(ctx));
  composer.callbackQuery(MENU_ACTIONS.buy, async (ctx) => {
    await acknowledge(ctx);
    await screens.showCategories(ctx);
  });

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.category, 2), async (ctx) => {
    const categoryId = indexArg(ctx.match[1]);
    const index = indexArg(ctx.match[2]);
    if (categoryId === null || index === null) return answerAlert(ctx, ctx.t('button-expired'));
    await screens.showCategory(ctx, categoryId, index);
  });

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.shop, 2), async (ctx) => {
    const sellerId = Number(ctx.match[1]);
    const index = indexArg(ctx.match[2]);
    if (!Number.isSafeInteger(sellerId) || index === null) return answerAlert(ctx, ctx.t('button-expired'));
    await screens.showShop(ctx, sellerId, index);
  });

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.detail, 2), (ctx) =>
    screens.showDetail(ctx, ctx.match[1] as string, decodeOrigin(ctx.match[2] as string), true),
  );
  composer.callbackQuery(actionPattern(BUYER_ACTIONS.detailBack, 2), (ctx) =>
    screens.showDetail(ctx, ctx.match[1] as string, decodeOrigin(ctx.match[2] as string), false),
  );

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.reviews, 3), async (ctx) => {
    const page = indexArg(ctx.match[3]);
    if (page === null) return answerAlert(ctx, ctx.t('button-expired'));
    await screens.showReviews(ctx, ctx.match[1] as string, ctx.match[2] as string, page);
  });

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.preview, 1), (ctx) =>
    screens.showPreview(ctx, ctx.match[1] as string),
  );

  // /shop @username (or the seller's number); /shop alone opens the user's own shop, if any.
  composer.command('shop', async (ctx) => {
    const arg = ctx.match.trim();
    if (arg === '') {
      const own = ctx.from ? await deps.services.catalog.shop(ctx.from.id) : null;
      if (own) return screens.showShop(ctx, own.sellerId, 0);
      return replyHome(ctx, ctx.t('browse-shop-usage'));
    }
    const shop = /^\d{1,16}$/.test(arg)
      ? await deps.services.catalog.shop(Number(arg))
      : await deps.services.catalog.shopByUsername(arg);
    if (!shop) return replyHome(ctx, ctx.t('browse-shop-unknown', { name: truncate(arg, 40) }));
    await screens.showShop(ctx, shop.sellerId, 0);
  });

  // Search typed anywhere: text that is not a command and that no feature is waiting for.
  composer.on('message:text', async (ctx, next) => {
    const text = ctx.message.text;
    if (ctx.chat.type !== 'private' || text.startsWith('/') || awaitsTypedInput(ctx)) return next();
    await screens.search(ctx, text);
  });

  async function replyHome(ctx: BotContext, text: string): Promise<void> {
    await ctx.reply(text, {
      parse_mode: 'HTML',
      reply_markup: keyboard([catalogButton(ctx), homeButton(ctx)]),
    });
  }

  const deepLinks: DeepLinkHandlers = {
    product: (ctx, productId) => screens.showDetail(ctx, productId, { kind: 'none' }, true),
    shop: (ctx, sellerId) => screens.showShop(ctx, Number(sellerId), 0),
  };

  return { composer, deepLinks };
}
