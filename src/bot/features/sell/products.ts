// "My products": a paged list with each product's performance, and per product: edit title,
// description or price, activate or deactivate, delete (after a confirmation), share link. The
// other edits (category, cover, preview, file versions) are in listing.ts. Every button names a
// product id; the server checks the presser owns it before anything.
import { Composer } from 'grammy';
import { parseListedPrice } from '../../../domain/index.ts';
import type { Product } from '../../../services/products.ts';
import type { BotContext } from '../../context.ts';
import { productStartPayload, startLink } from '../../deep-links.ts';
import { ask, clearPrompt } from '../../prompts.ts';
import { answerAlert, attempt } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { formatMoney } from '../../ui/format.ts';
import { html } from '../../ui/html.ts';
import { button, keyboard, pager } from '../../ui/keyboard.ts';
import { type Screen, showScreen } from '../../ui/screen.ts';
import { dashboardButton, withNotice } from './dashboard.ts';
import { conversionLabel, productScreen, ratingLabel, statusLabel } from './product-screen.ts';
import { type ProductField, SELL, SELL_BUTTONS, type SellDeps, type SellPrompt } from './state.ts';

export const PRODUCTS_PER_PAGE = 5;
const FIELD_CODES: Record<string, ProductField> = { t: 'title', d: 'description', p: 'price' };

/** The product if the presser owns it and it is not deleted; otherwise they are told no. */
export async function ownedProduct(
  ctx: BotContext,
  deps: SellDeps,
  productId: string,
): Promise<Product | null> {
  const product = ctx.from ? await deps.services.products.own(ctx.from.id, productId) : null;
  if (!product) await answerAlert(ctx, ctx.t('error-product-not-found'));
  return product;
}

async function productsScreen(ctx: BotContext, deps: SellDeps, requestedPage: number): Promise<Screen> {
  const sellerId = ctx.from?.id ?? 0;
  const first = await deps.services.products.list(sellerId, {
    limit: PRODUCTS_PER_PAGE,
    offset: requestedPage * PRODUCTS_PER_PAGE,
  });
  const pages = Math.max(1, Math.ceil(first.total / PRODUCTS_PER_PAGE));
  const page = Math.min(requestedPage, pages - 1);
  const { items, total } =
    page === requestedPage
      ? first
      : await deps.services.products.list(sellerId, {
          limit: PRODUCTS_PER_PAGE,
          offset: page * PRODUCTS_PER_PAGE,
        });
  const addButton = button(ctx.t('sell-button-add'), SELL_BUTTONS.wizardNew);
  if (total === 0) {
    return { text: ctx.t('sell-products-empty'), keyboard: keyboard([addButton], [dashboardButton(ctx)]) };
  }
  const lines = items.map((p, i) =>
    ctx.t('sell-products-line', {
      n: page * PRODUCTS_PER_PAGE + i + 1,
      title: p.title,
      status: statusLabel(ctx, p.status),
      price: formatMoney(ctx.locale.language, p.priceCents),
      views: p.viewsCount,
      sales: p.salesCount,
      conversion: conversionLabel(ctx, p.conversionPercent),
      rating: ratingLabel(ctx, p.rating),
    }),
  );
  return {
    text: [ctx.t('sell-products-title', { total }), ...lines].join('\n\n'),
    keyboard: keyboard(
      ...items.map((p, i) => [
        button(`${page * PRODUCTS_PER_PAGE + i + 1}. ${p.title}`, callbackData(SELL.product, p.id)),
      ]),
      pager(SELL.products, page, pages),
      [addButton, dashboardButton(ctx)],
    ),
  };
}

function editQuestion(ctx: BotContext, field: ProductField): string {
  switch (field) {
    case 'title':
      return ctx.t('sell-edit-title');
    case 'description':
      return ctx.t('sell-edit-description');
    case 'price':
      return ctx.t('sell-edit-price');
  }
}

/** The new title, description or price the seller typed. */
export async function productInput(
  ctx: BotContext,
  deps: SellDeps,
  prompt: Extract<SellPrompt, { on: 'product' }>,
  text: string,
): Promise<void> {
  const actorId = ctx.from?.id ?? 0;
  const edited = await attempt(ctx, () => {
    const patch =
      prompt.field === 'price' ? { priceCents: parseListedPrice(text) } : { [prompt.field]: text };
    return deps.services.products.edit(actorId, prompt.productId, patch);
  });
  const cancel = keyboard([button(ctx.t('sell-button-cancel'), SELL_BUTTONS.cancelPrompt)]);
  if (!edited.ok) {
    // A refusal about the product itself (gone, banned...) ends the prompt; bad input is retyped.
    if (!(await deps.services.products.own(actorId, prompt.productId))) {
      clearPrompt(ctx, 'sell');
      return showScreen(ctx, { text: edited.message, keyboard: keyboard([dashboardButton(ctx)]) });
    }
    return showScreen(ctx, {
      text: `${edited.message}\n\n${editQuestion(ctx, prompt.field)}`,
      keyboard: cancel,
    });
  }
  clearPrompt(ctx, 'sell');
  await showScreen(ctx, withNotice(await productScreen(ctx, deps, edited.value), ctx.t('sell-edit-saved')));
}

export function productsComposer(deps: SellDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  // Only sellers have products to manage; anyone else's press is a stale button. The cheap
  // check comes first so other updates never cost a query.
  const sellers = composer
    .filter((ctx) => ctx.callbackQuery?.data?.startsWith('sp.') === true)
    .filter(
      async (ctx) =>
        ctx.from !== undefined && (await deps.services.accounts.sellerProfile(ctx.from.id)) !== null,
    );

  sellers.callbackQuery(actionPattern(SELL.products, 1), async (ctx) => {
    const page = Number(ctx.match[1]);
    if (!Number.isSafeInteger(page) || page < 0)
      return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    await ctx.answerCallbackQuery();
    await showScreen(ctx, await productsScreen(ctx, deps, page));
  });

  sellers.callbackQuery(actionPattern(SELL.product, 1), async (ctx) => {
    const product = await ownedProduct(ctx, deps, ctx.match[1] ?? '');
    if (!product) return;
    await ctx.answerCallbackQuery();
    await showScreen(ctx, await productScreen(ctx, deps, product));
  });

  sellers.callbackQuery(actionPattern(SELL.edit, 2), async (ctx) => {
    const field = FIELD_CODES[ctx.match[2] ?? ''];
    if (!field) return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    const product = await ownedProduct(ctx, deps, ctx.match[1] ?? '');
    if (!product) return;
    await ctx.answerCallbackQuery();
    ask(ctx, 'sell', { on: 'product', productId: product.id, field });
    await showScreen(ctx, {
      text: [html`<b>${product.title}</b>`, editQuestion(ctx, field)].join('\n\n'),
      keyboard: keyboard([button(ctx.t('sell-button-cancel'), SELL_BUTTONS.cancelPrompt)]),
    });
  });

  for (const [action, change, notice] of [
    [SELL.activate, 'activate', 'activated'],
    [SELL.deactivate, 'deactivate', 'deactivated'],
  ] as const) {
    sellers.callbackQuery(actionPattern(action, 1), async (ctx) => {
      const changed = await attempt(ctx, () =>
        deps.services.products[change](ctx.from.id, ctx.match[1] ?? ''),
      );
      if (!changed.ok) return answerAlert(ctx, changed.message);
      await ctx.answerCallbackQuery();
      const text = notice === 'activated' ? ctx.t('sell-activated') : ctx.t('sell-deactivated');
      await showScreen(ctx, withNotice(await productScreen(ctx, deps, changed.value), text));
    });
  }

  sellers.callbackQuery(actionPattern(SELL.remove, 1), async (ctx) => {
    const product = await ownedProduct(ctx, deps, ctx.match[1] ?? '');
    if (!product) return;
    await ctx.answerCallbackQuery();
    await showScreen(ctx, {
      text: ctx.t('sell-delete-confirm', { title: product.title, id: product.id }),
      keyboard: keyboard([
        button(ctx.t('sell-button-delete-yes'), callbackData(SELL.removeConfirmed, product.id)),
        button(ctx.t('sell-button-delete-no'), callbackData(SELL.product, product.id)),
      ]),
    });
  });

  sellers.callbackQuery(actionPattern(SELL.removeConfirmed, 1), async (ctx) => {
    const deleted = await attempt(ctx, () => deps.services.products.delete(ctx.from.id, ctx.match[1] ?? ''));
    if (!deleted.ok) return answerAlert(ctx, deleted.message);
    await ctx.answerCallbackQuery();
    const notice = deleted.value.mode === 'hard' ? ctx.t('sell-deleted') : ctx.t('sell-deleted-kept');
    await showScreen(ctx, withNotice(await productsScreen(ctx, deps, 0), notice));
  });

  sellers.callbackQuery(actionPattern(SELL.share, 1), async (ctx) => {
    const product = await ownedProduct(ctx, deps, ctx.match[1] ?? '');
    if (!product) return;
    await ctx.answerCallbackQuery();
    const link = startLink(ctx.me.username, productStartPayload(product.id));
    const lines = [
      ctx.t('sell-share', { title: product.title, link }),
      ...(product.status === 'active' ? [] : [ctx.t('sell-share-not-active')]),
    ];
    await showScreen(ctx, {
      text: lines.join('\n\n'),
      keyboard: keyboard([button(ctx.t('sell-button-back'), callbackData(SELL.product, product.id))]),
    });
  });

  return composer;
}
