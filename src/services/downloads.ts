// One-time download links. A token is random, given once to the buyer, stored as its hash, valid
// 5 minutes, bound to the buyer and the order, and used at most once; a buyer gets at most 10
// per rolling hour. Redeeming it names the stored object: the HTTP layer streams or redirects.
import type { Queryable } from '../db/index.ts';
import { hashDownloadToken, isDownloadTokenFormat, newDownloadToken } from '../domain/index.ts';
import {
  consumeDownloadToken,
  type DeliverableFile,
  deliverableFile,
  insertDownloadToken,
  lockBuyerForTokens,
  recentTokens,
  recordDownloadEvent,
} from '../repositories/downloads.ts';
import { getOrderForBuyer } from '../repositories/orders.ts';
import {
  ConflictError,
  DownloadLinkInvalidError,
  DownloadRateLimitedError,
  NotFoundError,
} from './errors.ts';

export interface DownloadSettings {
  /** How long a link works (default 300 s). */
  tokenTtlSec: number;
  /** Links a buyer may ask for per rolling window (default 10). */
  maxTokensPerWindow: number;
  /** The rolling window (default 3600 s). */
  windowSec: number;
}

export const DEFAULT_DOWNLOAD_SETTINGS: DownloadSettings = Object.freeze({
  tokenTtlSec: 300,
  maxTokensPerWindow: 10,
  windowSec: 3600,
});

export type IssuedToken = { token: string; orderId: string; expiresAt: Date };

/**
 * A fresh link for the buyer's own paid order. Someone else's order is "not found", as an
 * unknown one is. RateLimitedError past the limit, with how long until the oldest link ages out.
 */
export async function createDownloadToken(
  q: Queryable,
  buyerId: number,
  orderId: string,
  settings: DownloadSettings = DEFAULT_DOWNLOAD_SETTINGS,
): Promise<IssuedToken> {
  const token = newDownloadToken();
  return q.transaction(async (tx) => {
    const order = await getOrderForBuyer(tx, orderId, buyerId);
    if (!order) throw new NotFoundError('order', orderId);
    if (order.status !== 'paid') {
      throw new ConflictError('order_not_paid', 'This order is not paid: there is nothing to download yet.', {
        orderId,
      });
    }
    if (!(await deliverableFile(tx, orderId))) {
      throw new ConflictError('file_unavailable', 'The file of this purchase is no longer stored.', {
        orderId,
      });
    }
    await lockBuyerForTokens(tx, buyerId);
    const recent = await recentTokens(tx, buyerId, settings.windowSec);
    if (recent.count >= settings.maxTokensPerWindow) {
      const ageOutMs = (recent.oldestAt?.getTime() ?? Date.now()) + settings.windowSec * 1000 - Date.now();
      throw new DownloadRateLimitedError(
        settings.maxTokensPerWindow,
        settings.windowSec,
        Math.max(1, Math.ceil(ageOutMs / 1000)),
      );
    }
    const row = await insertDownloadToken(tx, {
      tokenHash: hashDownloadToken(token),
      orderId,
      buyerId,
      ttlSec: settings.tokenTtlSec,
    });
    return { token, orderId, expiresAt: row.expiresAt };
  });
}

/**
 * Uses the token and records the download, in one transaction; returns the object to serve.
 * Unknown, used and expired tokens all get DownloadLinkInvalidError.
 */
export async function redeemDownloadToken(q: Queryable, token: string): Promise<DeliverableFile> {
  if (!isDownloadTokenFormat(token)) throw new DownloadLinkInvalidError();
  return q.transaction(async (tx) => {
    const grant = await consumeDownloadToken(tx, hashDownloadToken(token));
    if (!grant) throw new DownloadLinkInvalidError();
    const file = await deliverableFile(tx, grant.orderId);
    if (!file) throw new DownloadLinkInvalidError();
    await recordDownloadEvent(tx, { orderId: grant.orderId, buyerId: grant.buyerId, channel: 'link' });
    return file;
  });
}
