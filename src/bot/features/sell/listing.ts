// Changing what was listed: the category, the cover, the preview image, and the file. Images
// are checked as the wizard checks them (a photo, or a JPEG, PNG or WebP sent as a file, of at most
// 5 MB and dimensions Telegram shows), the file as the wizard's (a document, audio file or video of
// at most 20 MB through the chat; bigger files go through the upload page). Once a
// product has sold, a new file waits as the next version until the seller publishes it; its
// earlier buyers are then told, and each keeps the version they bought. A ban stays a ban.
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { Product } from '../../../services/products.ts';
import type { BotContext } from '../../context.ts';
import { notifyNewVersion } from '../../notices.ts';
import { ask, clearPrompt } from '../../prompts.ts';
import { answerAlert, attempt } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { formatSize } from '../../ui/format.ts';
import { html } from '../../ui/html.ts';
import { button, keyboard, webAppButton } from '../../ui/keyboard.ts';
import { uploadPageUrl } from '../../ui/mini-app.ts';
import { type Screen, showScreen } from '../../ui/screen.ts';
import { categoryLabel } from '../buyer-shared.ts';
import { chatImageOf, claimAlbum, productFileOf } from './chat-media.ts';
import { dashboardButton, withNotice } from './dashboard.ts';
import { MEDIA_CODES, productScreen } from './product-screen.ts';
import { ownedProduct } from './products.ts';
import { type ProductMedia, SELL, SELL_BUTTONS, type SellDeps, type SellPrompt } from './state.ts';
import { type ChatFile, storeChatFile } from './telegram-file.ts';

function mediaQuestion(ctx: BotContext, kind: ProductMedia, sold: boolean): string {
  switch (kind) {
    case 'file':
      return sold ? ctx.t('sell-media-file-sold') : ctx.t('sell-media-file-unsold');
    case 'cover':
      return ctx.t('sell-media-cover');
    case 'preview':
      return ctx.t('sell-media-preview');
  }
}

async function mediaScreen(
  ctx: BotContext,
  deps: SellDeps,
  product: Product,
  kind: ProductMedia,
  problem?: string,
) {
  const question = mediaQuestion(ctx, kind, product.salesCount > 0);
  // A file may also come through the upload page (up to 10 GB), when it can open.
  const page = kind === 'file' ? uploadPageUrl(deps.settings, product.id) : null;
  const pageLine =
    kind !== 'file' ? [] : [page ? ctx.t('sell-media-file-page') : ctx.t('sell-upload-page-off')];
  const text = [String(html`<b>${product.title}</b>`), question, ...pageLine].join('\n\n');
  await showScreen(
    ctx,
    withNotice(
      {
        text,
        keyboard: keyboard(
          [page !== null && webAppButton(ctx.t('sell-button-upload-page'), page)],
          [button(ctx.t('sell-button-cancel'), SELL_BUTTONS.cancelPrompt)],
        ),
      },
      problem,
    ),
  );
}

/**
 * What the seller sent, if it is what the question asked for; else why not. An image sent as a
 * file has its bytes checked as it is stored.
 */
function acceptedFile(ctx: BotContext, kind: ProductMedia, message: Message): ChatFile | string {
  if (kind === 'file') return productFileOf(ctx, message);
  const image = chatImageOf(ctx, message, kind);
  if (image === null) return ctx.t('sell-media-photo-expected');
  return typeof image === 'string' ? image : image.file;
}

/** The ready upload of a sold product: publish it as the next version, or discard it. */
async function pendingScreen(ctx: BotContext, deps: SellDeps, product: Product): Promise<Screen> {
  const { published, pending } = await deps.services.files.versions(ctx.from?.id ?? 0, product.id);
  const version = (published[0]?.version ?? 0) + 1;
  return {
    text: ctx.t('sell-version-ready', {
      title: product.title,
      version,
      file: pending?.fileName ?? '',
      size: formatSize(ctx.locale.language, pending?.sizeBytes ?? 0),
    }),
    keyboard: keyboard(
      [
        button(
          ctx.t('sell-button-publish-version', { version }),
          callbackData(SELL.publishVersion, product.id),
        ),
      ],
      [
        button(ctx.t('sell-button-discard-version'), callbackData(SELL.discardVersion, product.id)),
        button(ctx.t('sell-button-open-product'), callbackData(SELL.product, product.id)),
      ],
    ),
  };
}

/** The file or photo the seller sent for a product's file, cover or preview. */
export async function mediaInput(
  ctx: BotContext,
  deps: SellDeps,
  prompt: Extract<SellPrompt, { on: 'media' }>,
  message: Message,
): Promise<void> {
  const product = await deps.services.products.own(ctx.from?.id ?? 0, prompt.productId);
  if (!product) {
    clearPrompt(ctx, 'sell');
    return showScreen(ctx, {
      text: ctx.t('error-product-not-found'),
      keyboard: keyboard([dashboardButton(ctx)]),
    });
  }
  const file = acceptedFile(ctx, prompt.kind, message);
  if (typeof file === 'string') return mediaScreen(ctx, deps, product, prompt.kind, file);
  const stored = await storeChatFile(ctx, deps, product.id, prompt.kind, file);
  if (!stored.ok) return mediaScreen(ctx, deps, product, prompt.kind, stored.message);
  clearPrompt(ctx, 'sell');
  const album = claimAlbum(ctx, message) ? [ctx.t('sell-album-first-only')] : [];
  const { outcome } = stored.value;
  if (outcome === 'pending') {
    return showScreen(ctx, withNotice(await pendingScreen(ctx, deps, product), album[0]));
  }
  const saved =
    prompt.kind === 'cover'
      ? ctx.t('sell-cover-saved')
      : prompt.kind === 'preview'
        ? ctx.t('sell-preview-saved')
        : ctx.t('sell-file-replaced');
  const notice = [saved, ...album].join('\n');
  await showScreen(ctx, withNotice(await productScreen(ctx, deps, stored.value.product), notice));
}

export function listingComposer(deps: SellDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { catalog, files, products } = deps.services;

  composer.callbackQuery(actionPattern(SELL.media, 2), async (ctx) => {
    const kind = MEDIA_CODES[(ctx.match[2] ?? '') as keyof typeof MEDIA_CODES];
    if (!kind) return answerAlert(ctx, ctx.t('button-expired'));
    const product = await ownedProduct(ctx, deps, ctx.match[1] ?? '');
    if (!product) return;
    if (kind === 'file' && product.status === 'banned')
      return answerAlert(ctx, ctx.t('error-product-banned'));
    await ctx.answerCallbackQuery();
    ask(ctx, 'sell', { on: 'media', productId: product.id, kind });
    await mediaScreen(ctx, deps, product, kind);
  });

  composer.callbackQuery(actionPattern(SELL.category, 1), async (ctx) => {
    const product = await ownedProduct(ctx, deps, ctx.match[1] ?? '');
    if (!product) return;
    await ctx.answerCallbackQuery();
    const rows = (await catalog.categories()).map((c) => [
      button(
        `${c.id === product.categoryId ? '✅ ' : ''}${categoryLabel(ctx, c)}`,
        callbackData(SELL.setCategory, product.id, c.id),
      ),
    ]);
    await showScreen(ctx, {
      text: [String(html`<b>${product.title}</b>`), ctx.t('sell-edit-category')].join('\n\n'),
      keyboard: keyboard(...rows, [
        button(ctx.t('sell-button-open-product'), callbackData(SELL.product, product.id)),
      ]),
    });
  });

  composer.callbackQuery(actionPattern(SELL.setCategory, 2), async (ctx) => {
    const categoryId = Number(ctx.match[2]);
    const edited = await attempt(ctx, () =>
      products.edit(ctx.from.id, ctx.match[1] ?? '', {
        categoryId: Number.isSafeInteger(categoryId) ? categoryId : 0,
      }),
    );
    if (!edited.ok) return answerAlert(ctx, edited.message);
    await ctx.answerCallbackQuery();
    await showScreen(ctx, withNotice(await productScreen(ctx, deps, edited.value), ctx.t('sell-edit-saved')));
  });

  composer.callbackQuery(actionPattern(SELL.publishVersion, 1), async (ctx) => {
    const published = await attempt(ctx, () => files.publishVersion(ctx.from.id, ctx.match[1] ?? ''));
    if (!published.ok) return answerAlert(ctx, published.message);
    await ctx.answerCallbackQuery();
    const { product, version, recipients } = published.value;
    const notice = ctx.t('sell-version-published', { version: version.version, buyers: recipients.length });
    await showScreen(ctx, withNotice(await productScreen(ctx, deps, product), notice));
    await notifyNewVersion(deps, {
      title: product.title,
      version: version.version,
      fileName: version.fileName,
      sizeBytes: version.sizeBytes,
      recipients,
    });
  });

  composer.callbackQuery(actionPattern(SELL.discardVersion, 1), async (ctx) => {
    const productId = ctx.match[1] ?? '';
    const discarded = await attempt(ctx, () => files.discardPendingVersion(ctx.from.id, productId));
    if (!discarded.ok) return answerAlert(ctx, discarded.message);
    const product = await ownedProduct(ctx, deps, productId);
    if (!product) return;
    await ctx.answerCallbackQuery();
    await showScreen(
      ctx,
      withNotice(await productScreen(ctx, deps, product), ctx.t('sell-version-discarded')),
    );
  });

  return composer;
}
