// The library: a carousel of the buyer's purchases (deleted products included), each with a
// one-time download link, a review (1–5 stars, then optional text), a message to the seller
// relayed through a ticket thread, and "report a problem". Every button names an order id, and
// every handler reads the purchase again for the presser: someone else's order is refused.
import { Composer } from 'grammy';
import { formatUsd, TEXT_RULES, ValidationError } from '../../domain/index.ts';
import type { Logger } from '../../log.ts';
import { getPurchase, listLibrary, type Purchase } from '../../repositories/library.ts';
import { getUser } from '../../repositories/users.ts';
import { createDownloadToken } from '../../services/downloads.ts';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError } from '../../services/errors.ts';
import { leaveReview } from '../../services/reviews.ts';
import { contactSeller, type PostedMessage, reportOrderProblem } from '../../services/support.ts';
import type { BotContext } from '../context.ts';
import { isLanguage } from '../context.ts';
import { actionPattern, callbackData } from '../ui/callback-data.ts';
import { button, keyboard, pager, urlButton } from '../ui/keyboard.ts';
import { showScreen } from '../ui/screen.ts';
import {
  acknowledge,
  answerAlert,
  BUYER_ACTIONS,
  type BuyerDeps,
  type BuyerPrompt,
  buyerId,
  clearBuyerPrompt,
  indexArg,
  setBuyerPrompt,
} from './buyer-shared.ts';
import { formatSize } from './catalog-card.ts';
import { homeButton, MENU_ACTIONS } from './menu.ts';
import { SUPPORT_ACTIONS } from './support.ts';

function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export interface LibraryOptions {
  /** Relays to the seller are best effort: a failure is logged, the buyer's message is kept. */
  log?: Pick<Logger, 'warn'>;
  /** The recipient's language for a relayed message, from the language they saved. */
  translateFor?: (language: 'fr' | 'en') => BotContext['t'];
}

export function libraryFeature(deps: BuyerDeps, options: LibraryOptions = {}): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  function libraryButton(ctx: BotContext) {
    return button(ctx.t('library-button-back'), callbackData(BUYER_ACTIONS.libraryPage, 0));
  }

  async function showLibrary(ctx: BotContext, requested: number): Promise<void> {
    clearBuyerPrompt(ctx);
    const buyer = buyerId(ctx);
    let page = await listLibrary(deps.db, buyer, { limit: 1, offset: requested });
    if (page.items.length === 0 && page.total > 0) {
      page = await listLibrary(deps.db, buyer, { limit: 1, offset: page.total - 1 });
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
    await showScreen(ctx, {
      text: ctx.t('library-card', {
        title: purchase.title,
        seller: purchase.sellerName,
        price: formatUsd(purchase.totalCents),
        date: formatDay(purchase.paidAt),
        order: orderId,
        downloads: purchase.downloads,
        size: purchase.sizeBytes === null ? '—' : formatSize(purchase.sizeBytes),
        removed: purchase.productStatus === 'deleted' ? `\n${ctx.t('library-removed')}` : '',
      }),
      keyboard: keyboard(
        [
          purchase.fileName !== null &&
            button(ctx.t('library-button-download'), callbackData(BUYER_ACTIONS.download, orderId)),
        ],
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
        [homeButton(ctx)],
      ),
    });
  }

  /** The presser's own paid purchase named by a button, or null after a polite refusal. */
  async function ownPurchase(ctx: BotContext, orderId: string | undefined): Promise<Purchase | null> {
    const purchase = orderId ? await getPurchase(deps.db, buyerId(ctx), orderId) : null;
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

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.download, 1), async (ctx) => {
    const purchase = await ownPurchase(ctx, ctx.match[1]);
    if (!purchase) return;
    if (!deps.publicUrl) return answerAlert(ctx, ctx.t('buy-unavailable'));
    let token: string;
    try {
      ({ token } = await createDownloadToken(deps.db, buyerId(ctx), purchase.orderId, deps.downloads));
    } catch (error) {
      if (error instanceof NotFoundError) return answerAlert(ctx, ctx.t('browse-not-available'));
      if (error instanceof RateLimitedError) {
        return answerAlert(
          ctx,
          ctx.t('library-download-limit', { minutes: Math.ceil(error.retryAfterSec / 60) }),
        );
      }
      if (error instanceof ConflictError) return answerAlert(ctx, ctx.t('library-file-unavailable'));
      throw error;
    }
    await acknowledge(ctx);
    const url = `${deps.publicUrl.replace(/\/+$/, '')}/download/${token}`;
    await ctx.reply(ctx.t('library-download-ready', { title: purchase.title }), {
      parse_mode: 'HTML',
      reply_markup: keyboard([urlButton(ctx.t('library-button-open-link'), url)]),
    });
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
    const rating = Number(ctx.match[2]);
    try {
      const { created } = await leaveReview(deps.db, buyerId(ctx), purchase.productId, { rating });
      if (created) await notifyReview(ctx, purchase.sellerId, purchase.title, rating);
    } catch (error) {
      if (error instanceof ValidationError) return answerAlert(ctx, ctx.t('button-expired'));
      if (error instanceof ForbiddenError) return answerAlert(ctx, ctx.t('browse-not-available'));
      throw error;
    }
    setBuyerPrompt(ctx, { on: 'review', orderId: purchase.orderId, productId: purchase.productId, rating });
    await ctx.answerCallbackQuery({ text: ctx.t('library-rating-saved') });
    const rule = TEXT_RULES.review_text;
    await showScreen(ctx, {
      text: ctx.t('library-review-text', { stars: '⭐'.repeat(rating), min: rule.min, max: rule.max }),
      keyboard: keyboard([
        button(ctx.t('library-button-skip'), callbackData(BUYER_ACTIONS.reviewSkip, purchase.orderId)),
      ]),
    });
  });

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.reviewSkip, 1), async (ctx) => {
    clearBuyerPrompt(ctx);
    await acknowledge(ctx);
    await showScreen(ctx, {
      text: ctx.t('library-review-saved'),
      keyboard: keyboard([libraryButton(ctx), homeButton(ctx)]),
    });
  });

  async function askFor(
    ctx: BotContext,
    on: 'contact' | 'report',
    orderId: string | undefined,
  ): Promise<void> {
    const purchase = await ownPurchase(ctx, orderId);
    if (!purchase) return;
    await acknowledge(ctx);
    setBuyerPrompt(ctx, { on, orderId: purchase.orderId });
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

  /** Tells the seller (in their language) about a new review; a failure to notify loses nothing. */
  async function notifyReview(
    ctx: BotContext,
    sellerId: number,
    title: string,
    rating: number,
  ): Promise<void> {
    try {
      const saved = (await getUser(deps.db, sellerId))?.language;
      const t = options.translateFor && isLanguage(saved) ? options.translateFor(saved) : ctx.t;
      await ctx.api.sendMessage(sellerId, t('library-review-notice', { title, stars: '⭐'.repeat(rating) }), {
        parse_mode: 'HTML',
      });
    } catch (error) {
      options.log?.warn({ err: error, sellerId }, 'review notice could not be sent');
    }
  }

  /** Tells the seller (in their language) that a buyer wrote, without revealing who. */
  async function relay(ctx: BotContext, posted: PostedMessage, title: string): Promise<void> {
    for (const recipient of posted.recipients) {
      try {
        const saved = (await getUser(deps.db, recipient))?.language;
        const t = options.translateFor && isLanguage(saved) ? options.translateFor(saved) : ctx.t;
        await ctx.api.sendMessage(
          recipient,
          t('library-contact-relay', {
            title,
            order: posted.ticket.orderId ?? '',
            ticket: posted.ticket.id,
            text: posted.message.body,
          }),
          {
            parse_mode: 'HTML',
            reply_markup: keyboard([button(t('button-my-tickets'), SUPPORT_ACTIONS.myTickets)]),
          },
        );
      } catch (error) {
        options.log?.warn({ err: error, ticketId: posted.ticket.id }, 'buyer message could not be relayed');
      }
    }
  }

  async function answerPrompt(ctx: BotContext, prompt: BuyerPrompt, text: string): Promise<void> {
    const buyer = buyerId(ctx);
    const done = keyboard([libraryButton(ctx), homeButton(ctx)]);
    try {
      if (prompt.on === 'review') {
        await leaveReview(deps.db, buyer, prompt.productId, { rating: prompt.rating, text });
        clearBuyerPrompt(ctx);
        await ctx.reply(ctx.t('library-review-saved'), { parse_mode: 'HTML', reply_markup: done });
        return;
      }
      const purchase = await getPurchase(deps.db, buyer, prompt.orderId);
      if (!purchase) throw new NotFoundError('order', prompt.orderId);
      const posted =
        prompt.on === 'contact'
          ? await contactSeller(deps.db, buyer, prompt.orderId, text)
          : await reportOrderProblem(deps.db, buyer, prompt.orderId, { message: text });
      clearBuyerPrompt(ctx);
      const reply =
        prompt.on === 'contact'
          ? ctx.t('library-contact-sent', { ticket: posted.ticket.id })
          : ctx.t('library-report-sent', { ticket: posted.ticket.id });
      await ctx.reply(reply, { parse_mode: 'HTML', reply_markup: done });
      if (prompt.on === 'contact') await relay(ctx, posted, purchase.title);
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
        clearBuyerPrompt(ctx);
        await ctx.reply(ctx.t('browse-not-available'), { reply_markup: done });
        return;
      }
      throw error;
    }
  }

  // The buyer's answer to one of the prompts above; anything else goes on (to the search).
  composer.on('message:text', async (ctx, next) => {
    const prompt = ctx.session.buyer?.prompt;
    if (!prompt || ctx.message.text.startsWith('/')) return next();
    await answerPrompt(ctx, prompt, ctx.message.text);
  });

  return composer;
}
