// Messages the bot sends outside a conversation, for the jobs: delivery of a paid order (with the
// file itself when Telegram takes it), the seller's sale notice, earnings leaving escrow, the end
// of a timed suspension. Each goes out in the recipient's language.
import type { Api } from 'grammy';
import type { DeliveryChannel } from '../jobs/index.ts';
import type { Logger } from '../log.ts';
import type { Services } from '../services/index.ts';
import type { Order, Reach } from '../services/orders.ts';
import { BUYER_ACTIONS } from './features/buyer-shared.ts';
import { MENU_ACTIONS } from './features/menu.ts';
import type { Translator } from './i18n.ts';
import { createMessenger } from './messenger.ts';
import { callbackData } from './ui/callback-data.ts';
import { formatMoney } from './ui/format.ts';
import { button, keyboard } from './ui/keyboard.ts';
import { sendStored } from './ui/stored-media.ts';

/** Bots may upload documents up to 50 MB (Bot API, sendDocument); bigger files go by link only. */
export const BOT_UPLOAD_LIMIT_BYTES = 50 * 1000 * 1000;

export interface NotifierDeps {
  api: Api;
  services: Pick<Services, 'accounts' | 'downloads' | 'telegramFiles'>;
  i18n: Translator;
  log: Logger;
}

export function createNotifier({ api, services, i18n, log }: NotifierDeps): DeliveryChannel {
  const messenger = createMessenger({ api, i18n, accounts: services.accounts, log });

  /**
   * The purchased file as a document under the delivery message, uploaded once and then sent by
   * Telegram's file id. Best effort: the message before it is the delivery (its button gives a
   * link at any time), so a failure here is logged and never makes the job send it all again.
   */
  async function sendFile(order: Order): Promise<void> {
    try {
      const copy = await services.downloads.chatCopy(order.id, BOT_UPLOAD_LIMIT_BYTES);
      if (!copy) return;
      const t = await messenger.translatorFor(order.buyerId);
      const caption = t('notify-document', { title: order.productTitle, version: copy.file.version });
      const media = { storedFileId: copy.file.storedFileId, fileName: copy.file.fileName, open: copy.open };
      await sendStored(services.telegramFiles, media, (file) =>
        api.sendDocument(order.buyerId, file, { caption, parse_mode: 'HTML' }),
      );
      await services.downloads.recordChatCopy(copy.file);
    } catch (error) {
      log.warn({ err: error, orderId: order.id }, 'Purchased file not sent as a document');
    }
  }

  return {
    /**
     * Tells the buyer their purchase is ready, with a Download button that asks for a one-time link
     * when it is pressed (a link minted now would expire before a late reader opens it), then
     * sends the file itself when it is small enough.
     */
    async deliverOrder(order: Order): Promise<Reach> {
      const free = order.totalCents === 0;
      const reach = await messenger.reach(order.buyerId, (t) => ({
        text: free
          ? t('notify-delivered-free', { title: order.productTitle, order: order.id })
          : t('notify-delivered', { title: order.productTitle, order: order.id }),
        options: {
          reply_markup: keyboard(
            [button(t('notify-download'), callbackData(BUYER_ACTIONS.download, order.id))],
            [button(t('notify-library'), MENU_ACTIONS.library)],
          ),
        },
      }));
      if (reach === 'sent') await sendFile(order);
      return reach;
    },

    /** Tells the seller of the sale (a free product: of the new download). */
    notifySale(order: Order): Promise<Reach> {
      return messenger.reach(order.sellerId, (t, language) => ({
        text:
          order.totalCents === 0
            ? t('notify-free-download', { title: order.productTitle })
            : t('notify-sale', {
                title: order.productTitle,
                amount: formatMoney(language, order.priceCents),
              }),
      }));
    },

    /** Tells a seller that earnings left escrow. */
    async payoutsAvailable(notice): Promise<void> {
      await messenger.send(notice.sellerId, (t, language) => ({
        text: t('notify-payouts-available', {
          amount: formatMoney(language, notice.totalCents),
          count: notice.payouts.length,
        }),
      }));
    },

    /** Tells a user that their timed suspension ended. */
    async suspensionEnded(userId: number): Promise<void> {
      await messenger.send(userId, (t) => ({ text: t('admin-notice-suspension-ended') }));
    },
  };
}
