// Products in the console: lists by page and status, a search by id or words (any case or
// accent), a product's card, a ban with a preset reason (written in the seller's language) or a
// typed one, and restore (back on sale, or off sale for the seller to re-list). The seller is told
// why, in their language.
import type { ProductStatus } from '../../../domain/index.ts';
import { InvalidInputError, NotFoundError } from '../../../errors.ts';
import type { AdminProduct, Page } from '../../../services/moderation.ts';
import type { BotContext, Translate } from '../../context.ts';
import { notifyBan } from '../../notices.ts';
import { ask, clearPrompt, pendingPrompt } from '../../prompts.ts';
import { acknowledge, answerAlert } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { button, keyboard, pager } from '../../ui/keyboard.ts';
import { type Screen, showScreen } from '../../ui/screen.ts';
import { clipped } from '../../ui/text.ts';
import { type AdminArea, backButton, cancelKeyboard, clampPage, clip, day, money } from './kit.ts';
import { tellProductRestored } from './notices.ts';
import { ADMIN, BAN_PRESETS, type BanPreset, isOneOf, PRODUCT_FILTERS, type ProductFilter } from './state.ts';

const PAGE_SIZE = 8;
const MAX_SEARCH = 100;
const STATUS_ICONS: Record<ProductStatus, string> = {
  active: '✅',
  inactive: '⏸',
  draft: '📝',
  banned: '🚫',
  deleted: '🗑',
};

function filterLabel(ctx: BotContext, filter: ProductFilter): string {
  return filter === 'all' ? ctx.t('admin-products-all') : statusLabel(ctx, filter);
}

export function statusLabel(ctx: BotContext, status: ProductStatus): string {
  switch (status) {
    case 'active':
      return ctx.t('admin-product-status-active');
    case 'inactive':
      return ctx.t('admin-product-status-inactive');
    case 'draft':
      return ctx.t('admin-product-status-draft');
    case 'banned':
      return ctx.t('admin-product-status-banned');
    case 'deleted':
      return ctx.t('admin-product-status-deleted');
  }
}

function listScreen(
  ctx: BotContext,
  list: { filter: ProductFilter } | { search: string },
  page: Page<AdminProduct>,
  current: number,
): Screen {
  const lines = page.items.map((p) =>
    ctx.t('admin-products-line', {
      icon: STATUS_ICONS[p.status],
      title: clip(p.title, 60),
      id: p.id,
      price: money(ctx, p.priceCents),
      shop: p.sellerName,
      sales: p.salesCount,
    }),
  );
  const title =
    'filter' in list
      ? ctx.t('admin-products-title', { filter: filterLabel(ctx, list.filter), count: page.total })
      : ctx.t('admin-products-results', { search: list.search, count: page.total });
  const filterButton = (filter: ProductFilter) => {
    const label = filterLabel(ctx, filter);
    const chosen = 'filter' in list && list.filter === filter;
    return button(chosen ? `• ${label}` : label, callbackData(ADMIN.products, filter, 0));
  };
  const pages = Math.ceil(page.total / PAGE_SIZE);
  return {
    text: `${title}\n\n${lines.length > 0 ? lines.join('\n') : ctx.t('admin-products-none')}`,
    keyboard: keyboard(
      PRODUCT_FILTERS.slice(0, 3).map(filterButton),
      PRODUCT_FILTERS.slice(3).map(filterButton),
      [button(ctx.t('admin-button-search-products'), callbackData(ADMIN.productSearch))],
      ...page.items.map((p) => [
        button(`${STATUS_ICONS[p.status]} ${clip(p.title, 40)}`, callbackData(ADMIN.product, p.id)),
      ]),
      'filter' in list
        ? pager(ADMIN.products, current, pages, list.filter)
        : pager(ADMIN.productResults, current, pages),
      [backButton(ctx)],
    ),
  };
}

function productScreen(ctx: BotContext, p: AdminProduct): Screen {
  const banned = p.status === 'banned';
  return {
    text: ctx.t('admin-product-card', {
      title: p.title,
      id: p.id,
      shop: p.sellerName,
      sellerId: String(p.sellerId),
      price: money(ctx, p.priceCents),
      category: ctx.locale.language === 'fr' ? p.categoryNameFr : p.categoryNameEn,
      status: statusLabel(ctx, p.status),
      sales: p.salesCount,
      views: p.viewsCount,
      created: day(ctx, p.createdAt),
      reason: p.banReason ?? '',
      banned: banned ? 'yes' : 'no',
    }),
    keyboard: keyboard(
      banned
        ? [
            button(ctx.t('admin-button-restore-active'), callbackData(ADMIN.restoreProduct, p.id, 'active')),
            button(
              ctx.t('admin-button-restore-inactive'),
              callbackData(ADMIN.restoreProduct, p.id, 'inactive'),
            ),
          ]
        : [p.status !== 'deleted' && button(ctx.t('admin-button-ban'), callbackData(ADMIN.ban, p.id))],
      [
        button(ctx.t('admin-button-seller'), callbackData(ADMIN.user, p.sellerId)),
        button(ctx.t('admin-button-history'), callbackData(ADMIN.auditOf, 'product', p.id, 0)),
      ],
      [button(ctx.t('button-refresh'), callbackData(ADMIN.product, p.id))],
      [button(ctx.t('admin-button-products-back'), callbackData(ADMIN.products, 'all', 0)), backButton(ctx)],
    ),
  };
}

function banScreen(ctx: BotContext, p: AdminProduct): Screen {
  return {
    text: ctx.t('admin-ban-prompt', { title: p.title, id: p.id }),
    keyboard: keyboard(
      ...BAN_PRESETS.map((preset) => [
        button(presetLabel(ctx, preset), callbackData(ADMIN.banFor, p.id, preset)),
      ]),
      [button(ctx.t('admin-button-cancel'), callbackData(ADMIN.cancel))],
    ),
  };
}

function presetLabel(ctx: BotContext, preset: BanPreset): string {
  switch (preset) {
    case 'copyright':
      return ctx.t('admin-ban-preset-copyright');
    case 'illegal':
      return ctx.t('admin-ban-preset-illegal');
    case 'scam':
      return ctx.t('admin-ban-preset-scam');
    case 'misleading':
      return ctx.t('admin-ban-preset-misleading');
    case 'malware':
      return ctx.t('admin-ban-preset-malware');
  }
}

/** The reason the seller reads for a preset, in the language of `t`. */
function presetReason(t: Translate, preset: BanPreset): string {
  switch (preset) {
    case 'copyright':
      return t('admin-ban-reason-copyright');
    case 'illegal':
      return t('admin-ban-reason-illegal');
    case 'scam':
      return t('admin-ban-reason-scam');
    case 'misleading':
      return t('admin-ban-reason-misleading');
    case 'malware':
      return t('admin-ban-reason-malware');
  }
}

export const productsArea: AdminArea = (admin, kit) => {
  const { moderation } = kit.deps.services;

  async function showList(ctx: BotContext, filter: ProductFilter, requested: number): Promise<void> {
    const moderator = kit.moderator(ctx);
    const query = (page: number) =>
      moderation.products(moderator, {
        ...(filter === 'all' ? {} : { status: filter }),
        limit: PAGE_SIZE,
        offset: page * PAGE_SIZE,
      });
    let list = await query(requested);
    const page = clampPage(requested, list.total, PAGE_SIZE);
    if (page !== requested) list = await query(page);
    await showScreen(ctx, listScreen(ctx, { filter }, list, page));
  }

  async function showResults(ctx: BotContext, requested: number): Promise<void> {
    const search = ctx.session.admin?.productSearch;
    if (!search) return showList(ctx, 'all', 0);
    const moderator = kit.moderator(ctx);
    const query = (page: number) =>
      moderation.products(moderator, { search, limit: PAGE_SIZE, offset: page * PAGE_SIZE });
    let list = await query(requested);
    const page = clampPage(requested, list.total, PAGE_SIZE);
    if (page !== requested) list = await query(page);
    await showScreen(ctx, listScreen(ctx, { search }, list, page));
  }

  async function showProduct(ctx: BotContext, productId: string, notice?: string): Promise<void> {
    const product = await moderation.product(kit.moderator(ctx), productId);
    if (!product) return kit.refuse(ctx, new NotFoundError('product', productId));
    await acknowledge(ctx);
    const screen = productScreen(ctx, product);
    await showScreen(ctx, notice ? { ...screen, text: `${notice}\n\n${String(screen.text)}` } : screen);
  }

  /** Bans with `reason`, tells the seller, shows the card; a refusal ends the question. */
  async function ban(ctx: BotContext, productId: string, reason: string): Promise<void> {
    let banned: Awaited<ReturnType<typeof moderation.banProduct>>;
    try {
      banned = await moderation.banProduct(kit.moderator(ctx), productId, reason);
    } catch (error) {
      // A bad typed reason keeps the question for another try; a refused ban ends it.
      if (!(error instanceof InvalidInputError)) clearPrompt(ctx, 'admin');
      return kit.refuse(ctx, error);
    }
    clearPrompt(ctx, 'admin');
    const told = await notifyBan(kit.deps, banned);
    await showProduct(
      ctx,
      productId,
      ctx.t('admin-product-banned', { id: productId, told: told ? 'yes' : 'no' }),
    );
  }

  admin.callbackQuery(actionPattern(ADMIN.products, 2), async (ctx) => {
    const page = Number(ctx.match[2]);
    if (!isOneOf(PRODUCT_FILTERS, ctx.match[1]) || !Number.isInteger(page)) {
      return answerAlert(ctx, ctx.t('button-expired'));
    }
    await acknowledge(ctx);
    await showList(ctx, ctx.match[1], page);
  });

  admin.callbackQuery(actionPattern(ADMIN.productSearch), async (ctx) => {
    await acknowledge(ctx);
    ask(ctx, 'admin', { on: 'product-search' });
    await showScreen(ctx, { text: ctx.t('admin-product-search-prompt'), keyboard: cancelKeyboard(ctx) });
  });

  admin.callbackQuery(actionPattern(ADMIN.productResults, 1), async (ctx) => {
    const page = Number(ctx.match[1]);
    if (!Number.isInteger(page)) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    await showResults(ctx, page);
  });

  admin.callbackQuery(actionPattern(ADMIN.product, 1), (ctx) => showProduct(ctx, ctx.match[1] ?? ''));

  admin.callbackQuery(actionPattern(ADMIN.ban, 1), async (ctx) => {
    const productId = ctx.match[1] ?? '';
    const product = await moderation.product(kit.moderator(ctx), productId);
    if (!product) return kit.refuse(ctx, new NotFoundError('product', productId));
    await acknowledge(ctx);
    // A typed reason answers; a preset button answers too.
    ask(ctx, 'admin', { on: 'ban', productId });
    await showScreen(ctx, banScreen(ctx, product));
  });

  admin.callbackQuery(actionPattern(ADMIN.banFor, 2), async (ctx) => {
    const productId = ctx.match[1] ?? '';
    const preset = ctx.match[2];
    const prompt = pendingPrompt(ctx, 'admin');
    if (!isOneOf(BAN_PRESETS, preset) || prompt?.on !== 'ban' || prompt.productId !== productId) {
      return answerAlert(ctx, ctx.t('button-expired'));
    }
    const product = await moderation.product(kit.moderator(ctx), productId);
    if (!product) return kit.refuse(ctx, new NotFoundError('product', productId));
    // The seller reads the reason: it is written in their language.
    const t = await kit.deps.messenger.translatorFor(product.sellerId);
    await ban(ctx, productId, presetReason(t, preset));
  });

  admin.callbackQuery(actionPattern(ADMIN.restoreProduct, 2), async (ctx) => {
    const productId = ctx.match[1] ?? '';
    const to = ctx.match[2];
    if (to !== 'active' && to !== 'inactive') return answerAlert(ctx, ctx.t('button-expired'));
    let restored: Awaited<ReturnType<typeof moderation.restoreProduct>>;
    try {
      restored = await moderation.restoreProduct(kit.moderator(ctx), productId, to);
    } catch (error) {
      return kit.refuse(ctx, error);
    }
    const told = await tellProductRestored(kit.deps, restored);
    await showProduct(
      ctx,
      productId,
      ctx.t('admin-product-restored', { id: productId, status: to, told: told ? 'yes' : 'no' }),
    );
  });

  return async (ctx, prompt, text) => {
    if (prompt.on === 'product-search') {
      clearPrompt(ctx, 'admin');
      ctx.session.admin = { ...ctx.session.admin, productSearch: clipped(text.trim(), MAX_SEARCH) };
      await showResults(ctx, 0);
      return true;
    }
    if (prompt.on === 'ban') {
      await ban(ctx, prompt.productId, text);
      return true;
    }
    return false;
  };
};
