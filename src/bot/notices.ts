// Notices to sellers and buyers about someone else's action: a product banned by an admin, a
// review posted or edited, a new file version published; and to a seller, a file that arrived
// through the upload page. Each goes through the messenger in the
// recipient's language; a notice that cannot be sent is logged and loses nothing else.
import type { Product } from '../services/products.ts';
import type { Review } from '../services/reviews.ts';
import type { CompletedFileUpload } from '../services/uploads.ts';
import type { FeatureDeps, Translate } from './context.ts';
import { BUYER_ACTIONS } from './features/buyer-shared.ts';
import { MENU_ACTIONS } from './features/menu.ts';
import { SELL } from './features/sell/state.ts';
import type { Compose } from './messenger.ts';
import { callbackData } from './ui/callback-data.ts';
import { formatSize } from './ui/format.ts';
import { button, keyboard } from './ui/keyboard.ts';

export type NoticeDeps = Pick<FeatureDeps, 'messenger'> & {
  services: Pick<FeatureDeps['services'], 'accounts'>;
};

/**
 * Tells the seller that an admin banned their product, with the reason, and that it stays off
 * sale until an admin restores it. For the admin console: call it with the product
 * `moderation.banProduct` returns, after that call succeeded. False when it could not be sent.
 */
export function notifyBan(
  deps: NoticeDeps,
  product: Pick<Product, 'id' | 'sellerId' | 'title' | 'banReason'>,
): Promise<boolean> {
  return deps.messenger.trySend(
    product.sellerId,
    (t) => ({
      text: t('notice-product-banned', {
        title: product.title,
        id: product.id,
        reason: product.banReason ?? '—',
      }),
      options: {
        reply_markup: keyboard(
          [button(t('notice-button-open-product'), callbackData(SELL.product, product.id))],
          [button(t('button-support'), MENU_ACTIONS.support)],
        ),
      },
    }),
    'Ban notice',
  );
}

/** Tells the seller about a review once the buyer finished it (stars and optional text), or edited it. */
export function notifyReview(
  deps: NoticeDeps,
  sellerId: number,
  title: string,
  review: Pick<Review, 'rating' | 'body'>,
  edited: boolean,
): Promise<boolean> {
  const compose: Compose = (t) => {
    const variables = {
      title,
      stars: '⭐'.repeat(review.rating),
      comment: review.body ?? '',
      hasComment: review.body ? 'yes' : 'no',
    };
    return {
      text: edited ? t('notice-review-edited', variables) : t('notice-review-new', variables),
    };
  };
  return deps.messenger.trySend(sellerId, compose, 'Review notice');
}

export interface NewVersionNotice {
  title: string;
  version: number;
  fileName: string;
  sizeBytes: number;
  /** Each buyer's latest paid order of the product and the version it bought. */
  recipients: readonly { buyerId: number; orderId: string; boughtVersion: number | null }[];
}

/**
 * Tells each earlier buyer that a new version is out, with a button to download it; the version
 * they bought stays in their library. Sent one after the other (Telegram's pace is kept by
 * auto-retry); returns how many were sent.
 */
export async function notifyNewVersion(deps: NoticeDeps, notice: NewVersionNotice): Promise<number> {
  let sent = 0;
  for (const recipient of notice.recipients) {
    const language = await deps.services.accounts.languageOf(recipient.buyerId);
    const delivered = await deps.messenger.trySend(
      recipient.buyerId,
      (t) => ({
        text: t('notice-new-version', {
          title: notice.title,
          version: notice.version,
          file: notice.fileName,
          size: formatSize(language, notice.sizeBytes),
          bought: recipient.boughtVersion ?? 1,
        }),
        options: {
          reply_markup: keyboard(
            [
              button(
                t('notice-button-download-version', { version: notice.version }),
                callbackData(BUYER_ACTIONS.downloadVersion, recipient.orderId, notice.version),
              ),
            ],
            [button(t('notice-button-library'), MENU_ACTIONS.library)],
          ),
        },
      }),
      'New version notice',
    );
    if (delivered) sent++;
  }
  return sent;
}

/**
 * Tells the seller, in the chat, that the file they sent through the upload page arrived, with
 * what comes next: publish the draft, see the replaced file, or publish the waiting version.
 * Covers and previews need no notice (the page says so). False when nothing was sent.
 */
export async function notifyUploaded(
  deps: NoticeDeps & { services: Pick<FeatureDeps['services'], 'accounts' | 'files'> },
  sellerId: number,
  upload: CompletedFileUpload,
): Promise<boolean> {
  if (upload.kind !== 'file' || upload.outcome === null) return false;
  const { productId, productTitle: title, fileName: file } = upload;
  const language = await deps.services.accounts.languageOf(sellerId);
  const size = formatSize(language, upload.size);
  const open = (t: Translate) => button(t('sell-button-open-product'), callbackData(SELL.product, productId));
  if (upload.outcome === 'pending') {
    const { published } = await deps.services.files.versions(sellerId, productId);
    const version = (published[0]?.version ?? 0) + 1;
    return deps.messenger.trySend(
      sellerId,
      (t) => ({
        text: t('sell-version-ready', { title, version, file, size }),
        options: {
          reply_markup: keyboard(
            [
              button(
                t('sell-button-publish-version', { version }),
                callbackData(SELL.publishVersion, productId),
              ),
            ],
            [button(t('sell-button-discard-version'), callbackData(SELL.discardVersion, productId)), open(t)],
          ),
        },
      }),
      'Upload notice',
    );
  }
  const first = upload.outcome === 'first';
  return deps.messenger.trySend(
    sellerId,
    (t) => ({
      text: first
        ? t('notice-upload-ready', { title, file, size })
        : t('notice-upload-replaced', { title, file, size }),
      options: {
        reply_markup: keyboard(
          [first && button(t('sell-button-publish'), callbackData(SELL.activate, productId))],
          [open(t)],
        ),
      },
    }),
    'Upload notice',
  );
}
