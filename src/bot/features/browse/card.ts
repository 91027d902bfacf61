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
  /** The text to show when Telegram refuses the photo, if not `text` (a caption is shorter than a message). */
  textAlone?: Html;
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
  readonly #catalog: Pick<CatalogService, 'image' | 'photoRefused'>;
  readonly #cache: FileIdCache;

  constructor(catalog: Pick<CatalogService, 'image' | 'photoRefused'>, cache: FileIdCache) {
    this.#catalog = catalog;
    this.#cache = cache;
  }

  /** Telegram refused the picture as a photo: it is not offered again, here or after a restart. */
  async refused(storedFileId: number | null | undefined, error: GrammyError): Promise<void> {
    if (storedFileId == null) return;
    await this.#catalog.photoRefused(storedFileId, error.description);
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
 * Telegram could not make a photo of the picture (it passed our checks at upload, yet Telegram
 * could not process it, or found its dimensions wrong), as opposed to a network failure.
 */
const PHOTO_REFUSED = /IMAGE_PROCESS_FAILED|PHOTO_[A-Z_]+|file must be non-empty/;

export function isPhotoRefusal(error: unknown): error is GrammyError {
  return error instanceof GrammyError && error.error_code === 400 && PHOTO_REFUSED.test(error.description);
}

/**
 * Shows a card in place of the pressed message: a photo is swapped with editMessageMedia, text
 * with editMessageText; when the kinds differ (a product with a cover after one without), the
 * card is sent anew and only then the old message deleted. Without a pressed message, the card
 * is sent. A photo Telegram refuses is remembered and the card shown as text.
 */
export async function showCard(ctx: BotContext, card: Card, photos: PhotoSource): Promise<void> {
  const pressed = ctx.callbackQuery?.message;
  const pressedIsPhoto = pressed !== undefined && 'photo' in pressed && pressed.photo !== undefined;
  let text = card.text;
  if (card.photo !== null) {
    try {
      await photos.send(card.storedFileId, card.photo, (photo) => sendPhotoCard(ctx, card, photo));
      return;
    } catch (error) {
      if (!isPhotoRefusal(error)) throw error;
      await photos.refused(card.storedFileId, error);
      text = card.textAlone ?? card.text;
    }
  }
  if (pressedIsPhoto) {
    await ctx.reply(text.value, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: card.keyboard,
    });
    await ctx.deleteMessage().catch(() => undefined);
    return;
  }
  await showScreen(ctx, { text, keyboard: card.keyboard });
}

/** The card as a photo: swapped into a pressed photo, else sent (and only then a pressed text deleted). */
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
  const sent = await ctx.replyWithPhoto(photo, { caption, parse_mode: 'HTML', reply_markup: card.keyboard });
  if (pressed) await ctx.deleteMessage().catch(() => undefined);
  return sent;
}
