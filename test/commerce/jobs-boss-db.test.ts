// pg-boss 12 on our pool: its locked scripts (BEGIN; lock; work; COMMIT) answer the rows of every
// statement, so its background work (index builds, maintenance) runs instead of failing; and
// instances starting together on an empty database all start.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { getConstructionPlans, PgBoss } from 'pg-boss';
import { bossDb } from '../../src/jobs/boss-db.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { splitAnswersAfterErrors } from '../support/split-answers.ts';
import { eventually } from './fixtures.ts';

const db = testDatabase(await freshDatabase(), { max: 4 });

test('a locked script answers the rows of each of its statements, in one transaction', async () => {
  const { rows } = await bossDb(db).executeSql(
    'BEGIN; SELECT 1 AS one; SELECT pg_current_xact_id()::text AS xact; SELECT pg_current_xact_id()::text AS xact; COMMIT;',
  );
  assert.equal(rows.length, 3);
  assert.equal(rows[0].one, 1);
  assert.equal(rows[1].xact, rows[2].xact, 'the same transaction');
});

test('pg-boss maintenance removes finished jobs past their retention, without an error', async () => {
  const errors: unknown[] = [];
  const boss = new PgBoss({ db: bossDb(db), schema: 'pgboss', schedule: false });
  boss.on('error', (error) => errors.push(error));
  await boss.start();
  try {
    await boss.createQueue('kept_briefly', { deleteAfterSeconds: 1, retryLimit: 0 });
    const id = (await boss.send('kept_briefly', { n: 1 })) as string;
    const [job] = await boss.fetch('kept_briefly');
    assert.equal(job?.id, id);
    await boss.complete('kept_briefly', id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    await boss.supervise('kept_briefly');
    const left = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM pgboss.job WHERE id = $1', [id]);
    assert.equal(left.n, 0, 'the finished job is gone');
    assert.deepEqual(errors, []);
  } finally {
    await boss.stop({ graceful: false });
  }
});

test('three instances starting at once on an empty database all start', async () => {
  // All three find no schema and run pg-boss's create script; under its lock, the later ones fail
  // inside their BEGIN on purpose, and pg-boss carries on. The error reaching us in a read of its
  // own (a busy machine, PgBouncer) once handed that aborted transaction to the next statement.
  const url = await freshDatabase();
  const proxy = await splitAnswersAfterErrors(url);
  after(() => proxy.close());
  const instances = [1, 2, 3].map(() => {
    const pool = testDatabase(proxy.url(url), { max: 2 });
    return { pool, boss: new PgBoss({ db: bossDb(pool), schema: 'pgboss', schedule: false }) };
  });
  // pg-boss's own lock, held until all three wait for it: they race every time, whatever the machine's pace.
  const admin = testDatabase(url, { max: 2 });
  let starting: Promise<PromiseSettledResult<unknown>[]> | undefined;
  await admin.transaction(async (tx) => {
    await tx.exec(createLock());
    starting = Promise.allSettled(instances.map(({ boss }) => boss.start()));
    await eventually(async () => {
      const { n } = await admin.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks
         WHERE locktype = 'advisory' AND NOT granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      return n === 3;
    });
  });
  const started = await (starting as Promise<PromiseSettledResult<unknown>[]>);
  try {
    assert.deepEqual(
      started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started')),
      ['started', 'started', 'started'],
    );
    const raced = instances.reduce((sum, { pool }) => sum + pool.status().counters.dirtyReturns, 0);
    assert.equal(raced, 2, 'two create scripts failed under the lock and were rolled back on return');
  } finally {
    await Promise.all(instances.map(({ boss }) => boss.stop({ graceful: false })));
  }
});

/** The advisory lock pg-boss's create script takes first, read from the script itself. */
function createLock(): string {
  const plans = getConstructionPlans('pgboss');
  const from = plans.indexOf('pg_advisory_xact_lock(');
  assert.ok(from >= 0, "pg-boss's create script takes an advisory lock");
  let depth = 0;
  for (let i = from + 'pg_advisory_xact_lock'.length; i < plans.length; i++) {
    if (plans[i] === '(') depth++;
    else if (plans[i] === ')' && --depth === 0) return `SELECT ${plans.slice(from, i + 1)}`;
  }
  throw new Error("unbalanced parentheses in pg-boss's create script");
}
