// The only door to data: every use case and every read an adapter needs, built once from its
// dependencies. Services take the Database itself, never an open transaction, so a service that
// calls the network after its commit cannot be handed a connection to hold meanwhile.
import type { Database } from '../db/index.ts';
import type { FeePolicy } from '../domain/index.ts';
import { type BusinessEvents, NO_EVENTS } from '../events.ts';
import type { NowPaymentsClient } from '../integrations/nowpayments/index.ts';
import type { Logger } from '../log.ts';
import type { LocalFileStorage, S3FileStorage } from '../storage/index.ts';
import { createAccountService } from './accounts.ts';
import { createAnalyticsService } from './analytics.ts';
import { createBackupService } from './backups.ts';
import { createCatalogService } from './catalog.ts';
import { createCheckoutService } from './checkout.ts';
import { createCompletionService, type EnqueueDelivery } from './completion.ts';
import { createDownloadService, type DownloadSettings } from './downloads.ts';
import { createExportService } from './exports.ts';
import { createHealthService } from './health.ts';
import { createLeaseService } from './leases.ts';
import { createLibraryService } from './library.ts';
import { createLibraryPageService } from './library-page.ts';
import { createModerationService } from './moderation.ts';
import { createOrderService } from './orders.ts';
import { createPayoutService } from './payouts.ts';
import { createProductFileService } from './product-files.ts';
import { createProductService } from './products.ts';
import { createPurgeService } from './purge.ts';
import { createRateLimitService } from './rate-limits.ts';
import { createReviewService } from './reviews.ts';
import { createSessionService } from './sessions.ts';
import { createSupportService } from './support.ts';
import { createTelegramFileService } from './telegram-files.ts';
import { createUploadService } from './uploads.ts';

export interface ServiceSettings {
  /** Telegram ids from ADMIN_IDS. */
  adminIds: ReadonlySet<number>;
  /** Coins offered at checkout (NOWPayments codes). */
  payCurrencies: readonly string[];
  /** Where NOWPayments posts IPNs. */
  ipnCallbackUrl: string;
  downloads: DownloadSettings;
  uploadUrlTtlSec: number;
  healthTimeoutMs: number;
  feePolicy?: FeePolicy;
  escrowSeconds?: number;
}

export interface ServiceDeps {
  db: Database;
  /** The configured backend (resumable uploads need its concrete kind). */
  storage: LocalFileStorage | S3FileStorage;
  nowPayments: NowPaymentsClient;
  /** Queues a paid order's delivery in the transaction that pays it (the job queue). */
  enqueueDelivery: EnqueueDelivery;
  log: Logger;
  settings: ServiceSettings;
  /** Told of paid orders, downloads and payouts once they committed (metrics). */
  events?: BusinessEvents;
}

export function createServices({
  db,
  storage,
  nowPayments,
  enqueueDelivery,
  log,
  settings,
  events = NO_EVENTS,
}: ServiceDeps) {
  const escrow = settings.escrowSeconds === undefined ? {} : { escrowSeconds: settings.escrowSeconds };
  const files = createProductFileService({ db, storage, log, uploadUrlTtlSec: settings.uploadUrlTtlSec });
  return {
    accounts: createAccountService({ db, events }),
    catalog: createCatalogService({ db, storage, log }),
    products: createProductService({ db, storage, log }),
    files,
    uploads: createUploadService({ db, storage, files, log, partUrlTtlSec: settings.uploadUrlTtlSec }),
    libraryPage: createLibraryPageService({ db, storage }),
    analytics: createAnalyticsService({ db }),
    checkout: createCheckoutService({
      db,
      nowPayments,
      enqueueDelivery,
      log,
      ipnCallbackUrl: settings.ipnCallbackUrl,
      payCurrencies: settings.payCurrencies,
      events,
      ...(settings.feePolicy ? { feePolicy: settings.feePolicy } : {}),
      ...escrow,
    }),
    completion: createCompletionService({ db, nowPayments, enqueueDelivery, log, events, ...escrow }),
    orders: createOrderService({ db, log, enqueueDelivery }),
    library: createLibraryService({ db }),
    downloads: createDownloadService({ db, storage, events, settings: settings.downloads }),
    reviews: createReviewService({ db }),
    support: createSupportService({ db }),
    moderation: createModerationService({ db, adminIds: settings.adminIds }),
    payouts: createPayoutService({ db, log, events }),
    exports: createExportService({ db }),
    sessions: createSessionService({ db }),
    telegramFiles: createTelegramFileService({ db }),
    leases: createLeaseService({ db }),
    rateLimits: createRateLimitService({ db }),
    health: createHealthService({ db, timeoutMs: settings.healthTimeoutMs }),
    backups: createBackupService({ db, storage, log }),
    purge: createPurgeService({ db, storage, log }),
  };
}

export type Services = ReturnType<typeof createServices>;

export * from './errors.ts';
