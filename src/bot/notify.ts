// Messages the bot sends outside a conversation: delivery of a paid order, the seller's sale
// notice, and earnings leaving escrow. Each goes out in the recipient's saved language.
import type { Api } from 'grammy';
import type { Database } from '../db/index.ts';
import { formatUsd } from '../domain/index.ts';
import type { Logger } from '../log.ts';
import { getOrder } from '../repositories/orders.ts';
import { getUser } from '../repositories/users.ts';
import { createDownloadToken, type DownloadSettings } from '../services/downloads.ts';
import { RateLimitedError } from '../services/errors.ts';
import { isLanguage, type Language } from './context.ts';
import { MENU_ACTIONS } from './features/menu.ts';
import { type Translator, translator } from './i18n.ts';
import { button, keyboard, urlButton } from './ui/keyboard.ts';

export interface NotifierDeps {
  api: Api;
  db: Database;
  i18n: Translator;
  /** Where buyers open download links: `${publicUrl}/download/<token>`. */
  publicUrl: string;
  downloads: DownloadSettings;
  log: Logger;
}

export function createNotifier({ api, db, i18n, publicUrl, downloads, log }: NotifierDeps) {
  const languageOf = async (userId: number): Promise<Language> => {
    const language = (await getUser(db, userId))?.language;
    return isLanguage(language) ? language : 'fr';
  };

  const notifySale = async (order: { sellerId: number; productTitle: string; priceCents: number }) => {
    const t = translator(i18n, await languageOf(order.sellerId));
    await api.sendMessage(
      order.sellerId,
      t('notify-sale', { title: order.productTitle, amount: formatUsd(order.priceCents) }),
      { parse_mode: 'HTML' },
    );
  };

  return {
    /** Sends the buyer their purchase with a one-time link; throws if Telegram fails (the job retries). */
    async deliverOrder(orderId: string): Promise<void> {
      const order = await getOrder(db, orderId);
      if (!order) throw new Error(`order ${orderId} not found`);
      const t = translator(i18n, await languageOf(order.buyerId));
      const link = await createDownloadToken(db, order.buyerId, order.id, downloads).catch(
        (error: unknown) => {
          if (error instanceof RateLimitedError) return null; // the library gives one later
          throw error;
        },
      );
      const buttons = [
        ...(link ? [[urlButton(t('notify-download'), `${publicUrl}/download/${link.token}`)]] : []),
        [button(t('notify-library'), MENU_ACTIONS.library)],
      ];
      await api.sendMessage(
        order.buyerId,
        t('notify-delivered', { title: order.productTitle, order: order.id }),
        {
          parse_mode: 'HTML',
          reply_markup: keyboard(...buttons),
        },
      );
      await notifySale(order).catch((error: unknown) =>
        log.warn({ err: String(error), orderId }, 'Sale notice not sent'),
      );
    },

    /** Tells a seller that earnings left escrow. */
    async payoutsAvailable(notice: {
      sellerId: number;
      totalCents: number;
      payouts: unknown[];
    }): Promise<void> {
      const t = translator(i18n, await languageOf(notice.sellerId));
      await api.sendMessage(
        notice.sellerId,
        t('notify-payouts-available', { amount: formatUsd(notice.totalCents), count: notice.payouts.length }),
        { parse_mode: 'HTML' },
      );
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
