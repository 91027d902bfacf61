// The pool through a real PgBouncer in transaction mode: nothing session-level is relied on, the
// timeouts still hold, no client sees another's session state, migrations and pg-boss work.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import {
  type Database,
  DbError,
  migrate,
  openDatabase,
  poolSettings,
  SessionStatementError,
  StatementTimeoutError,
} from '../../src/db/index.ts';
import { bossDb } from '../../src/jobs/boss-db.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { recordingLogger } from '../support/log.ts';
import { findPgBouncer, type PgBouncer, startPgBouncer } from '../support/pgbouncer.ts';

const binary = findPgBouncer();
const skip = binary
  ? false
  : 'no pgbouncer binary on PATH (apt-get install pgbouncer): the pooler tests did not run';
if (skip) console.warn(`SKIPPED test/db/pgbouncer.test.ts: ${skip}`);

const url = await freshDatabase();
const name = new URL(url).pathname.slice(1);
// One server connection for everyone, so that any session state left behind would be seen.
let bouncer: PgBouncer;
before(async () => {
  if (binary) bouncer = await startPgBouncer({ serverUrl: url, poolSize: 1 });
});
after(() => bouncer?.stop());

const pooled = (overrides: Parameters<typeof poolSettings>[0] = {}): Database =>
  testDatabase(bouncer.url(name), { transactionPooler: true, max: 3, ...overrides });

test('?pgbouncer=true: the pool starts through PgBouncer (no startup parameter it refuses) with named statements off', {
  skip,
}, async () => {
  const opened = await openDatabase({
    env: { DATABASE_URL: `${bouncer.url(name)}?pgbouncer=true` },
    settings: poolSettings({ max: 2 }),
    embeddedDir: '/nonexistent',
    log: { info() {}, warn() {}, error() {} },
  });
  after(() => opened.close());
  await opened.db.initialize();
  const row = await opened.db.transaction((tx) =>
    tx.one<{ timeout: string; prepared: number }>(
      "SELECT current_setting('statement_timeout') AS timeout, (SELECT count(*) FROM pg_prepared_statements) AS prepared",
    ),
  );
  assert.deepEqual(
    row,
    { timeout: '30s', prepared: 0 },
    'the timeout is applied per transaction; nothing is prepared',
  );
  await assert.rejects(
    openDatabase({
      env: { DATABASE_URL: `${bouncer.url(name)}?pgbouncer=true` },
      settings: poolSettings({ preparedStatements: true }),
      embeddedDir: '/nonexistent',
      log: { info() {}, warn() {}, error() {} },
    }),
    /cannot be used through a transaction-mode pooler/,
  );
});

test('a pg_sleep past statement_timeout is cancelled: one-shot, in a scope and in a transaction', {
  skip,
}, async () => {
  const db = pooled({ statementTimeoutMs: 300 });
  for (const run of [
    () => db.one('SELECT pg_sleep(5)'),
    () => db.withConnection((conn) => conn.one('SELECT pg_sleep(5)')),
    () => db.transaction((tx) => tx.one('SELECT pg_sleep(5)')),
  ]) {
    const started = Date.now();
    await assert.rejects(run(), StatementTimeoutError);
    assert.ok(Date.now() - started < 3_000, `cancelled after ${Date.now() - started} ms`);
  }
  assert.deepEqual(await db.one('SELECT 1 AS x'), { x: 1 }, 'the pool still serves');
});

test('a server that starts every session with our timeouts (ALTER ROLE … SET) spares transactions the setup; they still hold', {
  skip,
}, async () => {
  const withDefaults = new URL(await freshDatabase()).pathname.slice(1);
  const admin = testDatabase(url, { max: 1 });
  await admin.exec(`ALTER ROLE CURRENT_USER IN DATABASE ${withDefaults} SET statement_timeout = 300`);
  await admin.exec(
    `ALTER ROLE CURRENT_USER IN DATABASE ${withDefaults} SET idle_in_transaction_session_timeout = 60000`,
  );
  // Where a transaction's timeout comes from: 'session' once the transaction set it itself.
  const sourceInTransaction = (db: Database) =>
    db.transaction((tx) =>
      tx.one<{ setting: string; source: string }>(
        "SELECT setting, source FROM pg_settings WHERE name = 'statement_timeout'",
      ),
    );

  const db = testDatabase(bouncer.url(withDefaults), {
    transactionPooler: true,
    max: 2,
    statementTimeoutMs: 300,
  });
  await db.initialize();
  assert.equal(db.status().timeouts, 'server defaults');
  assert.deepEqual(
    await sourceInTransaction(db),
    { setting: '300', source: 'database user' },
    'no setup statement',
  );
  for (const run of [
    () => db.one('SELECT pg_sleep(5)'),
    () => db.transaction((tx) => tx.one('SELECT pg_sleep(5)')),
  ]) {
    const started = Date.now();
    await assert.rejects(run(), StatementTimeoutError);
    assert.ok(Date.now() - started < 3_000, `cancelled after ${Date.now() - started} ms`);
  }

  // Other values than the server's: each transaction sets ours, as without role defaults.
  const other = testDatabase(bouncer.url(withDefaults), { transactionPooler: true, max: 2 });
  await other.initialize();
  assert.equal(other.status().timeouts, 'each transaction');
  assert.deepEqual(await sourceInTransaction(other), { setting: '30000', source: 'session' });
});

test('without role defaults the start-up log says how to set them, and following it spares the setup', {
  skip,
}, async () => {
  const database = new URL(await freshDatabase()).pathname.slice(1);
  const log = recordingLogger();
  const setEach = testDatabase(bouncer.url(database), { transactionPooler: true, max: 1 }, log);
  await setEach.initialize();
  assert.equal(setEach.status().timeouts, 'each transaction');
  const { hint } = log.entries.find((e) => e.message === 'Connection pool: initialized')?.details ?? {};
  const statements = String(hint).match(/ALTER ROLE [^;]+;/g) ?? [];
  assert.equal(statements.length, 2, String(hint));
  const admin = testDatabase(url, { max: 1 });
  for (const statement of statements) await admin.exec(statement);
  // As the hint says: PgBouncer's server sessions pick the defaults up once reconnected.
  const pgbouncerConsole = new pg.Client({ connectionString: bouncer.url('pgbouncer') });
  await pgbouncerConsole.connect();
  await pgbouncerConsole.query('RECONNECT');
  await pgbouncerConsole.end();
  const fromRole = testDatabase(bouncer.url(database), { transactionPooler: true, max: 1 });
  await fromRole.initialize();
  assert.equal(fromRole.status().timeouts, 'server defaults');
});

test('a transaction left idle past its timeout is ended, its locks released', { skip }, async () => {
  const setup = pooled();
  await setup.exec('CREATE TABLE IF NOT EXISTS stock (id int PRIMARY KEY, n int NOT NULL)');
  await setup.exec('INSERT INTO stock VALUES (1, 0) ON CONFLICT DO NOTHING');
  const db = pooled({ idleInTransactionTimeoutMs: 300 });
  let slept = false;
  const idle = db.transaction(async (tx) => {
    await tx.exec('UPDATE stock SET n = n + 1 WHERE id = 1');
    await sleep(1_500); // e.g. a network call made with the transaction open
    slept = true;
    await tx.exec('UPDATE stock SET n = n + 1 WHERE id = 1');
  });
  const direct = testDatabase(url, { max: 1 });
  assert.equal(await direct.exec('UPDATE stock SET n = n + 10 WHERE id = 1'), 1);
  assert.equal(slept, false, 'the row lock was freed while the idle transaction still slept');
  await assert.rejects(idle, DbError);
  assert.equal(
    (await direct.one<{ n: number }>('SELECT n FROM stock WHERE id = 1')).n,
    10,
    'nothing of it committed',
  );
});

test('SET in one client is never seen by another sharing the same server session', { skip }, async () => {
  // The danger, shown with bare clients: a session SET through the pooler reaches the next client.
  const leaker = new pg.Client({ connectionString: bouncer.url(name) });
  const victim = new pg.Client({ connectionString: bouncer.url(name) });
  await Promise.all([leaker.connect(), victim.connect()]);
  await leaker.query("SET work_mem = '7MB'");
  const { rows } = await victim.query("SELECT current_setting('work_mem') AS mem");
  assert.equal(rows[0]?.mem, '7MB', 'one server session behind the pooler: a session SET leaks');
  await leaker.query('RESET work_mem');
  await Promise.all([leaker.end(), victim.end()]);

  const a = pooled();
  const b = pooled();
  await assert.rejects(
    a.withConnection((conn) => conn.exec("SET search_path = 'nowhere'")),
    SessionStatementError,
  );
  await assert.rejects(a.exec("SELECT set_config('work_mem', '9MB', false)"), SessionStatementError);
  // Inside a transaction too, unless is_local is written true: a bound one could be false.
  await assert.rejects(
    a.transaction((tx) => tx.one("SELECT set_config('work_mem', '9MB', $1)", [false])),
    SessionStatementError,
  );
  await assert.rejects(
    a.withConnection((conn) => conn.one('SELECT pg_advisory_lock(7)')),
    SessionStatementError,
  );
  await assert.rejects(
    a.transaction((tx) => tx.exec('CREATE TEMP TABLE kept (n int)')),
    SessionStatementError,
  );
  const inside = await a.transaction(async (tx) => {
    await tx.exec("SET LOCAL work_mem = '9MB'");
    await tx.exec('CREATE TEMP TABLE batch (n int) ON COMMIT DROP');
    return tx.one<{ mem: string }>("SELECT current_setting('work_mem') AS mem");
  });
  assert.equal(inside.mem, '9MB', 'SET LOCAL works inside a transaction');
  const seen = await b.one<{ mem: string; path: string }>(
    "SELECT current_setting('work_mem') AS mem, current_setting('search_path') AS path",
  );
  assert.deepEqual(seen, { mem: '4MB', path: '"$user", public' });
});

test('two instances migrating at once through PgBouncer run each migration once', { skip }, async () => {
  const target = await freshDatabase();
  const targetName = new URL(target).pathname.slice(1);
  const instance = () => testDatabase(bouncer.url(targetName), { transactionPooler: true, max: 2 });
  const [first, second] = await Promise.all([migrate(instance()), migrate(instance())]);
  const applied = [...first, ...second];
  assert.ok(applied.length > 0);
  assert.ok(
    first.length === 0 || second.length === 0,
    'one instance migrated, the other found nothing to do',
  );
  const direct = testDatabase(target, { max: 1 });
  const rows = await direct.many<{ name: string; times: number }>(
    'SELECT name, count(*) AS times FROM schema_migrations GROUP BY name ORDER BY name',
  );
  assert.deepEqual(
    rows.map((r) => r.name),
    [...applied].sort(),
  );
  assert.ok(rows.every((r) => r.times === 1));
  assert.deepEqual(await migrate(instance()), [], 'a third start finds nothing to do');
});

test('pg-boss runs jobs through PgBouncer on our pool, and a job sent in a rolled-back transaction never exists', {
  skip,
}, async () => {
  const db = pooled({ max: 4 });
  const boss = new PgBoss({ db: bossDb(db), schema: 'pgboss_pooler', schedule: false, supervise: true });
  const errors: unknown[] = [];
  boss.on('error', (error) => errors.push(error));
  await boss.start();
  after(() => boss.stop({ graceful: false, timeout: 2_000 }));
  await boss.createQueue('pooler_test');
  const done: string[] = [];
  await boss.work<{ n: string }>('pooler_test', { pollingIntervalSeconds: 0.5 }, async ([job]) => {
    if (job) done.push(job.data.n);
  });
  await boss.send('pooler_test', { n: 'one-shot' });
  await db.transaction(async (tx) => {
    await boss.send('pooler_test', { n: 'committed' }, { db: bossDb(tx) });
  });
  await assert.rejects(
    db.transaction(async (tx) => {
      await boss.send('pooler_test', { n: 'rolled back' }, { db: bossDb(tx) });
      throw new Error('changed my mind');
    }),
    /changed my mind/,
  );
  const deadline = Date.now() + 20_000;
  while (done.length < 2 && Date.now() < deadline) await sleep(50);
  await sleep(300);
  assert.deepEqual(done.sort(), ['committed', 'one-shot']);
  assert.deepEqual(errors, []);
  await boss.stop({ graceful: true, timeout: 5_000 });
  assert.equal(db.status().active, 0);
});
