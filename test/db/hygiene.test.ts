// What a borrower leaves behind never reaches the next one; what a borrower forgets is reported.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { poolSettingsSchema, resolveTarget } from '../../src/db/index.ts';
import { adminDatabase, freshDatabase, testDatabase } from '../support/database.ts';
import { recordingLogger } from '../support/log.ts';
import { splitAnswersAfterErrors } from '../support/split-answers.ts';

const url = await freshDatabase();

test('session settings changed by a borrower are reset before the next one', async () => {
  const db = testDatabase(url, { max: 1, statementTimeoutMs: 7_000 });
  await db.withConnection(async (conn) => {
    await conn.exec("SET statement_timeout = '42s'");
    await conn.exec("SET search_path = 'nowhere'");
  });
  const after = await db.one<{ timeout: string; path: string }>(
    "SELECT current_setting('statement_timeout') AS timeout, current_setting('search_path') AS path",
  );
  assert.deepEqual(after, { timeout: '7s', path: '"$user", public' });
  assert.equal(db.status().counters.sessionResets, 1);
  assert.equal(db.status().counters.discarded, 0, 'reset, not destroyed');
});

test('a setting changed through set_config(…, false) or in a DO block is reset too, by a scope or a one-shot', async () => {
  const db = testDatabase(url, { max: 1 });
  await db.withConnection((conn) => conn.one("SELECT set_config('search_path', 'nowhere', false)"));
  const afterScope = await db.one<{ path: string }>("SELECT current_setting('search_path') AS path");
  assert.equal(afterScope.path, '"$user", public');
  await db.withConnection((conn) => conn.exec("SELECT 1; DO $$ BEGIN SET search_path = 'nowhere'; END $$"));
  const afterBlock = await db.one<{ path: string }>("SELECT current_setting('search_path') AS path");
  assert.equal(afterBlock.path, '"$user", public');
  // A one-shot set_config runs on a connection of its own, cleaned as a scope's.
  await db.one("SELECT set_config('application_name', 'changed', false)");
  await db.exec("DO $$ BEGIN SET work_mem = '9MB'; END $$");
  const afterOneShot = await db.one<{ name: string; mem: string }>(
    "SELECT current_setting('application_name') AS name, current_setting('work_mem') AS mem",
  );
  assert.notEqual(afterOneShot.name, 'changed');
  assert.notEqual(afterOneShot.mem, '9MB');
  assert.equal(db.status().counters.sessionResets, 4);
});

test('a role set for the session never reaches the next borrower: RESET ALL keeps it, the connection goes', async (t) => {
  const admin = adminDatabase();
  t.after(() => admin.close());
  await admin.exec('DROP ROLE IF EXISTS agora_hygiene_reader');
  await admin.exec('CREATE ROLE agora_hygiene_reader');
  const db = testDatabase(url, { max: 1 });
  const { me } = await db.one<{ me: string }>('SELECT current_user AS me');
  await db.withConnection((conn) => conn.exec('SET ROLE agora_hygiene_reader'));
  await db.withConnection(async (conn) => {
    await conn.exec("SET statement_timeout = '9s'");
    await conn.exec('SET SESSION ROLE agora_hygiene_reader');
  });
  // A plain setting through SET SESSION is only reset.
  await db.withConnection((conn) => conn.exec("SET SESSION statement_timeout = '8s'"));
  const inside = await db.transaction(async (tx) => {
    await tx.exec('SET LOCAL ROLE agora_hygiene_reader');
    return tx.one<{ user: string }>('SELECT current_user AS user');
  });
  assert.equal(inside.user, 'agora_hygiene_reader', 'SET LOCAL ROLE works inside its transaction');
  const after = await db.one<{ user: string }>('SELECT current_user AS user');
  assert.equal(after.user, me);
  assert.equal(db.status().counters.discarded, 2, 'the two session roles, not the local one');
  assert.equal(db.status().counters.sessionResets, 1);
  await db.close();
  await admin.exec('DROP ROLE agora_hygiene_reader');
});

test('SET LOCAL and set_config(…, true) end with their transaction: nothing to reset', async () => {
  const db = testDatabase(url, { max: 1 });
  const inside = await db.transaction(async (tx) => {
    await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await tx.exec("SET LOCAL search_path = 'nowhere'");
    await tx.one("SELECT set_config('application_name', 'changed', true)");
    return tx.one<{ path: string }>("SELECT current_setting('search_path') AS path");
  });
  assert.equal(inside.path, 'nowhere');
  const after = await db.one<{ path: string; name: string }>(
    "SELECT current_setting('search_path') AS path, current_setting('application_name') AS name",
  );
  assert.equal(after.path, '"$user", public');
  assert.notEqual(after.name, 'changed');
  assert.equal(db.status().counters.sessionResets, 0, 'no RESET ALL round trip');
});

test('a script that fails after its own BEGIN hands no aborted transaction on, even when its answer comes in two reads', async () => {
  // pg-boss's scripts are `BEGIN; …; COMMIT;`. The error reaches the pool before the ReadyForQuery
  // saying the transaction is aborted: read too early, the connection looks idle.
  const proxy = await splitAnswersAfterErrors(url);
  after(() => proxy.close());
  const db = testDatabase(proxy.url(url), { max: 1 });
  await assert.rejects(db.exec('BEGIN; SELECT 1/0; COMMIT;'), /division by zero/);
  assert.equal((await db.one<{ x: number }>('SELECT 1 AS x')).x, 1);
  await assert.rejects(
    db.withConnection((conn) => conn.exec('BEGIN; SELECT 1/0; COMMIT;')),
    /division by zero/,
  );
  assert.equal((await db.one<{ x: number }>('SELECT 2 AS x')).x, 2);
  assert.equal(db.status().counters.dirtyReturns, 2, 'rolled back on return, both times');
  assert.equal(db.status().counters.discarded, 0, 'the connection was repaired, not destroyed');
});

test('a connection holding a session advisory lock or LISTEN is destroyed, freeing them', async () => {
  const db = testDatabase(url, { max: 1 });
  const other = testDatabase(url, { max: 1 });
  await db.withConnection((conn) => conn.one('SELECT pg_advisory_lock(42)'));
  const { got } = await other.one<{ got: boolean }>('SELECT pg_try_advisory_lock(42) AS got');
  assert.equal(got, true, 'the lock died with the discarded session');
  // Function names are case-insensitive in SQL: so is the pool's reading of them.
  await db.withConnection((conn) => conn.one('SELECT PG_ADVISORY_LOCK(43)'));
  const { again } = await other.one<{ again: boolean }>('SELECT pg_try_advisory_lock(43) AS again');
  assert.equal(again, true, 'an upper-case call is seen too');
  await db.withConnection((conn) => conn.exec('LISTEN agora_events'));
  assert.equal(db.status().counters.discarded, 3);
  assert.equal((await db.one<{ x: number }>('SELECT 1 AS x')).x, 1);
});

test('a temporary table left by a scope or a one-shot never reaches the next borrower', async () => {
  const db = testDatabase(url, { max: 1 });
  await db.withConnection((conn) => conn.exec('CREATE TEMP TABLE scratch (n int)'));
  // The same name again: it would fail with "already exists" on the same session.
  await db.withConnection((conn) => conn.exec('CREATE TEMPORARY TABLE scratch (n int)'));
  await db.exec('CREATE TEMP TABLE scratch (n int)');
  await db.withConnection((conn) => conn.exec('SELECT 1 AS n INTO TEMP scratch'));
  const left = await db.one<{ n: number }>("SELECT count(*) AS n FROM pg_class WHERE relname = 'scratch'");
  assert.equal(left.n, 0, 'no session kept one');
  assert.equal(db.status().counters.discarded, 4);
  // ON COMMIT DROP ends with its transaction: the connection is handed on.
  await db.transaction((tx) => tx.exec('CREATE TEMP TABLE batch (n int) ON COMMIT DROP'));
  assert.equal(db.status().counters.discarded, 4);
});

test('a connection held past the leak threshold is logged once with the code that took it', async () => {
  const log = recordingLogger();
  const db = testDatabase(url, { max: 2, leakThresholdMs: 100 }, log);
  const conn = await db.acquire(); // forgotten: no `await using`
  await sleep(400);
  const leaks = log.entries.filter((e) => /leak threshold/.test(e.message));
  assert.equal(leaks.length, 1);
  assert.match(String(leaks[0]?.details.stack), /hygiene\.test\.ts/);
  assert.ok(Number(leaks[0]?.details.heldMs) >= 100);
  assert.equal(db.status().counters.leaks, 1);
  await conn.release();
  assert.ok(log.entries.some((e) => /leaked connection came back/.test(e.message)));
  assert.equal(db.status().active, 0);
});

test('each leaked transaction is reported with the function that wrote its callback, on every call', async () => {
  const log = recordingLogger();
  const db = testDatabase(url, { max: 4, leakThresholdMs: 100 }, log);
  // Two call sites, each called twice: the second call of each reuses the stack taken on the first.
  const holdInPayouts = () => db.transaction((tx) => sleep(300).then(() => tx.one('SELECT 1 AS x')));
  const holdInRefunds = () => db.transaction((tx) => sleep(300).then(() => tx.one('SELECT 2 AS x')));
  await Promise.all([holdInPayouts(), holdInRefunds(), holdInPayouts(), holdInRefunds()]);
  const stacks = log.entries
    .filter((e) => /leak threshold/.test(e.message))
    .map((e) => String(e.details.stack));
  assert.equal(stacks.length, 4);
  assert.equal(stacks.filter((stack) => /holdInPayouts/.test(stack)).length, 2);
  assert.equal(stacks.filter((stack) => /holdInRefunds/.test(stack)).length, 2);
});

test('connections past their lifetime are retired on return', async () => {
  const db = testDatabase(url, { max: 1, maxLifetimeMs: 1_000, maxLifetimeJitter: 0.5 });
  const first = await db.withConnection(async (conn) => {
    await sleep(1_100); // in use when its lifetime ends
    return conn.one<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  });
  const second = await db.one<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  assert.notEqual(second.pid, first.pid);
  assert.equal(db.status().counters.connectionsClosed, 1);
  assert.equal(db.status().counters.connectionsLost, 0);
});

test('prepared statements are named by default on a direct connection, and unnamed when disabled', async () => {
  const plain = testDatabase(url, { max: 1, preparedStatements: false });
  const count = (q: typeof plain) =>
    q.withConnection(async (conn) => {
      await conn.one('SELECT $1::int AS x', [1]);
      return (await conn.one<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements')).n;
    });
  assert.equal(await count(plain), 0);
  const prepared = testDatabase(url, { max: 1, preparedStatements: true });
  assert.equal(await count(prepared), 1);
  assert.equal(await count(testDatabase(url, { max: 1 })), 1, 'the default on a direct connection');
  assert.equal(
    poolSettingsSchema.parse({}).preparedStatements,
    undefined,
    'unset: decided by the connection',
  );
});

test('status reports live counts and acquire-wait percentiles', async () => {
  const db = testDatabase(url, { max: 2 });
  await Promise.all(Array.from({ length: 20 }, () => db.one('SELECT pg_sleep(0.01)::text')));
  const status = db.status();
  assert.equal(status.acquireWaitMs.samples, 20);
  assert.ok(status.acquireWaitMs.p99 >= status.acquireWaitMs.p50);
  assert.ok(status.acquireWaitMs.max >= 10, 'callers queued behind the two connections');
  assert.equal(status.total, 2);
  assert.equal(status.active + status.idle, status.total);
});

test('settings are read from the environment and validated', () => {
  const settings = poolSettingsSchema.parse({
    DB_POOL_MAX: '20',
    DB_LEAK_THRESHOLD_MS: '0',
    DB_PREPARED_STATEMENTS: 'true',
  });
  assert.equal(settings.max, 20);
  assert.equal(settings.min, 2);
  assert.equal(settings.acquireTimeoutMs, 5_000);
  assert.equal(settings.leakThresholdMs, 0);
  assert.equal(settings.preparedStatements, true);
  assert.throws(
    () => poolSettingsSchema.parse({ DB_POOL_MIN: '5', DB_POOL_MAX: '2' }),
    /DB_POOL_MIN must not exceed/,
  );
  assert.throws(() => poolSettingsSchema.parse({ DB_POOL_MAX: 'ten' }));
  assert.throws(
    () => poolSettingsSchema.parse({ DB_PREPARED_STATEMENTS: 'true', DB_TRANSACTION_POOLER: 'true' }),
    /transaction-mode pooler/,
  );
});

test('TLS: sslmode in the URL is honoured; otherwise required for remote hosts only', () => {
  const remote = resolveTarget({ DATABASE_URL: 'postgres://u:p@db.example.com:5432/app' });
  assert.deepEqual(remote.kind === 'url' && remote.ssl, { rejectUnauthorized: true });
  const local = resolveTarget({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/app' });
  assert.equal(local.kind === 'url' && local.ssl, false);
  const explicit = resolveTarget({ DATABASE_URL: 'postgres://u:p@db.example.com/app?sslmode=disable' });
  assert.equal(explicit.kind === 'url' && explicit.ssl, undefined, 'left to the driver, which reads sslmode');
  const pooled = resolveTarget({ DATABASE_URL: 'postgres://u:p@pooler.example.com/app?pgbouncer=true' });
  assert.equal(pooled.kind === 'url' && pooled.viaPooler, true);
  assert.deepEqual(resolveTarget({ PGHOST: 'localhost' }), { kind: 'pg-env', ssl: false });
  assert.deepEqual(resolveTarget({}), { kind: 'embedded' });
});
