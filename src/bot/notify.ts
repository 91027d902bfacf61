// Messages the bot sends outside a conversation, for the jobs: delivery of a paid order with the
// seller's sale notice, earnings leaving escrow, the end of a timed suspension. Each goes out in
// the recipient's language.
import type { Api } from 'grammy';
import type { DeliveryChannel } from '../jobs/index.ts';
import type { Logger } from '../log.ts';
import type { Services } from '../services/index.ts';
import type { Order } from '../services/orders.ts';
import { BUYER_ACTIONS } from './features/buyer-shared.ts';
import { MENU_ACTIONS } from './features/menu.ts';
import type { Translator } from './i18n.ts';
import { createMessenger } from './messenger.ts';
import { callbackData } from './ui/callback-data.ts';
import { formatMoney } from './ui/format.ts';
import { button, keyboard } from './ui/keyboard.ts';

export interface NotifierDeps {
  api: Api;
  services: Pick<Services, 'accounts'>;
  i18n: Translator;
  log: Logger;
}

export function createNotifier({ api, services, i18n, log }: NotifierDeps): DeliveryChannel {
  const messenger = createMessenger({ api, i18n, accounts: services.accounts, log });

  return {
    /**
     * Tells the buyer their purchase is ready, with a Download button that asks for a one-time link
     * when it is pressed (a link minted now would expire before a late reader opens it). Throws if
     * Telegram fails: the job retries.
     */
    async deliverOrder(order: Order): Promise<void> {
      const free = order.totalCents === 0;
      await messenger.send(order.buyerId, (t) => ({
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
      await messenger.trySend(
        order.sellerId,
        (t, language) => ({
          text: free
            ? t('notify-free-download', { title: order.productTitle })
            : t('notify-sale', {
                title: order.productTitle,
                amount: formatMoney(language, order.priceCents),
              }),
        }),
        'Sale notice',
      );
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
