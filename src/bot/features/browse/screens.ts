// The screens of browsing: the category picker, a carousel per category and per seller's shop
// (edited in place), the detail view, reviews, preview and search results. Buttons carry ids
// only; what they name is read again through the catalog, so a product taken off sale meanwhile
// is politely refused.
import type { InlineKeyboardMarkup } from 'grammy/types';
import type {
  CategoryWithCount,
  ProductCard,
  ProductDetail,
  StorefrontHeader,
} from '../../../services/catalog.ts';
import { NotFoundError } from '../../../services/errors.ts';
import type { BotContext, FeatureDeps } from '../../context.ts';
import { acknowledge, answerAlert } from '../../refusals.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { formatAgo } from '../../ui/format.ts';
import { Html, html } from '../../ui/html.ts';
import { button, keyboard, type MaybeButton, pager } from '../../ui/keyboard.ts';
import { showScreen } from '../../ui/screen.ts';
import { fitted, TELEGRAM_LIMITS, truncate } from '../../ui/text.ts';
import { BUYER_ACTIONS, buyerId, categoryLabel } from '../buyer-shared.ts';
import { homeButton, MENU_ACTIONS } from '../menu.ts';
import {
  type Card,
  cardText,
  detailText,
  isPhotoRefusal,
  PhotoSource,
  priceLabel,
  ratingLine,
  showCard,
} from './card.ts';
import { encodeOrigin, type Origin, originData } from './origin.ts';

export function buyButton(ctx: BotContext, product: { id: string; priceCents: number }) {
  const label =
    product.priceCents === 0
      ? ctx.t('browse-button-get-free')
      : ctx.t('browse-button-buy', { price: priceLabel(ctx, product.priceCents) });
  return button(label, callbackData(BUYER_ACTIONS.buy, product.id));
}

export function catalogButton(ctx: BotContext) {
  return button(ctx.t('browse-button-categories'), MENU_ACTIONS.buy);
}

const SEARCH_RESULTS = 10;
const HIT_TITLE_CHARS = 40;
const REVIEW_NAME_CHARS = 20;
const REVIEW_TEXT_CHARS = 150;

export function createScreens(deps: FeatureDeps) {
  const { catalog, reviews } = deps.services;
  const photos = new PhotoSource(catalog, deps.services.telegramFiles);
  const now = () => deps.settings.now?.() ?? new Date();

  function cardFacts(ctx: BotContext, product: ProductCard, categories: CategoryWithCount[]) {
    const category = categories.find((c) => c.id === product.categoryId);
    return { ...product, categoryLabel: category ? categoryLabel(ctx, category) : null };
  }

  async function showCategories(ctx: BotContext): Promise<void> {
    const categories = await catalog.categories();
    const rows: MaybeButton[][] = categories.map((c) => [
      button(`${categoryLabel(ctx, c)} (${c.activeProducts})`, callbackData(BUYER_ACTIONS.category, c.id, 0)),
    ]);
    await showCard(
      ctx,
      {
        text: Html.raw(ctx.t('browse-categories')),
        keyboard: keyboard(...rows, [homeButton(ctx)]),
        photo: null,
      },
      photos,
    );
  }

  /** ◀️ previous and next ▶️ among the categories that have something to show. */
  function categorySwitch(
    ctx: BotContext,
    categories: CategoryWithCount[],
    currentId: number,
  ): MaybeButton[] {
    const shown = categories.filter((c) => c.activeProducts > 0 || c.id === currentId);
    const at = shown.findIndex((c) => c.id === currentId);
    if (shown.length <= 1 || at < 0) return [];
    const previous = shown[(at - 1 + shown.length) % shown.length] as CategoryWithCount;
    const next = shown[(at + 1) % shown.length] as CategoryWithCount;
    return [
      button(`◀️ ${categoryLabel(ctx, previous)}`, callbackData(BUYER_ACTIONS.category, previous.id, 0)),
      ...(next.id === previous.id
        ? []
        : [button(`${categoryLabel(ctx, next)} ▶️`, callbackData(BUYER_ACTIONS.category, next.id, 0))]),
    ];
  }

  async function productCard(
    ctx: BotContext,
    product: ProductCard,
    categories: CategoryWithCount[],
    origin: Origin,
    navigation: MaybeButton[][],
  ): Promise<Card> {
    return {
      text: cardText(ctx, cardFacts(ctx, product, categories), now()),
      keyboard: keyboard(
        [buyButton(ctx, product)],
        [
          button(
            ctx.t('browse-button-details'),
            callbackData(BUYER_ACTIONS.detail, product.id, encodeOrigin(origin)),
          ),
        ],
        ...navigation,
      ),
      photo: await photos.photo(product.coverFileId),
      storedFileId: product.coverFileId,
    };
  }

  async function showCategory(ctx: BotContext, categoryId: number, requested: number): Promise<void> {
    const categories = await catalog.categories();
    const category = categories.find((c) => c.id === categoryId);
    if (!category) return void (await answerAlert(ctx, ctx.t('button-expired')));
    await acknowledge(ctx);
    let page = await catalog.categoryPage(categoryId, { limit: 1, offset: requested });
    // The list shrank since the button was drawn: show its last product.
    if (page.items.length === 0 && page.total > 0) {
      page = await catalog.categoryPage(categoryId, { limit: 1, offset: page.total - 1 });
    }
    const product = page.items[0];
    const footer = [[catalogButton(ctx), homeButton(ctx)]];
    if (!product) {
      await showCard(
        ctx,
        {
          text: Html.raw(ctx.t('browse-empty-category', { category: categoryLabel(ctx, category) })),
          keyboard: keyboard(categorySwitch(ctx, categories, categoryId), ...footer),
          photo: null,
        },
        photos,
      );
      return;
    }
    const index = page.offset;
    const origin: Origin = { kind: 'category', categoryId, index };
    const card = await productCard(ctx, product, categories, origin, [
      pager(BUYER_ACTIONS.category, index, page.total, categoryId),
      categorySwitch(ctx, categories, categoryId),
      ...footer,
    ]);
    await showCard(ctx, card, photos);
  }

  /**
   * The shop's header above `body`, with as much of the bio as fits: a photo's caption holds
   * 1024 characters as Telegram counts them, and a bio of emoji counts double.
   */
  function withShopHeader(
    ctx: BotContext,
    shop: StorefrontHeader,
    withBio: boolean,
    body: Html,
    photo: boolean,
  ) {
    const header = ctx.t('browse-shop-header', {
      name: shop.name,
      products: shop.activeProducts,
      sales: shop.salesCount,
      rating: Html.raw(ratingLine(ctx, shop.rating, shop.reviewsCount)),
    });
    const render = (bio: string) =>
      bio === '' ? `${header}\n\n${body.value}` : html`${Html.raw(header)}\n<i>${bio}</i>\n\n${body}`.value;
    const limit = photo ? TELEGRAM_LIMITS.caption : TELEGRAM_LIMITS.message;
    return Html.raw(fitted(withBio ? shop.bio.trim() : '', limit, render));
  }

  async function showShop(ctx: BotContext, sellerId: number, requested: number): Promise<void> {
    const shop = await catalog.shop(sellerId);
    const footer = [[catalogButton(ctx), homeButton(ctx)]];
    if (!shop) {
      if (ctx.callbackQuery) return void (await answerAlert(ctx, ctx.t('browse-shop-not-found')));
      await ctx.reply(ctx.t('browse-shop-not-found'), {
        parse_mode: 'HTML',
        reply_markup: keyboard(...footer),
      });
      return;
    }
    await acknowledge(ctx);
    let page = await catalog.shopPage(sellerId, { limit: 1, offset: requested });
    if (page.items.length === 0 && page.total > 0) {
      page = await catalog.shopPage(sellerId, { limit: 1, offset: page.total - 1 });
    }
    const product = page.items[0];
    if (!product) {
      const text = withShopHeader(ctx, shop, true, Html.raw(ctx.t('browse-shop-empty')), false);
      await showCard(ctx, { text, keyboard: keyboard(...footer), photo: null }, photos);
      return;
    }
    const index = page.offset;
    const categories = await catalog.categories();
    const card = await productCard(ctx, product, categories, { kind: 'shop', sellerId, index }, [
      pager(BUYER_ACTIONS.shop, index, page.total, sellerId),
      ...footer,
    ]);
    card.text = withShopHeader(ctx, shop, index === 0, card.text, card.photo !== null);
    await showCard(ctx, card, photos);
  }

  async function showDetail(
    ctx: BotContext,
    productId: string,
    origin: Origin,
    countView: boolean,
  ): Promise<void> {
    let product: ProductDetail;
    try {
      product = countView
        ? await catalog.viewProduct(buyerId(ctx), productId)
        : await catalog.product(buyerId(ctx), productId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      if (ctx.callbackQuery) return void (await answerAlert(ctx, ctx.t('browse-not-available')));
      await ctx.reply(ctx.t('browse-product-not-found'), {
        parse_mode: 'HTML',
        reply_markup: keyboard([catalogButton(ctx), homeButton(ctx)]),
      });
      return;
    }
    await acknowledge(ctx);
    const photo = await photos.photo(product.coverFileId);
    const facts = {
      ...product,
      categoryLabel: categoryLabel(ctx, {
        emoji: product.categoryEmoji,
        nameFr: product.categoryNameFr,
        nameEn: product.categoryNameEn,
      }),
    };
    const encoded = encodeOrigin(origin);
    const text = detailText(ctx, cardText(ctx, facts, now()), product, photo !== null);
    const markup: InlineKeyboardMarkup = keyboard(
      [buyButton(ctx, product)],
      [
        product.reviewsCount > 0 &&
          button(
            ctx.t('browse-button-reviews', { count: product.reviewsCount }),
            callbackData(BUYER_ACTIONS.reviews, product.id, encoded, 0),
          ),
        product.previewFileId !== null &&
          button(ctx.t('browse-button-preview'), callbackData(BUYER_ACTIONS.preview, product.id)),
      ],
      [button(ctx.t('browse-button-shop'), callbackData(BUYER_ACTIONS.shop, product.sellerId, 0))],
      [button(ctx.t('browse-button-back'), originData(origin)), homeButton(ctx)],
    );
    const textAlone = photo === null ? text : detailText(ctx, cardText(ctx, facts, now()), product, false);
    const card = { text, textAlone, keyboard: markup, photo, storedFileId: product.coverFileId };
    await showCard(ctx, card, photos);
  }

  async function showReviews(
    ctx: BotContext,
    productId: string,
    encoded: string,
    requested: number,
  ): Promise<void> {
    let product: ProductDetail;
    try {
      product = await catalog.product(buyerId(ctx), productId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return answerAlert(ctx, ctx.t('browse-not-available'));
    }
    await acknowledge(ctx);
    let page = await reviews.page(productId, requested);
    if (page.items.length === 0 && page.pageCount > 0)
      page = await reviews.page(productId, page.pageCount - 1);
    const lines = page.items.map((review) =>
      ctx.t('browse-review-line', {
        name: truncate(review.authorName || '—', REVIEW_NAME_CHARS),
        stars: '★'.repeat(review.rating) + '☆'.repeat(5 - review.rating),
        age: formatAgo(ctx.locale.language, review.createdAt, now()),
        text: review.body ? `\n${truncate(review.body, REVIEW_TEXT_CHARS)}` : '',
      }),
    );
    const title = ctx.t('browse-reviews-title', {
      title: product.title,
      rating: Html.raw(ratingLine(ctx, product.rating, product.reviewsCount)),
    });
    const body = lines.length > 0 ? lines.join('\n\n') : ctx.t('browse-reviews-none');
    await showCard(
      ctx,
      {
        text: Html.raw(`${title}\n\n${body}`),
        keyboard: keyboard(
          pager(BUYER_ACTIONS.reviews, page.page, page.pageCount, productId, encoded),
          [buyButton(ctx, product)],
          [
            button(ctx.t('browse-button-back'), callbackData(BUYER_ACTIONS.detailBack, productId, encoded)),
            homeButton(ctx),
          ],
        ),
        photo: null,
      },
      photos,
    );
  }

  async function showPreview(ctx: BotContext, productId: string): Promise<void> {
    let product: ProductDetail;
    try {
      product = await catalog.product(buyerId(ctx), productId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return answerAlert(ctx, ctx.t('browse-not-available'));
    }
    const photo = await photos.photo(product.previewFileId);
    if (!photo) return answerAlert(ctx, ctx.t('browse-preview-unavailable'));
    await acknowledge(ctx);
    try {
      await photos.send(product.previewFileId, photo, (media) =>
        ctx.replyWithPhoto(media, {
          caption: ctx.t('browse-preview-caption', { title: product.title }),
          parse_mode: 'HTML',
        }),
      );
    } catch (error) {
      if (!isPhotoRefusal(error)) throw error;
      await photos.refused(product.previewFileId, error);
      await ctx.reply(ctx.t('browse-preview-unavailable'), { parse_mode: 'HTML' });
    }
  }

  async function search(ctx: BotContext, text: string): Promise<void> {
    const hits = await catalog.search(text, SEARCH_RESULTS);
    const query = truncate(text.trim(), 60);
    const footer = [catalogButton(ctx), homeButton(ctx)];
    if (hits.length === 0) {
      await showScreen(ctx, { text: ctx.t('browse-search-none', { query }), keyboard: keyboard(footer) });
      return;
    }
    const rows = hits.map((hit) => [
      button(
        `${truncate(hit.title, HIT_TITLE_CHARS)} – ${priceLabel(ctx, hit.priceCents)}`,
        callbackData(BUYER_ACTIONS.detail, hit.id, encodeOrigin({ kind: 'none' })),
      ),
    ]);
    await showScreen(ctx, {
      text: ctx.t('browse-search-results', { count: hits.length, query }),
      keyboard: keyboard(...rows, footer),
    });
  }

  return { showCategories, showCategory, showShop, showDetail, showReviews, showPreview, search };
}

export type BrowseScreens = ReturnType<typeof createScreens>;
