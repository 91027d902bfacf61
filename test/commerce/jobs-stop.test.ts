// SIGTERM for jobs: stop() lets the delivery in flight finish (and be stamped) and takes no more.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startJobQueue } from '../../src/jobs/index.ts';
import { getOrder } from '../../src/repositories/orders.ts';
import { createCheckoutService } from '../../src/services/checkout.ts';
import { createDownloadService } from '../../src/services/downloads.ts';
import { createModerationService } from '../../src/services/moderation.ts';
import { createOrderService } from '../../src/services/orders.ts';
import { createPayoutService } from '../../src/services/payouts.ts';
import { localStorage } from '../aftersale/fixtures.ts';
import { testServices } from '../support/services.ts';
import {
  addProduct,
  addSeller,
  addUser,
  COINS,
  commerceDatabase,
  eventually,
  silentLog,
} from './fixtures.ts';

const db = await commerceDatabase(4);
const storage = await localStorage();

test('stop waits for the delivery in flight, then fetches nothing more', async () => {
  const started: string[] = [];
  const finished: string[] = [];
  const jobs = await startJobQueue({
    db,
    log: silentLog,
    settings: { schedule: false, pollingIntervalSeconds: 0.5 },
  });
  await jobs.startWorkers({
    services: {
      orders: createOrderService({ db, log: silentLog, enqueueDelivery: jobs.enqueueDelivery }),
      payouts: createPayoutService({ db, log: silentLog }),
      downloads: createDownloadService({ db, storage }),
      uploads: (await testServices(db, { storage })).uploads,
      moderation: createModerationService({ db, adminIds: new Set() }),
    },
    channel: {
      deliverOrder: async (order) => {
        started.push(order.id);
        await sleep(800);
        finished.push(order.id);
        return 'sent';
      },
      notifySale: async () => 'sent',
      payoutsAvailable: async () => {},
      suspensionEnded: async () => {},
    },
  });
  const checkout = createCheckoutService({
    db,
    // A free product never reaches the provider.
    nowPayments: {
      minAmount: () => Promise.reject(new Error('unused')),
      createPayment: () => Promise.reject(new Error('unused')),
    },
    enqueueDelivery: jobs.enqueueDelivery,
    log: silentLog,
    ipnCallbackUrl: 'http://127.0.0.1:1/ipn/nowpayments',
    payCurrencies: COINS,
  });
  await addSeller(db, 1);
  await addUser(db, 2);
  await addUser(db, 3);
  const product = await addProduct(db, 1, 0);
  const first = (await checkout.startOrder(2, product)).order;
  await eventually(() => started.includes(first.id));

  await jobs.stop({ timeoutMs: 5_000 });
  assert.deepEqual(finished, [first.id]);
  assert.ok((await getOrder(db, first.id))?.deliveredAt);

  // Queued after the stop: it waits in PostgreSQL for the next start.
  const second = (await checkout.startOrder(3, product)).order;
  await sleep(1_500);
  assert.ok(!started.includes(second.id));
  assert.equal((await getOrder(db, second.id))?.deliveredAt, null);
});
