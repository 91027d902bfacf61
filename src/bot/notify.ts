// Messages the bot sends outside a conversation, for the jobs: delivery of a paid order with the
// seller's sale notice, earnings leaving escrow, the end of a timed suspension. Each goes out in
// the recipient's language.
import type { Api } from 'grammy';
import { formatUsd } from '../domain/index.ts';
import type { DeliveryChannel } from '../jobs/index.ts';
import type { Logger } from '../log.ts';
import { DownloadRateLimitedError, type Services } from '../services/index.ts';
import type { Order } from '../services/orders.ts';
import { MENU_ACTIONS } from './features/menu.ts';
import type { Translator } from './i18n.ts';
import { createMessenger } from './messenger.ts';
import { button, keyboard, urlButton } from './ui/keyboard.ts';

export interface NotifierDeps {
  api: Api;
  services: Pick<Services, 'accounts' | 'downloads'>;
  i18n: Translator;
  /** Where buyers open download links: `${publicUrl}/download/<token>`. */
  publicUrl: string;
  log: Logger;
}

export function createNotifier({ api, services, i18n, publicUrl, log }: NotifierDeps): DeliveryChannel {
  const messenger = createMessenger({ api, i18n, accounts: services.accounts, log });

  return {
    /** Sends the buyer their purchase with a one-time link; throws if Telegram fails (the job retries). */
    async deliverOrder(order: Order): Promise<void> {
      const link = await services.downloads.createLink(order.buyerId, order.id).catch((error: unknown) => {
        if (error instanceof DownloadRateLimitedError) return null; // the library gives one later
        throw error;
      });
      await messenger.send(order.buyerId, (t) => ({
        text: t('notify-delivered', { title: order.productTitle, order: order.id }),
        options: {
          reply_markup: keyboard(
            ...(link ? [[urlButton(t('notify-download'), `${publicUrl}/download/${link.token}`)]] : []),
            [button(t('notify-library'), MENU_ACTIONS.library)],
          ),
        },
      }));
      await messenger.trySend(
        order.sellerId,
        (t) => ({
          text: t('notify-sale', { title: order.productTitle, amount: formatUsd(order.priceCents) }),
        }),
        'Sale notice',
      );
    },

    /** Tells a seller that earnings left escrow. */
    async payoutsAvailable(notice): Promise<void> {
      await messenger.send(notice.sellerId, (t) => ({
        text: t('notify-payouts-available', {
          amount: formatUsd(notice.totalCents),
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
