// One-time download links. A token is random, given once to the buyer, stored as its hash, valid
// 5 minutes, bound to the buyer, the order and one file version, and used at most once; a buyer
// gets at most 10 per rolling hour. Opening a link checks everything it can (the token, the file, the range)
// before using the token, so a refused request leaves the link working.
import type { Readable } from 'node:stream';
import type { Database } from '../db/index.ts';
import {
  hashDownloadToken,
  isDownloadTokenFormat,
  newDownloadToken,
  safeDownloadType,
} from '../domain/index.ts';
import { type BusinessEvents, NO_EVENTS } from '../events.ts';
import {
  consumeDownloadToken,
  type DeliverableFile,
  deleteExpiredTokens,
  deliverableFile,
  findUsableToken,
  insertDownloadToken,
  lockBuyerForTokens,
  recentTokens,
  recordDownloadEvent,
} from '../repositories/downloads.ts';
import { getOrderForBuyer } from '../repositories/orders.ts';
import {
  type ByteRange,
  type FileStorage,
  parseRangeHeader,
  RangeNotSatisfiableError,
} from '../storage/index.ts';
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

export type IssuedToken = {
  token: string;
  orderId: string;
  /** The file version the link serves. */
  version: number;
  fileName: string;
  expiresAt: Date;
};

/** What a link delivers: a short-lived signed storage URL, or the bytes (whole or a range). */
export type Delivery =
  | { kind: 'redirect'; url: string }
  | {
      kind: 'stream';
      file: DeliverableFile;
      contentType: string;
      size: number;
      range: ByteRange | null;
      body: Readable;
    };

/** The buyer asked for a version their order may not get (an older one, or one not published). */
export class FileVersionUnavailableError extends ConflictError {
  constructor(orderId: string, version: number) {
    super('file_version_unavailable', 'This version of the file is not one this purchase gives.', {
      orderId,
      version,
    });
  }
}

/** A purchased file to send as a document: what it is, and its bytes streamed from storage. */
export type ChatCopy = { file: DeliverableFile; open: () => Promise<Readable> };

export interface DownloadDeps {
  db: Database;
  storage: FileStorage;
  settings?: DownloadSettings;
  /** Lifetime of the signed storage URL a download redirects to (default 60 s). */
  signedUrlTtlSec?: number;
  /** Told when a link starts a download. */
  events?: BusinessEvents;
}

export function createDownloadService({
  db,
  storage,
  settings = DEFAULT_DOWNLOAD_SETTINGS,
  signedUrlTtlSec = 60,
  events = NO_EVENTS,
}: DownloadDeps) {
  /** Uses the token and records the download in one transaction; false when another request won. */
  async function consume(token: string, file: DeliverableFile): Promise<boolean> {
    return db.transaction(async (tx) => {
      const grant = await consumeDownloadToken(tx, hashDownloadToken(token));
      if (!grant) return false;
      await recordDownloadEvent(tx, {
        orderId: file.orderId,
        buyerId: file.buyerId,
        channel: 'link',
        version: file.version,
      });
      return true;
    });
  }

  return {
    settings,

    /**
     * A fresh link for the buyer's own paid order, to `version` (one the order may get: the one it
     * bought or a later one) or by default the latest it may get. Someone else's order is "not
     * found", as an unknown one is; a version the order may not get is `file_version_unavailable`.
     * DownloadRateLimitedError past the limit, with how long until the oldest link ages out.
     */
    async createLink(buyerId: number, orderId: string, version?: number): Promise<IssuedToken> {
      const token = newDownloadToken();
      return db.transaction(async (tx) => {
        const order = await getOrderForBuyer(tx, orderId, buyerId);
        if (!order) throw new NotFoundError('order', orderId);
        if (order.status !== 'paid') {
          throw new ConflictError(
            'order_not_paid',
            'This order is not paid: there is nothing to download yet.',
            {
              orderId,
            },
          );
        }
        const file = await deliverableFile(tx, orderId, version === undefined ? 'latest' : { version });
        if (!file && version !== undefined) throw new FileVersionUnavailableError(orderId, version);
        if (!file) {
          throw new ConflictError('file_unavailable', 'The file of this purchase is no longer stored.', {
            orderId,
          });
        }
        await lockBuyerForTokens(tx, buyerId);
        const recent = await recentTokens(tx, buyerId, settings.windowSec);
        if (recent.count >= settings.maxTokensPerWindow) {
          const ageOutMs =
            (recent.oldestAt?.getTime() ?? Date.now()) + settings.windowSec * 1000 - Date.now();
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
          fileVersionId: file.fileVersionId,
          ttlSec: settings.tokenTtlSec,
        });
        return { token, orderId, version: file.version, fileName: file.fileName, expiresAt: row.expiresAt };
      });
    },

    /**
     * Opens a link: unknown, used and expired tokens all get DownloadLinkInvalidError; a range
     * outside the file is RangeNotSatisfiableError. Either way the token is not used.
     */
    async open(token: string, rangeHeader?: string): Promise<Delivery> {
      if (!isDownloadTokenFormat(token)) throw new DownloadLinkInvalidError();
      const grant = await findUsableToken(db, hashDownloadToken(token));
      const choice = grant?.fileVersionId == null ? 'latest' : { fileVersionId: grant.fileVersionId };
      const file = grant ? await deliverableFile(db, grant.orderId, choice) : null;
      if (!file) throw new DownloadLinkInvalidError();
      const signed = await storage.downloadUrl(file.storageKey, {
        expiresInSec: signedUrlTtlSec,
        fileName: file.fileName,
        contentType: safeDownloadType(file.contentType),
      });
      if (signed) {
        if (!(await consume(token, file))) throw new DownloadLinkInvalidError();
        events.downloadServed();
        return { kind: 'redirect', url: signed };
      }
      const info = await storage.stat(file.storageKey);
      if (!info) throw new NotFoundError('file', file.orderId);
      const range = parseRangeHeader(rangeHeader, info.size);
      if (range === 'unsatisfiable') throw new RangeNotSatisfiableError(file.fileName, info.size);
      if (!(await consume(token, file))) throw new DownloadLinkInvalidError();
      events.downloadServed();
      const body = await storage.read(file.storageKey, range ?? undefined);
      return {
        kind: 'stream',
        file,
        contentType: info.contentType || file.contentType,
        size: info.size,
        range,
        body,
      };
    },

    /**
     * The file of a paid order to send in the chat as a document, when it weighs at most
     * `maxBytes` and is still stored; null otherwise (the Download button stays the way).
     */
    async chatCopy(orderId: string, maxBytes: number): Promise<ChatCopy | null> {
      const file = await deliverableFile(db, orderId);
      if (!file || file.sizeBytes > maxBytes) return null;
      return { file, open: () => storage.read(file.storageKey) };
    },

    /** The copy sent in the chat is part of the download history. */
    async recordChatCopy(file: DeliverableFile): Promise<void> {
      await recordDownloadEvent(db, {
        orderId: file.orderId,
        buyerId: file.buyerId,
        channel: 'telegram',
        version: file.version,
      });
    },

    /** Removes tokens that expired over a day ago; returns how many. */
    cleanExpiredTokens(): Promise<number> {
      return deleteExpiredTokens(db);
    },
  };
}

export type DownloadService = ReturnType<typeof createDownloadService>;
