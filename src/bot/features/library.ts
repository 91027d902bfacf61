// The library: a carousel of the buyer's purchases (deleted products included), each with a
// one-time download link (the latest file version, and the version they bought when the seller
// published a newer one), a review (1–5 stars, then optional text; the seller hears of it once
// it is complete), a message to the seller relayed through a ticket thread, and "report a
// problem". Every button names an order id, and every handler reads the purchase again for the
// presser: someone else's order is refused.
import { Composer } from 'grammy';
import { TEXT_RULES, ValidationError } from '../../domain/index.ts';
import { FileVersionUnavailableError } from '../../services/downloads.ts';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError } from '../../services/errors.ts';
import type { Purchase } from '../../services/library.ts';
import type { PostedMessage } from '../../services/support.ts';
import type { BotContext, FeatureDeps } from '../context.ts';
import { notifyReview } from '../notices.ts';
import { ask, clearPrompt, pendingPrompt } from '../prompts.ts';
import { acknowledge, answerAlert, refusalText } from '../refusals.ts';
import { actionPattern, callbackData } from '../ui/callback-data.ts';
import { formatDate, formatMoney, formatSize } from '../ui/format.ts';
import { button, keyboard, type MaybeButton, pager, webAppButton } from '../ui/keyboard.ts';
import { offerLink } from '../ui/links.ts';
import { libraryPageUrl } from '../ui/mini-app.ts';
import { showScreen } from '../ui/screen.ts';
import { BUYER_ACTIONS, buyerId, indexArg } from './buyer-shared.ts';
import { homeButton, MENU_ACTIONS } from './menu.ts';
import { SUPPORT_ACTIONS } from './support.ts';
import { relayTicketMessage, relayToAdmins } from './tickets/relay.ts';

/**
 * What the buyer's next message answers: the text of the review they just rated (`edited` when
 * they had reviewed before), a message to the seller, a problem report.
 */
export type LibraryPrompt =
  | { on: 'review'; orderId: string; productId: string; edited: boolean }
  | { on: 'contact'; orderId: string }
  | { on: 'report'; orderId: string };

declare module '../prompts.ts' {
  interface Prompts {
    library: LibraryPrompt;
  }
}

/** Pressing one of these keeps the buyer's pending question. */
export function ownsLibraryAction(data: string): boolean {
  return data.startsWith('l.');
}

/** The card's file lines: the latest version, and the one bought when a newer one came out. */
function versionLines(ctx: BotContext, purchase: Purchase): string[] {
  const language = ctx.locale.language;
  if (purchase.version === null || purchase.fileName === null || purchase.sizeBytes === null) {
    return [ctx.t('library-file-gone')];
  }
  const file = { file: purchase.fileName, size: formatSize(language, purchase.sizeBytes) };
  if (purchase.boughtVersion === null || purchase.version === purchase.boughtVersion) {
    return [
      purchase.version > 1
        ? ctx.t('library-version-only', { version: purchase.version, ...file })
        : ctx.t('library-file', file),
    ];
  }
  return [
    ctx.t('library-version-latest', { version: purchase.version, ...file }),
    ctx.t('library-version-bought', { version: purchase.boughtVersion }),
  ];
}

/** Download buttons: the latest version, and the bought one when it differs and is still stored. */
function downloadButtons(ctx: BotContext, purchase: Purchase): MaybeButton[] {
  if (purchase.version === null) return [];
  const { orderId, version, boughtVersion } = purchase;
  if (boughtVersion === null || boughtVersion === version) {
    return [button(ctx.t('library-button-download'), callbackData(BUYER_ACTIONS.download, orderId))];
  }
  return [
    button(
      ctx.t('library-button-download-latest', { version }),
      callbackData(BUYER_ACTIONS.downloadVersion, orderId, version),
    ),
    purchase.boughtStored &&
      button(
        ctx.t('library-button-download-bought', { version: boughtVersion }),
        callbackData(BUYER_ACTIONS.downloadVersion, orderId, boughtVersion),
      ),
  ];
}

export function libraryFeature(deps: FeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { library, downloads, reviews, support } = deps.services;

  function libraryButton(ctx: BotContext) {
    return button(ctx.t('library-button-back'), callbackData(BUYER_ACTIONS.libraryPage, 0));
  }

  async function showLibrary(ctx: BotContext, requested: number): Promise<void> {
    clearPrompt(ctx, 'library');
    const buyer = buyerId(ctx);
    let page = await library.purchases(buyer, { limit: 1, offset: requested });
    if (page.items.length === 0 && page.total > 0) {
      page = await library.purchases(buyer, { limit: 1, offset: page.total - 1 });
    }
    const purchase = page.items[0];
    if (!purchase) {
      await showScreen(ctx, {
        text: ctx.t('library-empty'),
        keyboard: keyboard([button(ctx.t('library-button-browse'), MENU_ACTIONS.buy)], [homeButton(ctx)]),
      });
      return;
    }
    const orderId = purchase.orderId;
    const language = ctx.locale.language;
    // Every purchase on one page, with covers, when it can open (an https address).
    const libraryPage = libraryPageUrl(deps.settings);
    const card = ctx.t('library-card', {
      title: purchase.title,
      seller: purchase.sellerName,
      price: formatMoney(language, purchase.totalCents),
      date: formatDate(language, purchase.paidAt),
      order: orderId,
    });
    const lines = [
      card,
      ...versionLines(ctx, purchase),
      ctx.t('library-downloads', { downloads: purchase.downloads }),
      ...(purchase.productStatus === 'deleted' ? [ctx.t('library-removed')] : []),
    ];
    await showScreen(ctx, {
      text: lines.join('\n'),
      keyboard: keyboard(
        downloadButtons(ctx, purchase),
        pager(BUYER_ACTIONS.libraryPage, page.offset, page.total),
        [
          button(
            purchase.reviewed ? ctx.t('library-button-edit-review') : ctx.t('library-button-review'),
            callbackData(BUYER_ACTIONS.reviewStart, orderId),
          ),
        ],
        [
          button(ctx.t('library-button-contact'), callbackData(BUYER_ACTIONS.contact, orderId)),
          button(ctx.t('library-button-report'), callbackData(BUYER_ACTIONS.report, orderId)),
        ],
        [libraryPage !== null && webAppButton(ctx.t('library-button-open-page'), libraryPage)],
        [homeButton(ctx)],
      ),
    });
  }

  /** The presser's own paid purchase named by a button, or null after a polite refusal. */
  async function ownPurchase(ctx: BotContext, orderId: string | undefined): Promise<Purchase | null> {
    const purchase = orderId ? await library.purchase(buyerId(ctx), orderId) : null;
    if (!purchase) await answerAlert(ctx, ctx.t('browse-not-available'));
    return purchase;
  }

  composer.command('library', (ctx) => showLibrary(ctx, 0));
  composer.callbackQuery(MENU_ACTIONS.library, async (ctx) => {
    await acknowledge(ctx);
    await showLibrary(ctx, 0);
  });
  composer.callbackQuery(actionPattern(BUYER_ACTIONS.libraryPage, 1), async (ctx) => {
    const index = indexArg(ctx.match[1]);
    if (index === null) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    await showLibrary(ctx, index);
  });

  /** A one-time link to the purchase's file: `version`, or the latest the order may get. */
  async function sendLink(ctx: BotContext, orderId: string | undefined, version?: number): Promise<void> {
    const purchase = await ownPurchase(ctx, orderId);
    if (!purchase) return;
    let link: { token: string; version: number; fileName: string };
    try {
      link = await downloads.createLink(buyerId(ctx), purchase.orderId, version);
    } catch (error) {
      if (error instanceof NotFoundError) return answerAlert(ctx, ctx.t('browse-not-available'));
      if (error instanceof RateLimitedError) {
        return answerAlert(
          ctx,
          ctx.t('library-download-limit', { minutes: Math.ceil(error.retryAfterSec / 60) }),
        );
      }
      if (error instanceof FileVersionUnavailableError)
        return answerAlert(ctx, refusalText(ctx, error) ?? '');
      if (error instanceof ConflictError) return answerAlert(ctx, ctx.t('library-file-unavailable'));
      throw error;
    }
    await acknowledge(ctx);
    // ?lang= lets a used or expired link's page speak the buyer's language, whatever the browser's.
    const url = `${deps.settings.publicUrl.replace(/\/+$/, '')}/download/${link.token}?lang=${ctx.locale.language}`;
    const offer = offerLink(ctx.t('library-button-open-link'), url);
    const text = ctx.t('library-download-ready', {
      title: purchase.title,
      version: link.version,
      file: link.fileName,
    });
    await ctx.reply(text + offer.text, { parse_mode: 'HTML', reply_markup: keyboard([offer.button]) });
  }

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.download, 1), (ctx) => sendLink(ctx, ctx.match[1]));
  composer.callbackQuery(actionPattern(BUYER_ACTIONS.downloadVersion, 2), (ctx) => {
    const version = indexArg(ctx.match[2]);
    if (version === null || version < 1) return answerAlert(ctx, ctx.t('button-expired'));
    return sendLink(ctx, ctx.match[1], version);
  });

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.reviewStart, 1), async (ctx) => {
    const purchase = await ownPurchase(ctx, ctx.match[1]);
    if (!purchase) return;
    await acknowledge(ctx);
    const stars = [1, 2, 3, 4, 5].map((n) =>
      button(`${n}⭐`, callbackData(BUYER_ACTIONS.reviewRate, purchase.orderId, n)),
    );
    await showScreen(ctx, {
      text: ctx.t('library-rate', { title: purchase.title }),
      keyboard: keyboard(stars, [libraryButton(ctx)]),
    });
  });

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.reviewRate, 2), async (ctx) => {
    const purchase = await ownPurchase(ctx, ctx.match[1]);
    if (!purchase) return;
    let rated: Awaited<ReturnType<typeof reviews.rate>>;
    try {
      rated = await reviews.rate(buyerId(ctx), purchase.productId, ctx.match[2]);
    } catch (error) {
      if (error instanceof ValidationError) return answerAlert(ctx, ctx.t('button-expired'));
      if (error instanceof ForbiddenError) return answerAlert(ctx, ctx.t('browse-not-available'));
      throw error;
    }
    const { review, created } = rated;
    ask(ctx, 'library', {
      on: 'review',
      orderId: purchase.orderId,
      productId: purchase.productId,
      edited: !created,
    });
    await ctx.answerCallbackQuery({ text: ctx.t('library-rating-saved') });
    const rule = TEXT_RULES.review_text;
    const lines = [
      ctx.t('library-review-text', { stars: '⭐'.repeat(review.rating), min: rule.min, max: rule.max }),
      ...(review.body ? [ctx.t('library-review-current', { comment: review.body })] : []),
    ];
    const finish = review.body ? ctx.t('library-button-keep-comment') : ctx.t('library-button-no-comment');
    await showScreen(ctx, {
      text: lines.join('\n\n'),
      keyboard: keyboard([button(finish, callbackData(BUYER_ACTIONS.reviewSkip, purchase.orderId))]),
    });
  });

  // The review is complete without a (new) text: published as it stands, and the seller told.
  composer.callbackQuery(actionPattern(BUYER_ACTIONS.reviewSkip, 1), async (ctx) => {
    const prompt = pendingPrompt(ctx, 'library');
    const purchase = await ownPurchase(ctx, ctx.match[1]);
    if (!purchase) return;
    if (prompt?.on !== 'review' || prompt.orderId !== purchase.orderId) {
      return answerAlert(ctx, ctx.t('button-expired'));
    }
    await acknowledge(ctx);
    await completeReview(ctx, purchase, prompt.edited);
  });

  /** Publishes the rated review (with `text` when given) and tells the seller, comment included. */
  async function completeReview(
    ctx: BotContext,
    purchase: Purchase,
    edited: boolean,
    text?: string,
  ): Promise<void> {
    const review = await reviews.complete(buyerId(ctx), purchase.productId, text);
    clearPrompt(ctx, 'library');
    await showScreen(ctx, {
      text: ctx.t('library-review-saved'),
      keyboard: keyboard([libraryButton(ctx), homeButton(ctx)]),
    });
    await notifyReview(deps, purchase.sellerId, purchase.title, review, edited);
  }

  async function askFor(
    ctx: BotContext,
    on: 'contact' | 'report',
    orderId: string | undefined,
  ): Promise<void> {
    const purchase = await ownPurchase(ctx, orderId);
    if (!purchase) return;
    await acknowledge(ctx);
    ask(ctx, 'library', { on, orderId: purchase.orderId });
    const rule = TEXT_RULES.ticket_message;
    const variables = { title: purchase.title, order: purchase.orderId, min: rule.min, max: rule.max };
    await showScreen(ctx, {
      text:
        on === 'contact'
          ? ctx.t('library-contact-prompt', variables)
          : ctx.t('library-report-prompt', variables),
      keyboard: keyboard([button(ctx.t('library-button-cancel'), callbackData(BUYER_ACTIONS.cancelPrompt))]),
    });
  }

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.contact, 1), (ctx) =>
    askFor(ctx, 'contact', ctx.match[1]),
  );
  composer.callbackQuery(actionPattern(BUYER_ACTIONS.report, 1), (ctx) =>
    askFor(ctx, 'report', ctx.match[1]),
  );
  composer.callbackQuery(BUYER_ACTIONS.cancelPrompt, async (ctx) => {
    await acknowledge(ctx);
    await showLibrary(ctx, 0);
  });

  /** Tells the seller (in their language) that a buyer wrote, without revealing who. */
  async function relay(posted: PostedMessage, title: string): Promise<void> {
    for (const recipient of posted.recipients) {
      await deps.messenger.trySend(
        recipient,
        (t) => ({
          text: t('library-contact-relay', {
            title,
            order: posted.ticket.orderId ?? '',
            ticket: String(posted.ticket.id),
            text: posted.message.body,
          }),
          options: { reply_markup: keyboard([button(t('button-my-tickets'), SUPPORT_ACTIONS.myTickets)]) },
        }),
        'Buyer message relay',
      );
    }
  }

  async function answerPrompt(ctx: BotContext, prompt: LibraryPrompt, text: string): Promise<void> {
    const buyer = buyerId(ctx);
    const done = keyboard([libraryButton(ctx), homeButton(ctx)]);
    try {
      const purchase = await library.purchase(buyer, prompt.orderId);
      if (!purchase) throw new NotFoundError('order', prompt.orderId);
      if (prompt.on === 'review') return await completeReview(ctx, purchase, prompt.edited, text);
      const posted =
        prompt.on === 'contact'
          ? await support.contactSeller(buyer, prompt.orderId, text)
          : await support.reportProblem(buyer, prompt.orderId, { message: text });
      clearPrompt(ctx, 'library');
      const reply =
        prompt.on === 'contact'
          ? ctx.t('library-contact-sent', { ticket: String(posted.ticket.id) })
          : ctx.t('library-report-sent', { ticket: String(posted.ticket.id) });
      await ctx.reply(reply, { parse_mode: 'HTML', reply_markup: done });
      // The admins get every ticket's messages; the seller gets the library's own notice.
      if (prompt.on === 'contact') {
        await relay(posted, purchase.title);
        await relayToAdmins(deps, posted);
      } else await relayTicketMessage(deps, posted, 'user');
    } catch (error) {
      if (error instanceof ValidationError) {
        // The prompt stays: the buyer types again, nothing is lost.
        const rule = prompt.on === 'review' ? TEXT_RULES.review_text : TEXT_RULES.ticket_message;
        await ctx.reply(ctx.t('library-text-invalid', { min: rule.min, max: rule.max }), {
          parse_mode: 'HTML',
          reply_markup: keyboard([
            button(ctx.t('library-button-cancel'), callbackData(BUYER_ACTIONS.cancelPrompt)),
          ]),
        });
        return;
      }
      if (
        error instanceof NotFoundError ||
        error instanceof ForbiddenError ||
        error instanceof ConflictError
      ) {
        clearPrompt(ctx, 'library');
        await ctx.reply(ctx.t('browse-not-available'), { reply_markup: done });
        return;
      }
      throw error;
    }
  }

  // The buyer's answer to one of the prompts above; anything else goes on (to the search).
  composer.on('message:text', async (ctx, next) => {
    const prompt = pendingPrompt(ctx, 'library');
    if (!prompt || ctx.message.text.startsWith('/')) return next();
    await answerPrompt(ctx, prompt, ctx.message.text);
  });

  return composer;
}
