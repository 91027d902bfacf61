// What the people an admin acted on are told, after the action committed, in their own language
// (amounts and dates written their way): a suspension with its reason and end, a restore, a
// product back, a payout with its transaction (a ban's notice is the shared `notifyBan`). Best
// effort: the action stands whether or not the message arrives.
import type { Product } from '../../../services/moderation.ts';
import type { PaidBatch } from '../../../services/payouts.ts';
import type { FeatureDeps, Language, Translate } from '../../context.ts';
import type { Compose } from '../../messenger.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { formatDateTime, formatMoney } from '../../ui/format.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import { MENU_ACTIONS } from '../menu.ts';
import { SELLER_PAYOUTS } from '../sell/payouts.ts';

type NoticeDeps = Pick<FeatureDeps, 'messenger' | 'services'>;

async function tell(
  deps: NoticeDeps,
  userId: number,
  what: string,
  compose: (t: Translate, language: Language) => ReturnType<Compose>,
): Promise<boolean> {
  const language = await deps.services.accounts.languageOf(userId);
  return deps.messenger.trySend(userId, (t) => compose(t, language), what);
}

export function tellSuspended(
  deps: NoticeDeps,
  userId: number,
  suspension: { reason: string; until: Date | null },
): Promise<boolean> {
  return tell(deps, userId, 'Suspension notice', (t, language) => ({
    text: t('admin-notice-suspended', {
      reason: suspension.reason,
      until: suspension.until ? formatDateTime(language, suspension.until) : '',
      timed: suspension.until ? 'yes' : 'no',
    }),
    options: { reply_markup: keyboard([button(t('button-support'), MENU_ACTIONS.support)]) },
  }));
}

export function tellRestored(deps: NoticeDeps, userId: number): Promise<boolean> {
  return tell(deps, userId, 'Restore notice', (t) => ({ text: t('admin-notice-restored') }));
}

export function tellProductRestored(deps: NoticeDeps, product: Product): Promise<boolean> {
  return tell(deps, product.sellerId, 'Product restore notice', (t) => ({
    text: t('admin-notice-product-restored', {
      title: product.title,
      id: product.id,
      status: product.status,
    }),
  }));
}

/** One notice per seller paid in the batch: their amount, how many sales, the transaction. */
export async function tellPaid(deps: NoticeDeps, batch: PaidBatch): Promise<number> {
  let told = 0;
  for (const seller of batch.sellers) {
    const sent = await tell(deps, seller.sellerId, 'Payout notice', (t, language) => ({
      text: t('admin-notice-paid', {
        amount: formatMoney(language, seller.totalCents),
        count: seller.lines,
        tx: batch.txHash,
      }),
      options: {
        reply_markup: keyboard([button(t('sell-button-payouts'), callbackData(SELLER_PAYOUTS, 0))]),
      },
    }));
    if (sent) told++;
  }
  return told;
}
