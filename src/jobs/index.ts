// Background jobs on pg-boss, inside PostgreSQL and on our pool: order delivery (retried with
// backoff until the bot succeeds, ended at once for a buyer who blocked the bot), order expiry, escrow release, download-token cleanup, the end
// of timed suspensions, the daily database backup (then its 30-day retention) and the purge of
// long-deleted products' files. The periodic ones are pg-boss schedules, so several instances
// run each one once. The queue starts first (services enqueue deliveries in their
// transactions); the workers start once whatever delivers (the bot) exists.
import { setTimeout as sleep } from 'node:timers/promises';
import { type JobResult, PgBoss, type Queue } from 'pg-boss';
import type { Queryable } from '../db/index.ts';
import type { Logger } from '../log.ts';
import type { EnqueueDelivery } from '../services/completion.ts';
import type { Services } from '../services/index.ts';
import type { Order, Reach } from '../services/orders.ts';
import type { PayoutNotifier } from '../services/payouts.ts';
import { bossDb } from './boss-db.ts';

export const QUEUES = {
  deliver: 'deliver_order',
  expireOrders: 'expire_orders',
  releaseEscrow: 'release_escrow',
  cleanDownloadTokens: 'clean_download_tokens',
  sweepUploads: 'sweep_uploads',
  endSuspensions: 'end_suspensions',
  backupDatabase: 'backup_database',
  purgeDeletedFiles: 'purge_deleted_files',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** What the workers send through: the bot, or a stand-in when it is off. */
export interface DeliveryChannel {
  /**
   * Sends a paid order to its buyer: 'unreachable' when they blocked the bot or deleted their
   * account (the job ends, the order waits for them); throws on any other failure (the job retries).
   */
  deliverOrder(order: Order): Promise<Reach>;
  /** Tells the seller of the sale, with the same outcomes; independent of the buyer's message. */
  notifySale(order: Order): Promise<Reach>;
  /** Tells a seller that earnings left escrow. */
  payoutsAvailable: PayoutNotifier;
  /** Tells a user that their timed suspension ended. */
  suspensionEnded(userId: number): Promise<void>;
}

/** The backup service's part the daily job runs: a snapshot to storage, then the retention. */
export interface BackupJobs {
  backup(): Promise<unknown>;
  prune(): Promise<unknown>;
}

/** The purge service's part its job runs. */
export interface PurgeJobs {
  purgeDeletedProductFiles(): Promise<unknown>;
}

export type JobServices = Pick<Services, 'orders' | 'payouts' | 'downloads' | 'moderation' | 'uploads'> & {
  /** Without it the backup job is not scheduled (and says so at start). */
  backups?: BackupJobs | undefined;
  /** Without it the purge job is not scheduled (and says so at start). */
  purge?: PurgeJobs | undefined;
};

export interface JobSettings {
  /** PostgreSQL schema of pg-boss's tables. Default 'pgboss'. */
  schema: string;
  /** How often an idle worker looks for work. */
  pollingIntervalSeconds: number;
  /** Periodic jobs run on their cron schedules; off in tests that trigger them by hand. */
  schedule: boolean;
  deliveryRetryLimit: number;
  deliveryRetryDelaySeconds: number;
  deliveryRetryBackoff: boolean;
  /** Deliveries one worker takes at a time, started evenly over the polling interval. */
  deliveryBatchSize: number;
  /** The delivery worker takes a batch at most this often (and looks this often when idle). */
  deliveryPollingIntervalSeconds: number;
  expireOrdersCron: string;
  releaseEscrowCron: string;
  cleanDownloadTokensCron: string;
  sweepUploadsCron: string;
  /** Unfinished page uploads idle this long are aborted and their parts removed. */
  abandonedUploadSeconds: number;
  endSuspensionsCron: string;
  /** Daily, at a quiet hour (UTC). */
  backupCron: string;
  purgeCron: string;
  pendingOrderTtlSeconds: number;
}

export const DEFAULT_JOB_SETTINGS: JobSettings = Object.freeze({
  schema: 'pgboss',
  pollingIntervalSeconds: 2,
  schedule: true,
  // 10 s doubling: the last of 20 tries comes weeks later; a dead bot token is an operator matter.
  deliveryRetryLimit: 20,
  deliveryRetryDelaySeconds: 10,
  deliveryRetryBackoff: true,
  // Ten deliveries a second, two messages each (buyer, seller): 20 messages a second, within the
  // 30 Telegram accepts from a bot, with room left for the bot's answers.
  deliveryBatchSize: 10,
  deliveryPollingIntervalSeconds: 1,
  expireOrdersCron: '* * * * *',
  releaseEscrowCron: '*/5 * * * *',
  cleanDownloadTokensCron: '17 * * * *',
  sweepUploadsCron: '43 3 * * *',
  abandonedUploadSeconds: 24 * 3600,
  endSuspensionsCron: '* * * * *',
  backupCron: '30 3 * * *',
  purgeCron: '45 4 * * *',
  pendingOrderTtlSeconds: 3600,
});

export interface JobQueueOptions {
  /** The pool pg-boss runs on (type only: it reaches the database through our Queryable). */
  db: Queryable;
  log: Logger;
  settings?: Partial<JobSettings>;
}

export interface JobQueue {
  /** Queues a paid order's delivery in the caller's transaction. */
  enqueueDelivery: EnqueueDelivery;
  /** Starts the workers and the schedules. */
  startWorkers(deps: { services: JobServices; channel: DeliveryChannel }): Promise<void>;
  /** Runs a periodic job now (admin command, tests). */
  trigger(queue: Exclude<QueueName, 'deliver_order'>): Promise<void>;
  /** Stops fetching, waits for the jobs in flight (up to `timeoutMs`), then returns. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/** Creates pg-boss's schema if needed (through our pool) and its queues; no worker runs yet. */
export async function startJobQueue({
  db,
  log: parentLog,
  settings = {},
}: JobQueueOptions): Promise<JobQueue> {
  const config = { ...DEFAULT_JOB_SETTINGS, ...settings };
  const log = parentLog.child({ component: 'jobs' });
  // Finished jobs are kept a week for investigation (pg-boss's default deleteAfterSeconds per
  // queue), then removed by its maintenance.
  const boss = new PgBoss({
    db: bossDb(db),
    schema: config.schema,
    schedule: config.schedule,
  });
  boss.on('error', (error) => log.error({ err: error }, 'pg-boss error'));
  await refuseOlderJobTables(boss, config.schema);
  await boss.start();

  await createQueue(boss, QUEUES.deliver, {
    retryLimit: config.deliveryRetryLimit,
    retryDelay: config.deliveryRetryDelaySeconds,
    retryBackoff: config.deliveryRetryBackoff,
    expireInSeconds: 120,
  });
  for (const name of [
    QUEUES.expireOrders,
    QUEUES.releaseEscrow,
    QUEUES.cleanDownloadTokens,
    QUEUES.sweepUploads,
    QUEUES.endSuspensions,
    QUEUES.purgeDeletedFiles,
  ]) {
    // A periodic run that fails is simply done again at the next tick.
    await createQueue(boss, name, { retryLimit: 0, expireInSeconds: 600 });
  }
  // A day without a backup is not left to the next day: a failed one is tried again within hours.
  await createQueue(boss, QUEUES.backupDatabase, {
    retryLimit: 3,
    retryDelay: 1800,
    expireInSeconds: 4 * 3600,
  });

  async function startWorkers({ services, channel }: { services: JobServices; channel: DeliveryChannel }) {
    const work = { pollingIntervalSeconds: config.pollingIntervalSeconds, batchSize: 1 };
    // Deliveries are taken a batch at a time, at most one batch a second, and started evenly over
    // that second: a burst of sales goes out at the pace Telegram accepts, not one per poll, and
    // never takes the server's CPU and connections all at once from the payments still coming.
    // Each job of a batch succeeds or fails (and is retried) on its own.
    const spacingMs = (config.deliveryPollingIntervalSeconds * 1000) / config.deliveryBatchSize;
    const deliveries = {
      pollingIntervalSeconds: config.deliveryPollingIntervalSeconds,
      batchSize: config.deliveryBatchSize,
      perJobResults: true,
    } as const;
    await boss.work<{ orderId: string }, unknown, typeof deliveries>(QUEUES.deliver, deliveries, (jobs) =>
      Promise.all(
        jobs.map(async (job, i): Promise<JobResult> => {
          const { orderId } = job.data;
          if (i > 0) await sleep(i * spacingMs);
          try {
            const report = await services.orders.deliver(orderId, {
              toBuyer: (order) => channel.deliverOrder(order),
              toSeller: (order) => channel.notifySale(order),
            });
            log.info({ orderId, ...report }, 'Delivery job done');
            return { id: job.id, status: 'completed' };
          } catch (error) {
            // The message only: a network error's cause may quote the request URL, bot token included.
            const failure =
              error instanceof Error
                ? { name: error.name, message: error.message }
                : { message: String(error) };
            log.warn({ failure, orderId, attempt: job.retryCount + 1 }, 'Delivery failed; retried later');
            return { id: job.id, status: 'failed', output: failure };
          }
        }),
      ),
    );
    await boss.work(QUEUES.expireOrders, work, async () => {
      await services.orders.expireUnpaid({
        pendingOrderTtlSeconds: config.pendingOrderTtlSeconds,
        batchSize: 500,
      });
    });
    await boss.work(QUEUES.releaseEscrow, work, async () => {
      await services.payouts.releaseEscrow(channel.payoutsAvailable);
    });
    await boss.work(QUEUES.cleanDownloadTokens, work, async () => {
      const deleted = await services.downloads.cleanExpiredTokens();
      if (deleted > 0) log.info({ deleted }, 'Expired download tokens removed');
    });
    await boss.work(QUEUES.sweepUploads, work, async () => {
      const olderThan = new Date(Date.now() - config.abandonedUploadSeconds * 1000);
      const swept = await services.uploads.sweepAbandoned(olderThan);
      if (swept.uploads + swept.orphans > 0) log.info(swept, 'Abandoned uploads removed');
    });
    await boss.work(QUEUES.endSuspensions, work, async () => {
      const restored = await services.moderation.endDueSuspensions();
      if (restored.length > 0) log.info({ restored: restored.length }, 'Timed suspensions ended');
      // After the commit: the account is active whether or not the notice arrives.
      for (const user of restored) {
        await channel.suspensionEnded(user.id).catch((error: unknown) => {
          log.warn({ err: error, userId: user.id }, 'Suspension end notice not sent');
        });
      }
    });
    const { backups, purge } = services;
    if (backups) {
      await boss.work(QUEUES.backupDatabase, work, async () => {
        // Old snapshots are pruned only once today's is stored.
        await backups.backup();
        await backups.prune();
      });
    } else log.warn({}, 'No backup service: the daily backup job is off');
    if (purge) {
      await boss.work(QUEUES.purgeDeletedFiles, work, async () => {
        await purge.purgeDeletedProductFiles();
      });
    } else log.warn({}, 'No purge service: the purge of deleted products files is off');
    if (config.schedule) {
      await boss.schedule(QUEUES.sweepUploads, config.sweepUploadsCron);
      await boss.schedule(QUEUES.expireOrders, config.expireOrdersCron);
      await boss.schedule(QUEUES.releaseEscrow, config.releaseEscrowCron);
      await boss.schedule(QUEUES.cleanDownloadTokens, config.cleanDownloadTokensCron);
      await boss.schedule(QUEUES.endSuspensions, config.endSuspensionsCron);
      // A schedule left by an earlier run would pile up jobs nobody works on: drop it.
      if (backups) await boss.schedule(QUEUES.backupDatabase, config.backupCron);
      else await boss.unschedule(QUEUES.backupDatabase);
      if (purge) await boss.schedule(QUEUES.purgeDeletedFiles, config.purgeCron);
      else await boss.unschedule(QUEUES.purgeDeletedFiles);
    }
    log.info({ schema: config.schema, schedule: config.schedule }, 'Jobs started');
  }

  return {
    enqueueDelivery: async (q, orderId) => {
      const id = await boss.send(QUEUES.deliver, { orderId }, { db: bossDb(q) });
      if (id === null) throw new Error(`The delivery of order ${orderId} could not be queued`);
    },
    startWorkers,
    trigger: async (queue) => {
      await boss.send(queue, {});
    },
    stop: async ({ timeoutMs = 10_000 } = {}) => {
      // Graceful: waits for the jobs in flight (up to the timeout); our pool stays open, closed last.
      await boss.stop({ graceful: true, timeout: timeoutMs });
      log.info('Jobs stopped');
    },
  };
}

/** The first schema version pg-boss 12 can migrate from: 11.0 rewrote the tables of 10 (version 24). */
const FIRST_MIGRATABLE_SCHEMA_VERSION = 25;

/** pg-boss 10's tables cannot be upgraded in place: say so, and how, before pg-boss tries. */
async function refuseOlderJobTables(boss: PgBoss, schema: string): Promise<void> {
  if (!(await boss.isInstalled())) return;
  const version = await boss.schemaVersion();
  if (version !== null && version < FIRST_MIGRATABLE_SCHEMA_VERSION) {
    throw new Error(
      `The job tables in schema ${schema} come from pg-boss 10 or older (schema version ${version}); pg-boss 12 cannot ` +
        'upgrade them in place. Stop every running instance, run `npm run jobs:upgrade` once (it keeps the ' +
        'old tables and carries their waiting jobs over), then start again.',
    );
  }
}

async function createQueue(boss: PgBoss, name: string, options: Omit<Queue, 'name'>): Promise<void> {
  // create_queue ignores an existing queue: update it so changed settings apply on restart.
  await boss.createQueue(name, options);
  await boss.updateQueue(name, options);
}
