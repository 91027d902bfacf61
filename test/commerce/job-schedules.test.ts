// When the periodic jobs run: pg-boss schedules written at start, one per periodic job, with the
// daily backup and purge only when their service is there (a schedule left from an earlier run is
// dropped, so no job piles up without a worker).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_JOB_SETTINGS,
  type DeliveryChannel,
  type JobServices,
  QUEUES,
  startJobQueue,
} from '../../src/jobs/index.ts';
import { createDownloadService } from '../../src/services/downloads.ts';
import { createModerationService } from '../../src/services/moderation.ts';
import { createOrderService } from '../../src/services/orders.ts';
import { createPayoutService } from '../../src/services/payouts.ts';
import { localStorage } from '../aftersale/fixtures.ts';
import { testServices } from '../support/services.ts';
import { commerceDatabase, silentLog } from './fixtures.ts';

const db = await commerceDatabase(4);
const storage = await localStorage();
const SCHEMA = 'pgboss_schedules';

const services: JobServices = {
  orders: createOrderService({
    db,
    log: silentLog,
    enqueueDelivery: () => Promise.reject(new Error('no delivery in these tests')),
  }),
  payouts: createPayoutService({ db, log: silentLog }),
  downloads: createDownloadService({ db, storage }),
  moderation: createModerationService({ db, adminIds: new Set() }),
  uploads: (await testServices(db, { storage })).uploads,
};
const channel: DeliveryChannel = {
  deliverOrder: async () => 'sent',
  notifySale: async () => 'sent',
  payoutsAvailable: async () => {},
  suspensionEnded: async () => {},
};
// Stand-ins for the backup and purge services (they have their own tests).
const backups = { backup: async () => {}, prune: async () => {} };
const purge = { purgeDeletedProductFiles: async () => {} };

async function schedules(): Promise<Record<string, string>> {
  const rows = await db.many<{ name: string; cron: string }>(`SELECT name, cron FROM ${SCHEMA}.schedule`);
  return Object.fromEntries(rows.map((r) => [r.name, r.cron]));
}

async function start(extra: Pick<JobServices, 'backups' | 'purge'>): Promise<void> {
  const jobs = await startJobQueue({ db, log: silentLog, settings: { schema: SCHEMA, schedule: true } });
  try {
    await jobs.startWorkers({ services: { ...services, ...extra }, channel });
  } finally {
    await jobs.stop({ timeoutMs: 1_000 });
  }
}

test('every periodic job is scheduled; the backup and the purge run daily', async () => {
  await start({ backups, purge });
  assert.deepEqual(await schedules(), {
    [QUEUES.expireOrders]: DEFAULT_JOB_SETTINGS.expireOrdersCron,
    [QUEUES.releaseEscrow]: DEFAULT_JOB_SETTINGS.releaseEscrowCron,
    [QUEUES.cleanDownloadTokens]: DEFAULT_JOB_SETTINGS.cleanDownloadTokensCron,
    [QUEUES.sweepUploads]: DEFAULT_JOB_SETTINGS.sweepUploadsCron,
    [QUEUES.endSuspensions]: '* * * * *',
    [QUEUES.backupDatabase]: '30 3 * * *',
    [QUEUES.purgeDeletedFiles]: '45 4 * * *',
  });
});

test('without a backup service its schedule is dropped; the others stay', async () => {
  await start({ purge });
  const now = await schedules();
  assert.equal(now[QUEUES.backupDatabase], undefined);
  assert.equal(now[QUEUES.purgeDeletedFiles], '45 4 * * *');
  assert.equal(now[QUEUES.endSuspensions], '* * * * *');
});
