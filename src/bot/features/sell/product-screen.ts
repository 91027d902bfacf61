// One product as its seller manages it: its numbers, its file version (and an upload waiting
// to be published), the reason of a ban, and every change the seller may make. A banned product
// keeps its editing buttons but offers neither "Put on sale" nor a new file version: only an
// admin can put it back.
import type { FileVersion } from '../../../services/product-files.ts';
import type { Product } from '../../../services/products.ts';
import type { BotContext } from '../../context.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { formatCount, formatMoney, formatPercent, formatSize } from '../../ui/format.ts';
import { html } from '../../ui/html.ts';
import { button, keyboard, type MaybeButton } from '../../ui/keyboard.ts';
import type { Screen } from '../../ui/screen.ts';
import { truncate } from '../../ui/text.ts';
import { dashboardButton } from './dashboard.ts';
import { productsPageData, SELL, type SellDeps } from './state.ts';

const DESCRIPTION_EXCERPT = 200;
/** The media a button asks for, in callback data. */
export const MEDIA_CODES = { f: 'file', c: 'cover', p: 'preview' } as const;

export function statusLabel(ctx: BotContext, status: Product['status']): string {
  switch (status) {
    case 'draft':
      return ctx.t('sell-status-draft');
    case 'active':
      return ctx.t('sell-status-active');
    case 'inactive':
      return ctx.t('sell-status-inactive');
    case 'banned':
      return ctx.t('sell-status-banned');
    case 'deleted':
      return ctx.t('sell-status-deleted');
  }
}

/** Sales per 100 views, "—" before the first view. */
export function conversionLabel(ctx: BotContext, percent: number | null): string {
  return percent === null ? '—' : formatPercent(ctx.locale.language, percent);
}

/** An average of stars with one decimal at most, as the reader's language writes it. */
export function ratingLabel(ctx: BotContext, rating: number | null): string {
  return rating === null ? '—' : formatCount(ctx.locale.language, Math.round(10 * rating) / 10);
}

function fileLines(ctx: BotContext, latest: FileVersion | undefined, pending: FileVersion | null): string[] {
  const language = ctx.locale.language;
  const lines: string[] = [];
  if (latest) {
    lines.push(
      ctx.t('sell-product-file', {
        version: latest.version ?? 1,
        file: latest.fileName,
        size: formatSize(language, latest.sizeBytes),
      }),
    );
  }
  if (pending) {
    lines.push(
      ctx.t('sell-product-pending', {
        version: (latest?.version ?? 0) + 1,
        file: pending.fileName,
        size: formatSize(language, pending.sizeBytes),
      }),
    );
  }
  return lines;
}

/** The product screen: numbers, file, ban reason, and the buttons the product's state allows. */
export async function productScreen(ctx: BotContext, deps: SellDeps, product: Product): Promise<Screen> {
  const { published, pending } = await deps.services.files.versions(ctx.from?.id ?? 0, product.id);
  const latest = published[0];
  const banned = product.status === 'banned';
  const description = truncate(product.description, DESCRIPTION_EXCERPT);
  const lines = [
    ctx.t('sell-product', {
      title: product.title,
      id: product.id,
      status: statusLabel(ctx, product.status),
      price: formatMoney(ctx.locale.language, product.priceCents),
      views: product.viewsCount,
      sales: product.salesCount,
      conversion: conversionLabel(
        ctx,
        product.viewsCount === 0 ? null : (100 * product.salesCount) / product.viewsCount,
      ),
      rating: ratingLabel(ctx, product.rating),
      reviews: product.reviewsCount,
    }),
    ...(description ? [String(html`<i>${description}</i>`)] : []),
    ...fileLines(ctx, latest, banned ? null : pending),
    ...(banned ? [ctx.t('sell-product-banned', { reason: product.banReason ?? '—' })] : []),
    ...(product.status === 'draft' && product.mainFileId === null ? [ctx.t('sell-product-no-file')] : []),
  ];
  const id = product.id;
  const nextVersion = (latest?.version ?? 0) + 1;
  const onSale: MaybeButton =
    product.status === 'active'
      ? button(ctx.t('sell-button-deactivate'), callbackData(SELL.deactivate, id))
      : !banned && button(ctx.t('sell-button-activate'), callbackData(SELL.activate, id));
  return {
    text: lines.join('\n\n'),
    keyboard: keyboard(
      [
        button(ctx.t('sell-button-edit-title'), callbackData(SELL.edit, id, 't')),
        button(ctx.t('sell-button-edit-description'), callbackData(SELL.edit, id, 'd')),
      ],
      [
        button(ctx.t('sell-button-edit-price'), callbackData(SELL.edit, id, 'p')),
        button(ctx.t('sell-button-edit-category'), callbackData(SELL.category, id)),
      ],
      [
        button(ctx.t('sell-button-edit-cover'), callbackData(SELL.media, id, 'c')),
        button(
          product.previewFileId === null
            ? ctx.t('sell-button-add-preview')
            : ctx.t('sell-button-edit-preview'),
          callbackData(SELL.media, id, 'p'),
        ),
      ],
      [
        !banned &&
          product.mainFileId !== null &&
          button(ctx.t('sell-button-new-version'), callbackData(SELL.media, id, 'f')),
      ],
      [
        !banned &&
          pending !== null &&
          button(
            ctx.t('sell-button-publish-version', { version: nextVersion }),
            callbackData(SELL.publishVersion, id),
          ),
        !banned &&
          pending !== null &&
          button(ctx.t('sell-button-discard-version'), callbackData(SELL.discardVersion, id)),
      ],
      [onSale, button(ctx.t('sell-button-share'), callbackData(SELL.share, id))],
      [
        button(ctx.t('sell-button-product-analytics'), callbackData(SELL.productAnalytics, id, 30)),
        button(ctx.t('sell-button-delete'), callbackData(SELL.remove, id)),
      ],
      [button(ctx.t('sell-button-products'), productsPageData(0)), dashboardButton(ctx)],
    ),
  };
}
