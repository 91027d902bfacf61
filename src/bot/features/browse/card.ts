// A product as the buyer sees it: the card of the carousel (badges, rating, sales, size), the
// detail view, and the one way to show either: a photo with a caption when the product has a
// cover, a text message otherwise, edited in place whenever the pressed message allows it.
import { GrammyError, type InputFile } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import { type Badge, productBadges } from '../../../domain/index.ts';
import type { CatalogService, ProductCard } from '../../../services/catalog.ts';
import type { BotContext } from '../../context.ts';
import { formatDecimal, formatMoney, formatSize } from '../../ui/format.ts';
import { Html, html } from '../../ui/html.ts';
import { showScreen } from '../../ui/screen.ts';
import { type FileIdCache, sendCached, uploadOf } from '../../ui/stored-media.ts';
import { fitted, TELEGRAM_LIMITS } from '../../ui/text.ts';

export interface Card {
  text: Html;
  keyboard: InlineKeyboardMarkup;
  /** The cover (a Telegram file id already sent once, or the stored bytes); null for a text card. */
  photo: InputFile | string | null;
  /** The stored file the photo comes from, to remember Telegram's file id after the first send. */
  storedFileId?: number | null;
}

export type CardFacts = Pick<
  ProductCard,
  | 'title'
  | 'sellerName'
  | 'priceCents'
  | 'salesCount'
  | 'viewsCount'
  | 'reviewsCount'
  | 'rating'
  | 'createdAt'
> & { fileSizeBytes: number | null; categoryLabel: string | null };

function badgeLabel(ctx: BotContext, badge: Badge): string {
  const labels: Record<Badge, string> = {
    best_seller: ctx.t('browse-badge-best-seller'),
    new: ctx.t('browse-badge-new'),
    top_rated: ctx.t('browse-badge-top-rated'),
    popular: ctx.t('browse-badge-popular'),
  };
  return labels[badge];
}

export function ratingLine(ctx: BotContext, rating: number | null, count: number): string {
  if (rating === null || count === 0) return ctx.t('browse-no-rating');
  return ctx.t('browse-rating', { rating: formatDecimal(ctx.locale.language, rating), count });
}

export function priceLabel(ctx: BotContext, priceCents: number): string {
  return priceCents === 0 ? ctx.t('browse-free') : formatMoney(ctx.locale.language, priceCents);
}

/** The card's caption: badges, title, seller, rating and sales, category and size, price. */
export function cardText(ctx: BotContext, facts: CardFacts, now: Date): Html {
  const badges = productBadges(facts, now).map((b) => badgeLabel(ctx, b));
  const details = [
    facts.categoryLabel,
    facts.fileSizeBytes === null ? null : `📦 ${formatSize(ctx.locale.language, facts.fileSizeBytes)}`,
  ]
    .filter((part): part is string => part !== null)
    .join(' • ');
  return Html.raw(
    ctx.t('browse-card', {
      badges: badges.length > 0 ? `${badges.join(' · ')}\n` : '',
      title: facts.title,
      seller: facts.sellerName,
      rating: Html.raw(ratingLine(ctx, facts.rating, facts.reviewsCount)),
      sales: facts.salesCount,
      details: details === '' ? '' : `\n${details}`,
      price: priceLabel(ctx, facts.priceCents),
    }),
  );
}

/** The detail view: the card, the description (cut to fit a caption when there is a photo), id and views. */
export function detailText(
  ctx: BotContext,
  card: Html,
  product: { id: string; description: string; viewsCount: number },
  withPhoto: boolean,
): Html {
  const render = (description: string) =>
    Html.raw(
      ctx.t('browse-detail', {
        card,
        description: description === '' ? '' : html`\n${description}\n`,
        id: product.id,
        views: product.viewsCount,
      }),
    );
  if (!withPhoto) return render(product.description);
  return Html.raw(fitted(product.description, TELEGRAM_LIMITS.caption, (part) => render(part).value));
}

/**
 * Photos of covers and previews: the first send uploads the stored bytes, later ones reuse the
 * file id Telegram gave back, from the cache every instance shares (../../ui/stored-media.ts).
 */
export class PhotoSource {
  readonly #catalog: Pick<CatalogService, 'image'>;
  readonly #cache: FileIdCache;

  constructor(catalog: Pick<CatalogService, 'image'>, cache: FileIdCache) {
    this.#catalog = catalog;
    this.#cache = cache;
  }

  /** The photo of a stored image, or null (no file, object gone). */
  async photo(storedFileId: number | null): Promise<InputFile | string | null> {
    if (storedFileId === null) return null;
    return (await this.#cache.fileIdOf(storedFileId)) ?? this.#upload(storedFileId);
  }

  /**
   * Shows `photo` with `send` (its answer: the message, or true when nothing was sent); an
   * upload's file id is kept for the next sends, and a cached id Telegram no longer accepts is
   * forgotten and the image uploaded instead.
   */
  async send(
    storedFileId: number | null | undefined,
    photo: InputFile | string,
    send: (photo: InputFile | string) => Promise<Message | true>,
  ): Promise<void> {
    if (storedFileId == null) await send(photo);
    else await sendCached(this.#cache, storedFileId, photo, () => this.#upload(storedFileId), send);
  }

  async #upload(storedFileId: number): Promise<InputFile | null> {
    const image = await this.#catalog.image(storedFileId);
    return image ? uploadOf({ storedFileId, ...image }) : null;
  }
}

const NOT_MODIFIED = /message is not modified/i;

/**
 * Shows a card in place of the pressed message: a photo is swapped with editMessageMedia, text
 * with editMessageText; when the kinds differ (a product with a cover after one without), the
 * old message is deleted and the card sent anew. Without a pressed message, the card is sent.
 */
export async function showCard(ctx: BotContext, card: Card, photos: PhotoSource): Promise<void> {
  const pressed = ctx.callbackQuery?.message;
  const pressedIsPhoto = pressed !== undefined && 'photo' in pressed && pressed.photo !== undefined;
  const caption = card.text.value;
  if (card.photo !== null) {
    await photos.send(card.storedFileId, card.photo, (photo) => sendPhotoCard(ctx, card, photo));
    return;
  }
  if (pressedIsPhoto) {
    await ctx.deleteMessage().catch(() => undefined);
    await ctx.reply(caption, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: card.keyboard,
    });
    return;
  }
  await showScreen(ctx, { text: card.text, keyboard: card.keyboard });
}

/** The card as a photo: swapped into a pressed photo, else sent (after deleting a pressed text). */
async function sendPhotoCard(
  ctx: BotContext,
  card: Card,
  photo: InputFile | string,
): Promise<Message | true> {
  const pressed = ctx.callbackQuery?.message;
  const caption = card.text.value;
  if (pressed !== undefined && 'photo' in pressed && pressed.photo !== undefined) {
    try {
      return await ctx.editMessageMedia(
        { type: 'photo', media: photo, caption, parse_mode: 'HTML' },
        { reply_markup: card.keyboard },
      );
    } catch (error) {
      if (error instanceof GrammyError && NOT_MODIFIED.test(error.description)) return true;
      throw error;
    }
  }
  if (pressed) await ctx.deleteMessage().catch(() => undefined);
  return ctx.replyWithPhoto(photo, { caption, parse_mode: 'HTML', reply_markup: card.keyboard });
}
