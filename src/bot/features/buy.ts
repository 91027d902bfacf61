// Buying: the Buy button opens (or reuses) the buyer's order through the checkout service, which
// refuses your own product, one you already own, or one no longer for sale. A free product is
// delivered at once; otherwise the buyer picks a coin (price, fee and total shown), gets a QR
// code of the address with the exact amount, and a Refresh button that asks NOWPayments and
// applies the same transition as the IPN. Order ids in buttons are re-checked against the
// presser by every service call.
import { Composer, GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import QRCode from 'qrcode';
import { coinLabel, isId } from '../../domain/index.ts';
import type { PaymentInstructions } from '../../services/checkout.ts';
import type { OrderPaymentState, Payment } from '../../services/completion.ts';
import { ConflictError } from '../../services/errors.ts';
import type { Order } from '../../services/orders.ts';
import type { BotContext, FeatureDeps } from '../context.ts';
import { acknowledge, answerAlert, refusalText } from '../refusals.ts';
import { actionPattern, callbackData } from '../ui/callback-data.ts';
import { formatDateTime, formatMoney, formatRelative } from '../ui/format.ts';
import { Html } from '../ui/html.ts';
import { button, keyboard, type MaybeButton } from '../ui/keyboard.ts';
import { showScreen } from '../ui/screen.ts';
import { BUYER_ACTIONS, buyerId } from './buyer-shared.ts';
import { homeButton, MENU_ACTIONS } from './menu.ts';

/** The QR code of the address, as a PNG a phone wallet can scan. */
export function addressQrCode(address: string): Promise<Buffer> {
  return QRCode.toBuffer(address, { type: 'png', margin: 2, width: 360, errorCorrectionLevel: 'M' });
}

type PaymentFacts = Pick<
  PaymentInstructions,
  'address' | 'amount' | 'coin' | 'expiresAt' | 'orderId' | 'totalCents'
>;

function paymentText(ctx: BotContext, title: string, payment: PaymentFacts, status: string | null): string {
  const language = ctx.locale.language;
  const text = ctx.t('buy-payment', {
    title,
    total: formatMoney(language, payment.totalCents),
    amount: payment.amount,
    coin: coinLabel(payment.coin),
    address: payment.address,
    order: payment.orderId,
    expires: formatDateTime(language, payment.expiresAt),
    left: formatRelative(language, payment.expiresAt),
  });
  return status ? `${text}\n\n${status}` : text;
}

function factsOf(order: Order, payment: Payment): PaymentFacts {
  return {
    address: payment.payAddress,
    amount: payment.payAmount,
    coin: payment.payCurrency,
    expiresAt: payment.expiresAt,
    orderId: order.id,
    totalCents: order.totalCents,
  };
}

/** A refusal (someone else's order, an unknown coin, the provider down…) as an alert; anything else is a bug. */
async function refuse(ctx: BotContext, error: unknown): Promise<void> {
  const text = refusalText(ctx, error);
  if (text === null) throw error;
  await answerAlert(ctx, text);
}

/**
 * The same, for a press answered before a NOWPayments call (which may take its whole timeout,
 * longer than Telegram keeps a press open): the refusal comes as a message under the screen.
 */
async function refuseInChat(ctx: BotContext, error: unknown): Promise<void> {
  const text = refusalText(ctx, error);
  if (text === null) throw error;
  await ctx.reply(text, { parse_mode: 'HTML', reply_markup: keyboard([homeButton(ctx)]) });
}

export function buyFeature(deps: FeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { accounts, checkout, completion, orders } = deps.services;
  const coins = deps.settings.payCurrencies.map((c) => c.toLowerCase());

  function libraryButton(ctx: BotContext) {
    return button(ctx.t('buy-button-library'), MENU_ACTIONS.library);
  }

  async function showOwned(ctx: BotContext, orderId: string): Promise<void> {
    await acknowledge(ctx);
    await showScreen(ctx, {
      text: ctx.t('buy-already-yours'),
      keyboard: keyboard(
        [button(ctx.t('buy-button-download'), callbackData(BUYER_ACTIONS.download, orderId))],
        [libraryButton(ctx), homeButton(ctx)],
      ),
    });
  }

  function coinChooser(ctx: BotContext, order: Order): { text: string; keyboard: InlineKeyboardMarkup } {
    const buttons = coins.map((coin) =>
      button(coinLabel(coin), callbackData(BUYER_ACTIONS.pay, order.id, coin)),
    );
    const rows: MaybeButton[][] = [];
    for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
    return {
      text: ctx.t('buy-choose-coin', {
        title: order.productTitle,
        price: formatMoney(ctx.locale.language, order.priceCents),
        fee: formatMoney(ctx.locale.language, order.feeCents),
        total: formatMoney(ctx.locale.language, order.totalCents),
      }),
      keyboard: keyboard(...rows, [
        button(ctx.t('browse-button-back'), callbackData(BUYER_ACTIONS.detailBack, order.productId, 'x')),
        homeButton(ctx),
      ]),
    };
  }

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.buy, 1), async (ctx) => {
    const productId = ctx.match[1] as string;
    if (!isId('product', productId)) return answerAlert(ctx, ctx.t('button-expired'));
    await accounts.registerUser(ctx.from);
    let order: Order;
    try {
      ({ order } = await checkout.startOrder(buyerId(ctx), productId));
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'already_owned') {
        return showOwned(ctx, String(error.details.orderId));
      }
      return refuse(ctx, error);
    }
    await acknowledge(ctx);
    if (order.status === 'paid') {
      await showScreen(ctx, {
        text: ctx.t('buy-free-delivered', { title: order.productTitle }),
        keyboard: keyboard(
          [button(ctx.t('buy-button-download'), callbackData(BUYER_ACTIONS.download, order.id))],
          [libraryButton(ctx), homeButton(ctx)],
        ),
      });
      return;
    }
    await showScreen(ctx, coinChooser(ctx, order));
  });

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.pay, 2), async (ctx) => {
    const orderId = ctx.match[1] as string;
    const coin = ctx.match[2] as string;
    if (!isId('order', orderId)) return answerAlert(ctx, ctx.t('button-expired'));
    const buyer = buyerId(ctx);
    await acknowledge(ctx, ctx.t('buy-payment-preparing'));
    let payment: PaymentInstructions;
    try {
      payment = await checkout.payOrder(buyer, orderId, coin);
    } catch (error) {
      return refuseInChat(ctx, error);
    }
    const order = await orders.forBuyer(buyer, payment.orderId);
    const title = order?.productTitle ?? '';
    const qr = await addressQrCode(payment.address);
    const partial = payment.missing !== null;
    const status = partial
      ? ctx.t('buy-status-partial', { missing: payment.missing ?? '', coin: coinLabel(payment.coin) })
      : null;
    await ctx.replyWithPhoto(new InputFile(qr, 'payment.png'), {
      caption: paymentText(ctx, title, payment, status),
      parse_mode: 'HTML',
      reply_markup: paymentKeyboard(
        ctx,
        payment.orderId,
        order?.productId ?? null,
        partial ? 'partial' : 'open',
      ),
    });
  });

  /** Refresh while unpaid; another coin only before any money arrived (a partial payment is finished in its coin). */
  function paymentKeyboard(
    ctx: BotContext,
    orderId: string,
    productId: string | null,
    state: 'open' | 'partial' | 'paid',
  ): InlineKeyboardMarkup {
    if (state === 'paid') return keyboard([libraryButton(ctx), homeButton(ctx)]);
    return keyboard(
      [button(ctx.t('buy-button-refresh'), callbackData(BUYER_ACTIONS.status, orderId))],
      [
        state === 'open' &&
          productId !== null &&
          button(ctx.t('buy-button-other-coin'), callbackData(BUYER_ACTIONS.buy, productId)),
        homeButton(ctx),
      ],
    );
  }

  function statusLine(
    ctx: BotContext,
    order: Order,
    payment: Payment | null,
    missing: string | null,
  ): string {
    switch (order.status) {
      case 'paid':
        return ctx.t('buy-status-paid');
      case 'partially_paid':
        return ctx.t('buy-status-partial', {
          missing: missing ?? '?',
          coin: coinLabel(payment?.payCurrency ?? ''),
        });
      case 'expired':
        return ctx.t('buy-status-expired');
      case 'refunded':
        return ctx.t('buy-status-refunded');
      case 'failed':
      case 'cancelled':
        return ctx.t('buy-status-failed');
      default:
        return ctx.t('buy-status-waiting', { status: payment?.status ?? order.status });
    }
  }

  composer.callbackQuery(actionPattern(BUYER_ACTIONS.status, 1), async (ctx) => {
    const orderId = ctx.match[1] as string;
    if (!isId('order', orderId)) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx, ctx.t('buy-status-checking'));
    let refreshed: OrderPaymentState;
    try {
      refreshed = await completion.refresh(buyerId(ctx), orderId);
    } catch (error) {
      return refuseInChat(ctx, error);
    }
    const { order, payment, missing } = refreshed;
    const status = statusLine(ctx, order, payment, missing);
    const state = order.status === 'paid' ? 'paid' : order.status === 'partially_paid' ? 'partial' : 'open';
    const markup = paymentKeyboard(ctx, order.id, order.productId, state);
    const text = payment ? paymentText(ctx, order.productTitle, factsOf(order, payment), status) : status;
    const pressed = ctx.callbackQuery.message;
    if (pressed && 'photo' in pressed && pressed.photo !== undefined) {
      try {
        await ctx.editMessageCaption({ caption: text, parse_mode: 'HTML', reply_markup: markup });
      } catch (error) {
        if (!(error instanceof GrammyError && /message is not modified/i.test(error.description)))
          throw error;
      }
      return;
    }
    await showScreen(ctx, { text: Html.raw(text), keyboard: markup });
  });

  return composer;
}
