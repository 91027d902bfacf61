// From pg-boss 10 to 12: tables made and filled by the real pg-boss 10 (installed as `pg-boss-10`)
// on our pool. pg-boss 12 refuses them with the way out; `npm run jobs:upgrade` sets them aside and
// carries the waiting jobs over, once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import PgBoss10 from 'pg-boss-10';
import { upgradeJobTables } from '../../scripts/upgrade-jobs.ts';
import { bossDb } from '../../src/jobs/boss-db.ts';
import { QUEUES, startJobQueue } from '../../src/jobs/index.ts';
import { createLogger } from '../../src/log.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

const db = testDatabase(await freshDatabase(), { max: 4 });
const log = createLogger('silent');

// What a running pg-boss 10 left: a delivery waiting, one waiting for later, one done.
const old = new PgBoss10({ db: bossDb(db), schema: 'pgboss', supervise: false, schedule: false });
await old.start();
await old.createQueue(QUEUES.deliver, { name: QUEUES.deliver, retryLimit: 20 });
const waiting = await old.send(QUEUES.deliver, { orderId: 'O-WAITING01' });
const later = await old.send(QUEUES.deliver, { orderId: 'O-LATER0001' }, { startAfter: 3600 });
const done = await old.send(QUEUES.deliver, { orderId: 'O-DONE00001' }, { priority: 1 });
const [fetched] = await old.fetch(QUEUES.deliver);
assert.equal(fetched?.id, done, 'the priority job is the one taken');
await old.complete(QUEUES.deliver, done as string);
await old.stop({ graceful: false, wait: true });

test('pg-boss 12 refuses pg-boss 10 tables and names the command that upgrades them', async () => {
  await assert.rejects(
    startJobQueue({ db, log, settings: { schedule: false } }),
    /pg-boss 10 or older \(schema version 24\).*npm run jobs:upgrade/s,
  );
});

test('the upgrade keeps the old tables and carries waiting jobs over once', async () => {
  const first = await upgradeJobTables({ db, log });
  assert.equal(first.retiredSchema, 'pgboss_v10');
  assert.deepEqual(first.carried, { [QUEUES.deliver]: 2 });

  const carried = await db.many<{ id: string; orderId: string; state: string; later: boolean }>(
    `SELECT id::text, data->>'orderId' AS "orderId", state, start_after > now() + interval '50 minutes' AS later
       FROM pgboss.job WHERE name = $1 ORDER BY data->>'orderId'`,
    [QUEUES.deliver],
  );
  assert.deepEqual(carried, [
    { id: later, orderId: 'O-LATER0001', state: 'created', later: true },
    { id: waiting, orderId: 'O-WAITING01', state: 'created', later: false },
  ]);
  const old = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM pgboss_v10.job');
  assert.ok(old.n >= 3, 'the old rows are still there');

  const again = await upgradeJobTables({ db, log });
  assert.deepEqual(again.carried, { [QUEUES.deliver]: 0 }, 'nothing is carried twice');

  const jobs = await startJobQueue({ db, log, settings: { schedule: false } });
  await jobs.stop();
});
