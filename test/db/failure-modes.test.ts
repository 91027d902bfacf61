// The ways node-postgres users report leaking or poisoning pooled connections, one test each.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConnectionLostError,
  ConnectionReleasedError,
  type Database,
  NestedAcquireError,
  PoolClosedError,
  PoolQueueFullError,
  PoolSaturatedError,
  QueryError,
} from '../../src/db/index.ts';
import { adminDatabase, freshDatabase, testDatabase } from '../support/database.ts';
import { recordingLogger } from '../support/log.ts';

const url = await freshDatabase();
const admin = adminDatabase();
test.after(() => admin.close());
{
  const setup = testDatabase(url, { min: 0, max: 1 });
  await setup.exec('CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)');
  await setup.exec('INSERT INTO items SELECT g FROM generate_series(1, 10) g');
}

const pidOf = async (q: { one: Database['one'] }) =>
  (await q.one<{ pid: number }>('SELECT pg_backend_pid() AS pid')).pid;

/** Waits until `check` holds, polling; fails the test after `ms`. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

test('a scope that throws 1,000 times leaks nothing', async () => {
  const db = testDatabase(url, { max: 3 });
  for (let i = 0; i < 1_000; i++) {
    await assert.rejects(
      db.withConnection(async (conn) => {
        await conn.one('SELECT 1 AS x');
        throw new Error(`boom ${i}`);
      }),
      /boom/,
    );
  }
  const status = db.status();
  assert.equal(status.active, 0);
  assert.ok(status.total <= 3);
  assert.equal(status.counters.acquired, 1_000);
  assert.equal(status.counters.connectionsCreated, 1, 'the one connection was reused every time');
  assert.equal((await db.one<{ x: number }>('SELECT 1 AS x')).x, 1);
});

test('a scope that returns with a transaction open hands the next borrower a clean connection', async () => {
  const db = testDatabase(url, { max: 1 });
  const appName = (await db.one<{ a: string }>("SELECT current_setting('application_name') AS a")).a;
  {
    await using conn = await db.acquire();
    await conn.exec('BEGIN');
    await conn.exec('UPDATE items SET n = n + 1 WHERE id = 1'); // takes a row lock
  } // forgot COMMIT
  const { locks } = await admin.one<{ locks: number }>(
    `SELECT count(*)::int AS locks FROM pg_locks l JOIN pg_stat_activity a USING (pid)
     WHERE a.application_name = $1 AND l.locktype IN ('transactionid', 'tuple')`,
    [appName],
  );
  assert.equal(locks, 0, 'no row lock survives the return');
  assert.equal(
    (await db.one<{ n: number }>('SELECT n FROM items WHERE id = 1')).n,
    0,
    'the update was rolled back',
  );
  assert.equal(await admin.exec(`UPDATE items SET n = 0 WHERE id = 1`).catch(() => -1), -1); // admin is on another database
  const other = testDatabase(url, { max: 1, statementTimeoutMs: 1_000 });
  assert.equal(await other.exec('UPDATE items SET n = 0 WHERE id = 1'), 1, 'the row is not locked');
  assert.equal(db.status().counters.dirtyReturns, 1);
});

test('a second release is harmless and counted', async () => {
  const db = testDatabase(url, { max: 1 });
  const conn = await db.acquire();
  const pid = await pidOf(conn);
  await conn.release();
  await conn.release();
  await conn[Symbol.asyncDispose]();
  const status = db.status();
  assert.equal(status.counters.doubleReleases, 2);
  assert.equal(status.active, 0);
  assert.equal(status.idle, 1);
  assert.equal(await pidOf(db), pid, 'the pool still has its one healthy connection');
});

test('a released connection and a finished transaction refuse every query', async () => {
  const db = testDatabase(url, { max: 2 });
  const conn = await db.acquire();
  await conn.release();
  await assert.rejects(conn.one('SELECT 1'), ConnectionReleasedError);
  await assert.rejects(conn.exec('SELECT 1'), ConnectionReleasedError);
  await assert.rejects(
    conn.transaction(async () => {}),
    ConnectionReleasedError,
  );
  let escaped: { exec: Database['exec'] } | undefined;
  await db.transaction(async (tx) => {
    escaped = tx;
  });
  await assert.rejects((escaped as { exec: Database['exec'] }).exec('SELECT 1'), ConnectionReleasedError);
  let escapedConn: { exec: Database['exec'] } | undefined;
  await db.withConnection(async (c) => {
    escapedConn = c;
  });
  await assert.rejects((escapedConn as { exec: Database['exec'] }).exec('SELECT 1'), ConnectionReleasedError);
});

test('an idle connection terminated by the server is replaced on the next call', async () => {
  const log = recordingLogger();
  const db = testDatabase(url, { min: 1, max: 2 }, log);
  await db.initialize();
  const pid = await pidOf(db);
  await admin.one('SELECT pg_terminate_backend($1)', [pid]);
  await eventually(() => db.status().counters.connectionsLost === 1);
  await eventually(() => db.status().total === 1); // topped back up to min in the background
  const fresh = await pidOf(db);
  assert.notEqual(fresh, pid);
  assert.ok(db.status().total <= 2);
  assert.ok(log.entries.some((e) => e.level === 'warn' && /idle connection was lost/.test(e.message)));
});

test('a checked-out connection terminated mid-scope fails that scope only, with a typed error', async () => {
  const db = testDatabase(url, { max: 2 });
  await assert.rejects(
    db.withConnection(async (conn) => {
      const pid = await pidOf(conn);
      await admin.one('SELECT pg_terminate_backend($1)', [pid]);
      await sleep(50); // the server's goodbye arrives while nobody is querying
      return conn.one('SELECT 1');
    }),
    ConnectionLostError,
  );
  const status = db.status();
  assert.equal(status.active, 0);
  assert.equal(status.counters.discarded, 1, 'the dead connection was destroyed, not pooled');
  assert.equal((await db.one<{ x: number }>('SELECT 1 AS x')).x, 1);
});

test('BEGIN itself fails: the statements behind it never run, the error is typed and the connection comes back clean', async () => {
  const db = testDatabase(url, { max: 1 });
  const credit = 'UPDATE items SET n = n + 1 WHERE id = $1';
  const before = await db.one<{ n: number }>('SELECT n FROM items WHERE id = 2');
  let statementErrors: unknown[] = [];
  await assert.rejects(
    db.transaction(
      async (tx) => {
        // BEGIN leaves with the first statement: the server skips it, it fails with BEGIN's error;
        // the next ones are refused (they would run outside a transaction); swallowing them commits nothing.
        statementErrors = await Promise.all([
          tx.exec(credit, [2]).catch((error: unknown) => error),
          tx.exec(credit, [2]).catch((error: unknown) => error),
        ]);
        statementErrors.push(
          await tx.exec('UPDATE items SET n = n + 1 WHERE id = 2').catch((error: unknown) => error),
        );
      },
      { isolation: 'chaotic' as 'serializable' },
    ),
    (error: unknown) => error instanceof QueryError && /syntax/.test(error.message),
  );
  assert.equal(statementErrors.length, 3);
  for (const error of statementErrors) assert.ok(error instanceof QueryError, String(error));
  assert.equal(db.status().active, 0);
  assert.equal(db.status().counters.dirtyReturns, 0, 'nothing was left open');
  assert.equal(db.status().counters.discarded, 1, 'a connection whose BEGIN failed is not handed on');
  // A callback that lets the error through: the same, and nothing to roll back.
  await assert.rejects(
    db.transaction((tx) => tx.exec(credit, [2]), { isolation: 'chaotic' as 'serializable' }),
    QueryError,
  );
  assert.equal(db.status().counters.discarded, 2);
  assert.equal(db.status().counters.connectionsLost, 0, 'a failed BEGIN is not a lost connection');
  assert.deepEqual(
    await db.one('SELECT n FROM items WHERE id = 2'),
    before,
    'no statement ran outside the transaction',
  );
  assert.equal(await db.exec('UPDATE items SET n = n WHERE id = 2'), 1);
});

test('BEGIN on a connection the server has just closed fails typed, and the next call works', async () => {
  const db = testDatabase(url, { min: 1, max: 1 });
  const pid = await pidOf(db);
  // Terminate it from another process while this one is blocked, waiting until the backend is
  // gone: the server's goodbye is then still unread here when BEGIN is sent.
  const terminate = `const c = new (await import('pg')).default.Client(process.argv[1]); await c.connect();
    await c.query('SELECT pg_terminate_backend($1, 5000)', [Number(process.argv[2])]); await c.end();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', terminate, url, String(pid)], {
    cwd: new URL('../..', import.meta.url),
  });
  let firstStatement: unknown;
  await assert.rejects(
    db.transaction(async (tx) => {
      // BEGIN leaves with the callback's first statement, which fails with it.
      firstStatement = await tx.exec('UPDATE items SET n = n WHERE id = 2').catch((error: unknown) => error);
      throw firstStatement;
    }),
    ConnectionLostError,
  );
  assert.ok(firstStatement instanceof ConnectionLostError);
  assert.equal(db.status().active, 0);
  assert.notEqual(await pidOf(db), pid);
});

test('Promise.all with a failing sibling: the scope waits for the sibling before giving the connection back', async () => {
  const db = testDatabase(url, { max: 1 });
  const pid = await pidOf(db);
  await assert.rejects(
    db.transaction((tx) =>
      Promise.all([
        tx.exec('UPDATE items SET n = 100 WHERE id = 3'),
        tx.one('SELECT 1 / 0 AS boom'),
        tx.exec('UPDATE items SET n = 200 WHERE id = 4'),
      ]),
    ),
    /division by zero/,
  );
  const { n3, n4 } = await db.one<{ n3: number; n4: number }>(
    'SELECT (SELECT n FROM items WHERE id = 3) AS n3, (SELECT n FROM items WHERE id = 4) AS n4',
  );
  assert.deepEqual({ n3, n4 }, { n3: 0, n4: 0 }, 'the whole transaction was rolled back');

  const started = Date.now();
  await assert.rejects(
    db.withConnection((conn) =>
      Promise.all([conn.one('SELECT 1 / 0'), conn.one('SELECT pg_sleep(0.2)::text')]),
    ),
    /division by zero/,
  );
  assert.ok(Date.now() - started >= 180, 'the connection was not given back while a sibling still ran');
  assert.equal(await pidOf(db), pid, 'and it was healthy enough to keep');
  assert.equal(db.status().active, 0);
  assert.equal(db.status().counters.discarded, 0);
});

test('a saturated pool answers with a typed error, naming the holders, after the acquire timeout', async () => {
  const db = testDatabase(url, { max: 2, acquireTimeoutMs: 300, leakThresholdMs: 60_000 });
  let releaseHolders = () => {};
  const held = new Promise<void>((resolve) => {
    releaseHolders = resolve;
  });
  const holders = [1, 2].map(() => db.withConnection(() => held));
  await eventually(() => db.status().active === 2);
  const started = Date.now();
  const error = await db.one('SELECT 1').catch((e: unknown) => e);
  const waited = Date.now() - started;
  assert.ok(error instanceof PoolSaturatedError, String(error));
  assert.ok(waited >= 250 && waited < 2_000, `waited ${waited} ms`);
  assert.equal(error.holders.length, 2);
  assert.match(error.holders[0] as string, /failure-modes\.test\.ts/);
  assert.equal(db.status().counters.timedOut, 1);
  releaseHolders();
  await Promise.all(holders);
  assert.equal((await db.one<{ x: number }>('SELECT 1 AS x')).x, 1);
});

test('a full wait queue refuses at once', async () => {
  const db = testDatabase(url, { max: 1, maxWaiters: 2, acquireTimeoutMs: 5_000 });
  let releaseHolder = () => {};
  const holder = db.withConnection(
    () =>
      new Promise<void>((resolve) => {
        releaseHolder = resolve;
      }),
  );
  await eventually(() => db.status().active === 1);
  const waiters = [db.one('SELECT 1'), db.one('SELECT 2')];
  await eventually(() => db.status().waiting === 2);
  const started = Date.now();
  await assert.rejects(db.one('SELECT 3'), PoolQueueFullError);
  assert.ok(Date.now() - started < 4_000, 'refused before the 5 s acquire timeout');
  assert.equal(db.status().counters.rejected, 1);
  releaseHolder();
  await Promise.all([holder, ...waiters]);
});

test('with max = 1, using the pool from inside its own transaction fails fast instead of hanging', async () => {
  const db = testDatabase(url, { max: 1, acquireTimeoutMs: 5_000 });
  const started = Date.now();
  await assert.rejects(
    db.transaction(async () => db.one('SELECT 1')),
    NestedAcquireError,
  );
  assert.ok(Date.now() - started < 4_000, 'failed before the 5 s acquire timeout');
  // Work that outlives its scope is not mistaken for a nested call.
  let later: Promise<unknown> = Promise.resolve();
  await db.withConnection(async () => {
    later = sleep(20).then(() => db.one('SELECT 1 AS x'));
  });
  assert.deepEqual(await later, { x: 1 });
});

test('close() with a stuck borrower resolves by its deadline and refuses new work', async () => {
  const db = testDatabase(url, { max: 2 });
  const stuck = db.withConnection((conn) => conn.one('SELECT pg_sleep(30)::text'));
  const finishing = db.withConnection(async (conn) => {
    await sleep(50);
    return conn.one<{ x: number }>('SELECT 7 AS x');
  });
  await eventually(() => db.status().active === 2);
  const started = Date.now();
  await db.close({ timeoutMs: 400 });
  const took = Date.now() - started;
  assert.ok(took >= 350 && took < 2_000, `close took ${took} ms`);
  assert.deepEqual(await finishing, { x: 7 }, 'a borrower that finished in time was not cut off');
  await assert.rejects(stuck, ConnectionLostError);
  await assert.rejects(db.one('SELECT 1'), PoolClosedError);
  assert.equal(db.status().total, 0);
});
