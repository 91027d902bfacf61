// Background jobs on pg-boss running over our pool: its schema created through src/db, delivery
// retried until the bot succeeds, unpaid orders expired, escrow released with a notice, stale
// download tokens removed, timed suspensions ended with a notice, the daily backup and the purge
// run through the services they are given (stand-ins here for the backup and purge services,
// which have their own tests).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashDownloadToken, newDownloadToken } from '../../src/domain/index.ts';
import { QUEUES } from '../../src/jobs/index.ts';
import { Moderator } from '../../src/services/moderation.ts';
import {
  addProduct,
  addSeller,
  addUser,
  commerceDatabase,
  countRows,
  eventually,
  startHarness,
} from './fixtures.ts';

const POOL_MAX = 4;
const db = await commerceDatabase(POOL_MAX);

/** What the backup and purge stand-ins were asked to do, in order. */
const maintenance: string[] = [];
let backupFails = false;
const h = await startHarness(db, {
  maintenance: {
    backups: {
      backup: async () => {
        maintenance.push('backup');
        if (backupFails) throw new Error('storage is down');
      },
      prune: async () => {
        maintenance.push('prune');
      },
    },
    purge: {
      purgeDeletedProductFiles: async () => {
        maintenance.push('purge');
      },
    },
  },
});

const SELLER = 5001;
let nextBuyer = 6000;
await addSeller(db, SELLER);

async function buyer(): Promise<number> {
  const id = ++nextBuyer;
  await addUser(db, id);
  return id;
}

async function status(orderId: string): Promise<string> {
  return (await db.one<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId])).status;
}

describe('pg-boss on our pool', () => {
  test('its schema and work go through src/db: no connection of its own, never above DB_POOL_MAX', async () => {
    assert.equal(await countRows(db, `SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss'`), 1);
    const queues = await db.many<{ name: string }>('SELECT name FROM pgboss.queue ORDER BY name');
    assert.deepEqual(
      queues.map((q) => q.name),
      Object.values(QUEUES).sort(),
    );
    const theirs = await countRows(
      db,
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pgboss'`,
    );
    assert.equal(theirs, 0);
    const ours = await countRows(db, 'SELECT 1 FROM pg_stat_activity WHERE datname = current_database()');
    assert.ok(ours <= POOL_MAX, `${ours} connections`);
    assert.ok(db.status().total <= POOL_MAX);
  });
});

describe('delivery', () => {
  test('retried until the bot succeeds, then delivered_at is stamped once', async () => {
    const product = await addProduct(db, SELLER, 0);
    h.failNextDeliveries(2);
    const { order } = await h.checkout.startOrder(await buyer(), product);
    await eventually(async () => h.delivered.includes(order.id), 15_000);
    await eventually(
      async () =>
        (
          await db.one<{ d: boolean }>('SELECT delivered_at IS NOT NULL AS d FROM orders WHERE id = $1', [
            order.id,
          ])
        ).d,
    );
    const job = await db.one<{ retries: number; state: string }>(
      `SELECT retry_count AS retries, state FROM pgboss.job WHERE name = 'deliver_order' AND data->>'orderId' = $1`,
      [order.id],
    );
    assert.equal(job.retries, 2);
    await eventually(
      async () =>
        (
          await db.one<{ state: string }>(
            `SELECT state FROM pgboss.job WHERE name = 'deliver_order' AND data->>'orderId' = $1`,
            [order.id],
          )
        ).state === 'completed',
    );
    assert.equal(h.delivered.filter((id) => id === order.id).length, 1);
    assert.deepEqual(
      h.saleNotices.filter((id) => id === order.id),
      [order.id],
    );
  });

  test('a burst of sales is taken several deliveries at a time, started evenly over a second; the one that fails is retried alone', async () => {
    const product = await addProduct(db, SELLER, 0);
    const buyers = await Promise.all(Array.from({ length: 12 }, () => buyer()));
    h.failNextDeliveries(1);
    const orders = await Promise.all(
      buyers.map(async (id) => (await h.checkout.startOrder(id, product)).order.id),
    );
    const jobs = () =>
      db.many<{ orderId: string; retries: number; state: string; startedOn: string }>(
        `SELECT data->>'orderId' AS "orderId", retry_count AS retries, state, started_on::text AS "startedOn"
         FROM pgboss.job WHERE name = 'deliver_order' AND data->>'orderId' = ANY($1::text[])`,
        [orders],
      );
    await eventually(async () => (await jobs()).every((job) => job.state === 'completed'), 15_000);
    const done = await jobs();
    assert.equal(done.length, 12);
    for (const id of orders) assert.equal(h.delivered.filter((d) => d === id).length, 1, id);
    assert.deepEqual(done.map((job) => job.retries).sort(), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    // Jobs taken by one fetch share its start time: a batch holds several, at most ten.
    const perFetch = new Map<string, number>();
    for (const job of done.filter((j) => j.retries === 0)) {
      perFetch.set(job.startedOn, (perFetch.get(job.startedOn) ?? 0) + 1);
    }
    const largest = Math.max(...perFetch.values());
    assert.ok(largest > 1 && largest <= 10, `largest batch ${largest}`);
    // Not all at once: the deliveries of one batch start a tenth of the polling second apart.
    const [batchStart] = [...perFetch].find(([, size]) => size === largest) ?? [];
    const starts = done
      .filter((job) => job.retries === 0 && job.startedOn === batchStart)
      .map((job) => h.deliveredAt.get(job.orderId) as number)
      .sort((a, b) => a - b);
    // Each delivery reads the order before it reaches the channel, which moves each start by a few ms.
    const spread = (starts.at(-1) as number) - (starts[0] as number);
    assert.ok(
      spread >= 60 * (starts.length - 1),
      `${starts.length} deliveries of a batch within ${Math.round(spread)} ms`,
    );
  });

  test('a buyer who blocked the bot: the job ends at once, the order records it, the seller still hears', async () => {
    const product = await addProduct(db, SELLER, 0);
    const blocked = await buyer();
    h.blockedUsers.add(blocked);
    const { order } = await h.checkout.startOrder(blocked, product);
    await eventually(async () => (await deliveryJob(order.id)).state === 'completed');
    assert.equal((await deliveryJob(order.id)).retries, 0);
    assert.deepEqual(await deliveryState(order.id), {
      delivered: false,
      blocked: true,
      sellerNotified: true,
    });
    assert.ok(h.saleNotices.includes(order.id));
    assert.ok(!h.delivered.includes(order.id));
    assert.equal(await botBlocked(blocked), true);

    // Back (Telegram's my_chat_member "member"): the delivery is queued again and goes out.
    h.blockedUsers.delete(blocked);
    assert.equal(await h.orders.userUnblockedBot(blocked), 1);
    assert.equal(await botBlocked(blocked), false);
    await eventually(async () => h.delivered.includes(order.id));
    await eventually(async () => (await deliveryState(order.id)).delivered);
    assert.deepEqual(await deliveryState(order.id), {
      delivered: true,
      blocked: false,
      sellerNotified: true,
    });
    assert.equal(
      h.saleNotices.filter((id) => id === order.id).length,
      1,
      'the sale notice is not sent again',
    );
    assert.equal(await h.orders.userUnblockedBot(blocked), 0, 'nothing left to resume');
  });

  test('a sale notice that fails is retried without sending the buyer their purchase again', async () => {
    const product = await addProduct(db, SELLER, 0);
    h.failNextSaleNotices(2);
    const { order } = await h.checkout.startOrder(await buyer(), product);
    await eventually(async () => h.saleNotices.includes(order.id), 15_000);
    await eventually(async () => (await deliveryJob(order.id)).state === 'completed');
    assert.equal((await deliveryJob(order.id)).retries, 2);
    assert.equal(h.delivered.filter((id) => id === order.id).length, 1);
    assert.deepEqual(await deliveryState(order.id), {
      delivered: true,
      blocked: false,
      sellerNotified: true,
    });
  });

  test('a seller who blocked the bot does not hold up the delivery, and is not retried', async () => {
    const seller = 5002;
    await addSeller(db, seller);
    h.blockedUsers.add(seller);
    const product = await addProduct(db, seller, 0);
    const { order } = await h.checkout.startOrder(await buyer(), product);
    await eventually(async () => (await deliveryJob(order.id)).state === 'completed');
    assert.deepEqual(await deliveryJob(order.id), { retries: 0, state: 'completed' });
    assert.ok(h.delivered.includes(order.id));
    assert.ok(!h.saleNotices.includes(order.id));
    assert.equal(await botBlocked(seller), true);
    h.blockedUsers.delete(seller);
  });
});

async function deliveryJob(orderId: string): Promise<{ retries: number; state: string }> {
  return db.one(
    `SELECT retry_count AS retries, state FROM pgboss.job WHERE name = 'deliver_order' AND data->>'orderId' = $1`,
    [orderId],
  );
}

async function deliveryState(orderId: string) {
  return db.one<{ delivered: boolean; blocked: boolean; sellerNotified: boolean }>(
    `SELECT delivered_at IS NOT NULL AS delivered, delivery_blocked_at IS NOT NULL AS blocked,
            seller_notified_at IS NOT NULL AS "sellerNotified"
     FROM orders WHERE id = $1`,
    [orderId],
  );
}

async function botBlocked(userId: number): Promise<boolean> {
  const row = await db.one<{ blocked: boolean }>(
    'SELECT bot_blocked_at IS NOT NULL AS blocked FROM users WHERE id = $1',
    [userId],
  );
  return row.blocked;
}

describe('order expiry', () => {
  test('expires open orders nobody can pay any more, and only those', async () => {
    const product = await addProduct(db, SELLER, 2500);
    const [a, b, c, d] = [await buyer(), await buyer(), await buyer(), await buyer()];
    // a: payment past its expiry. b: old order never given a payment. c: fresh order. d: valid payment.
    const expiredPayment = (await h.checkout.startOrder(a, product)).order;
    await h.checkout.payOrder(a, expiredPayment.id, 'eth');
    await db.exec(`UPDATE payments SET expires_at = now() - interval '1 minute' WHERE order_id = $1`, [
      expiredPayment.id,
    ]);
    const stale = (await h.checkout.startOrder(b, product)).order;
    await db.exec(`UPDATE orders SET created_at = now() - interval '2 hours' WHERE id = $1`, [stale.id]);
    const fresh = (await h.checkout.startOrder(c, product)).order;
    const paying = (await h.checkout.startOrder(d, product)).order;
    await h.checkout.payOrder(d, paying.id, 'sol');

    const expired = await h.orders.expireUnpaid({ pendingOrderTtlSeconds: 3600, batchSize: 1 });
    assert.ok(expired >= 2);
    assert.equal(await status(expiredPayment.id), 'expired');
    assert.equal(await status(stale.id), 'expired');
    assert.equal(await status(fresh.id), 'pending');
    assert.equal(await status(paying.id), 'waiting');

    // The buyer can start again, and money arriving late on the expired payment still pays.
    const again = await h.checkout.startOrder(a, product);
    assert.notEqual(again.order.id, expiredPayment.id);
    const [late] = await db.many<{ id: string }>(
      `SELECT provider_payment_id AS id FROM payments WHERE order_id = $1`,
      [expiredPayment.id],
    );
    await h.sim.advance(late?.id ?? '', 'finished');
    assert.equal(await status(expiredPayment.id), 'paid');
  });

  test('runs as a pg-boss job', async () => {
    const product = await addProduct(db, SELLER, 1500);
    const { order } = await h.checkout.startOrder(await buyer(), product);
    await db.exec(`UPDATE orders SET created_at = now() - interval '2 hours' WHERE id = $1`, [order.id]);
    await h.jobs.trigger(QUEUES.expireOrders);
    await eventually(async () => (await status(order.id)) === 'expired');
  });
});

describe('download token cleanup', () => {
  test('removes tokens expired over a day ago, keeps the others', async () => {
    const product = await addProduct(db, SELLER, 0);
    const id = await buyer();
    const { order } = await h.checkout.startOrder(id, product);
    const insert = (createdAgo: string, expiresAgo: string) =>
      db.exec(
        `INSERT INTO download_tokens (token_hash, order_id, buyer_id, created_at, expires_at)
         VALUES ($1, $2, $3, now() - $4::interval, now() - $5::interval)`,
        [hashDownloadToken(newDownloadToken()), order.id, id, createdAgo, expiresAgo],
      );
    await insert('3 days', '2 days 23 hours');
    await insert('2 hours', '1 hour 55 minutes');
    await insert('1 minute', '-4 minutes');
    assert.equal(await h.downloads.cleanExpiredTokens(), 1);
    assert.equal(await countRows(db, 'SELECT 1 FROM download_tokens WHERE order_id = $1', [order.id]), 2);
  });
});

describe('timed suspensions', () => {
  test('end by themselves: the row is restored and the user told once; others stay suspended', async () => {
    const admin = Moderator.verify(new Set([1]), 1);
    const [timed, open] = [await buyer(), await buyer()];
    await h.moderation.suspendUser(admin, timed, {
      reason: 'Vérification',
      until: new Date(Date.now() + 60_000),
    });
    await h.moderation.suspendUser(admin, open, { reason: 'Fraude' });
    // The end date arrives.
    await db.exec(
      `UPDATE users SET suspended_at = now() - interval '2 minutes', suspended_until = now() - interval '1 minute'
       WHERE id = $1`,
      [timed],
    );
    await h.jobs.trigger(QUEUES.endSuspensions);
    await eventually(() => h.suspensionNotices.includes(timed));
    const rows = await db.many<{ id: number; reason: string | null }>(
      'SELECT id::float8 AS id, suspension_reason AS reason FROM users WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[timed, open]],
    );
    assert.deepEqual(rows, [
      { id: timed, reason: null },
      { id: open, reason: 'Fraude' },
    ]);
    await h.jobs.trigger(QUEUES.endSuspensions);
    await eventually(
      async () =>
        (await countRows(
          db,
          `SELECT 1 FROM pgboss.job WHERE name = 'end_suspensions' AND state <> 'completed'`,
        )) === 0,
    );
    assert.deepEqual(
      h.suspensionNotices.filter((id) => id === timed || id === open),
      [timed],
    );
  });
});

describe('backup and purge', () => {
  test('the daily backup stores a snapshot, then prunes; a failed backup prunes nothing', async () => {
    await h.jobs.trigger(QUEUES.backupDatabase);
    await eventually(() => maintenance.includes('prune'));
    assert.deepEqual(maintenance, ['backup', 'prune']);

    maintenance.length = 0;
    backupFails = true;
    await h.jobs.trigger(QUEUES.backupDatabase);
    await eventually(async () => {
      const failed = await countRows(
        db,
        `SELECT 1 FROM pgboss.job WHERE name = 'backup_database' AND state = 'retry'`,
      );
      return failed === 1;
    });
    assert.deepEqual(maintenance, ['backup'], 'old snapshots are kept when today has none');
    backupFails = false;
  });

  test('the purge of deleted products files runs as a job', async () => {
    await h.jobs.trigger(QUEUES.purgeDeletedFiles);
    await eventually(() => maintenance.includes('purge'));
  });
});
