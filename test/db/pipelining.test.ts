// One-shot statements share connections (pipelined), prepared statements are named per
// connection, and bigint columns are numbers: what each promises, and how each fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConnectionLostError,
  QueryError,
  SessionStatementError,
  type Transaction,
  UnsafeIntegerError,
} from '../../src/db/index.ts';
import { adminDatabase, freshDatabase, testDatabase } from '../support/database.ts';

const url = await freshDatabase();
const admin = adminDatabase();
test.after(() => admin.close());
{
  const setup = testDatabase(url, { min: 0, max: 1 });
  await setup.exec('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
  await setup.exec("INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 10) g");
}

async function eventually(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(5);
  }
}

test('a failing statement among 50 pipelined on one connection fails alone', async () => {
  const db = testDatabase(url, { max: 1 });
  const calls = Array.from({ length: 50 }, (_, i) =>
    // Each takes 5 ms on the server: the 50 are still in flight when we look, however fast the machine.
    i === 24
      ? db.one('SELECT 1 / 0 AS boom')
      : db.one<{ i: number }>('SELECT $1::int AS i FROM pg_sleep(0.005)', [i]),
  );
  const settled = Promise.allSettled(calls); // the failure may arrive while we look
  await eventually(() => (db.status().connections[0]?.inFlight ?? 0) > 1);
  const outcomes = await settled;
  const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [[i, o.reason]] : []));
  assert.equal(failed.length, 1);
  assert.equal(failed[0]?.[0], 24);
  assert.ok(failed[0]?.[1] instanceof QueryError);
  assert.match(String(failed[0]?.[1]), /division by zero/);
  outcomes.forEach((o, i) => {
    if (i !== 24) assert.deepEqual(o.status === 'fulfilled' && o.value, { i });
  });
  const status = db.status();
  assert.equal(status.counters.connectionsCreated, 1, 'all 50 shared the one connection');
  assert.equal(status.active, 0, 'given back once drained');
  assert.deepEqual(status.connections, []);
});

const QUICK = 'SELECT pg_backend_pid() AS pid, id FROM notes WHERE id = $1';
type Pid = { pid: number };

/** 50 callers, 4 quick reads each: the pool learns what the statement costs when it is pipelined. */
async function warmQuick(db: ReturnType<typeof testDatabase>): Promise<void> {
  await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      for (let round = 0; round < 4; round++) await db.one(QUICK, [(i % 10) + 1]);
    }),
  );
}

test('slow statements asked together each take a connection of their own', async () => {
  const db = testDatabase(url, { min: 10, max: 10 });
  await db.initialize();
  const slow = () => db.one<Pid>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)::text');
  for (const round of ['not seen yet', 'known to be slow']) {
    await eventually(() => db.status().active === 0); // every connection back from the round before
    const pids = await Promise.all(Array.from({ length: 10 }, slow));
    assert.equal(new Set(pids.map((row) => row.pid)).size, 10, `ten statements ${round} ran side by side`);
  }
});

test('a quick statement never waits behind a slow one while a connection is free', async () => {
  const db = testDatabase(url, { min: 0, max: 10 });
  await warmQuick(db);
  const order: string[] = [];
  const slow = db.one('SELECT pg_sleep(0.3)::text').then(() => order.push('slow'));
  await eventually(() => db.status().connections.some((c) => c.inFlight > 0));
  await db.one(QUICK, [1]).then(() => order.push('quick'));
  await slow;
  assert.deepEqual(order, ['quick', 'slow']);
});

test('a quick statement stuck on a lock stops others from joining its connection', async () => {
  const db = testDatabase(url, { min: 0, max: 10 });
  const update = 'UPDATE notes SET body = body WHERE id = $1';
  for (let i = 0; i < 20; i++) await db.exec(update, [2]); // known to be quick
  await warmQuick(db);
  await using holder = await db.acquire();
  await holder.exec('BEGIN');
  await holder.exec(update, [2]);
  const blocked = db.exec(update, [2]);
  await eventually(() => db.status().connections.some((c) => c.pipelined && c.inFlight > 0));
  await sleep(20); // longer than a connection may lag and still take more
  const read = await db.one<Pid>(QUICK, [3]);
  const stuck = db.status().connections.find((c) => c.pipelined && c.inFlight > 0);
  assert.ok(stuck, 'the update still waits for the lock');
  assert.notEqual(read.pid, stuck.pid, 'the read went to another connection and was answered');
  await holder.exec('COMMIT');
  await blocked;
});

test('a backend killed under a pipeline fails only its own statements, and the pool recovers', async () => {
  const db = testDatabase(url, { min: 2, max: 2 });
  await db.initialize();
  const calls = Array.from({ length: 10 }, (_, i) =>
    db.one<{ i: number; pid: number }>('SELECT $1::int AS i, pg_backend_pid() AS pid, pg_sleep(0.3)::text', [
      i,
    ]),
  );
  const settled = Promise.allSettled(calls);
  await eventually(() => db.status().connections.reduce((n, c) => n + c.inFlight, 0) === 10);
  const [victim, survivor] = db.status().connections;
  assert.ok(
    victim && survivor && victim.inFlight > 0 && survivor.inFlight > 0,
    'both connections carry some',
  );
  await admin.one('SELECT pg_terminate_backend($1)', [victim.pid]);

  const outcomes = await settled;
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
  const answers = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  // All ten were in flight at the snapshot: each failed or was answered by the backend it was on.
  const answeredBy = (pid: number) => answers.filter((row) => row.pid === pid).length;
  assert.ok(failures.length > 0, 'the kill hit statements in flight');
  for (const failure of failures) assert.ok(failure instanceof ConnectionLostError, String(failure));
  assert.equal(
    failures.length + answeredBy(victim.pid),
    victim.inFlight,
    'only statements on the killed backend failed',
  );
  assert.equal(
    answeredBy(survivor.pid),
    survivor.inFlight,
    'every statement on the other backend was answered',
  );

  const again = await Promise.all(
    Array.from({ length: 4 }, (_, i) => db.one<{ i: number }>('SELECT $1::int AS i', [i])),
  );
  assert.deepEqual(
    again.map((r) => r.i),
    [0, 1, 2, 3],
  );
  const status = db.status();
  assert.ok(status.total <= 2);
  assert.equal(status.active, 0);
  assert.ok(status.counters.connectionsLost >= 1);
});

test('a one-shot SET, LISTEN or BEGIN is refused before it is sent; in a scope they still work', async () => {
  const db = testDatabase(url, { max: 1 });
  for (const sql of [
    "SET search_path = 'nowhere'",
    'set statement_timeout = 1',
    '  -- a comment first\n  LISTEN agora_events',
    'BEGIN',
    'start transaction',
    'DISCARD ALL',
  ]) {
    await assert.rejects(db.exec(sql), SessionStatementError, sql);
  }
  assert.equal(db.status().counters.acquired, 0, 'nothing reached a connection');
  const path = await db.withConnection(async (conn) => {
    await conn.exec("SET search_path = 'nowhere'");
    return conn.one<{ p: string }>("SELECT current_setting('search_path') AS p");
  });
  assert.equal(path.p, 'nowhere');
  assert.equal(
    (await db.one<{ p: string }>("SELECT current_setting('search_path') AS p")).p,
    '"$user", public',
  );
  // A script that opens and closes its own transaction runs alone on a connection.
  assert.deepEqual(await db.many('BEGIN; SELECT 1 AS x; COMMIT; SELECT 2 AS y'), [{ x: 1 }, { y: 2 }]);
});

test('after ALTER TABLE, a prepared SELECT * is prepared again and re-sent once, transparently', async () => {
  const other = testDatabase(url, { max: 1 });
  await other.exec('CREATE TABLE drafts (id int PRIMARY KEY, title text NOT NULL)');
  await other.exec("INSERT INTO drafts VALUES (1, 'first')");
  const db = testDatabase(url, { max: 1, preparedStatements: true });
  const read = () => db.one('SELECT * FROM drafts WHERE id = $1', [1]);
  assert.deepEqual(await read(), { id: 1, title: 'first' });
  await other.exec("ALTER TABLE drafts ADD COLUMN tag text NOT NULL DEFAULT 'new'");
  assert.deepEqual(await read(), { id: 1, title: 'first', tag: 'new' });
  await other.exec('ALTER TABLE drafts DROP COLUMN title');
  await db.withConnection(async (conn) => {
    assert.deepEqual(await conn.one('SELECT * FROM drafts WHERE id = $1', [1]), { id: 1, tag: 'new' });
  });
  // Inside a transaction the stale plan ends the transaction (it cannot be re-sent there)…
  await other.exec('ALTER TABLE drafts ADD COLUMN n int NOT NULL DEFAULT 3');
  await assert.rejects(
    db.transaction((tx) => tx.one('SELECT * FROM drafts WHERE id = $1', [1])),
    (error: unknown) => error instanceof QueryError && error.sqlState === '0A000',
  );
  // …and the next use prepares it afresh.
  assert.deepEqual(await db.transaction((tx) => tx.one('SELECT * FROM drafts WHERE id = $1', [1])), {
    id: 1,
    tag: 'new',
    n: 3,
  });
  assert.equal(db.status().counters.connectionsCreated, 1, 'all on one connection, never discarded');
});

test("a transaction's first statement leaves with its BEGIN: prepared or not, it fails alone and is prepared again", async () => {
  const db = testDatabase(url, { max: 1, preparedStatements: true });
  const read = (tx: Transaction) => tx.one<{ v: string }>('SELECT v FROM later WHERE id = $1', [1]);
  // Its Parse fails (no table yet): the connection must not believe it prepared.
  await assert.rejects(
    db.transaction(read),
    (error: unknown) => error instanceof QueryError && error.sqlState === '42P01',
  );
  await db.exec('CREATE TABLE later (id int PRIMARY KEY, v text NOT NULL)');
  await db.exec("INSERT INTO later VALUES (1, 'one')");
  assert.deepEqual(await db.transaction(read), { v: 'one' });
  // Parsed, then failing when it runs: still prepared, and the transaction's work is rolled back.
  const insert = (tx: Transaction) => tx.exec('INSERT INTO later VALUES ($1, $2)', [1, 'again']);
  await assert.rejects(
    db.transaction(insert),
    (error: unknown) => error instanceof QueryError && error.sqlState === '23505',
  );
  await assert.rejects(
    db.transaction(insert),
    (error: unknown) => error instanceof QueryError && error.sqlState === '23505',
  );
  assert.equal(await db.transaction((tx) => tx.exec('INSERT INTO later VALUES ($1, $2)', [2, 'two'])), 1);
  // Without values (the simple protocol), and an empty transaction.
  assert.deepEqual(await db.transaction((tx) => tx.many('SELECT id FROM later ORDER BY id')), [
    { id: 1 },
    { id: 2 },
  ]);
  assert.equal(await db.transaction(async () => 'nothing sent'), 'nothing sent');
  const prepared = await db.many<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%later%'",
  );
  assert.deepEqual(prepared, [{ n: 2 }], 'each statement prepared once on the connection');
  assert.equal(db.status().counters.connectionsCreated, 1, 'all on one connection, never discarded');
});

test('each connection keeps at most DB_STATEMENT_CACHE_SIZE prepared statements, least recently used out', async () => {
  const db = testDatabase(url, { max: 1, preparedStatements: true, statementCacheSize: 2 });
  const names = await db.withConnection(async (conn) => {
    for (const n of [1, 2, 3, 1, 4]) await conn.one(`SELECT $1::int + ${n} AS x`, [n]);
    return conn.many<{ statement: string }>(
      'SELECT statement FROM pg_prepared_statements ORDER BY prepare_time',
    );
  });
  assert.deepEqual(
    names.map((n) => n.statement),
    ['SELECT $1::int + 1 AS x', 'SELECT $1::int + 4 AS x'],
  );
});

test('bigint is a number, refused beyond 2^53 - 1; numeric stays an exact string', async () => {
  const db = testDatabase(url, { max: 2 });
  const row = await db.one(
    `SELECT 9007199254740991::bigint AS max, -42::int8 AS negative, count(*) AS n,
            ARRAY[1, NULL, 3]::bigint[] AS list, 0.1::numeric + 0.2 AS exact, NULL::bigint AS nothing
     FROM notes`,
  );
  assert.deepEqual(row, {
    max: 9007199254740991,
    negative: -42,
    n: 10,
    list: [1, null, 3],
    exact: '0.3',
    nothing: null,
  });
  await assert.rejects(db.one('SELECT 9007199254740992::bigint AS x'), UnsafeIntegerError);
  await assert.rejects(
    db.one('SELECT ARRAY[-9007199254740993]::bigint[] AS x'),
    /beyond JavaScript's safe integers/,
  );
  assert.deepEqual(await db.one('SELECT 9007199254740993::bigint::text AS x'), { x: '9007199254740993' });
  assert.equal(db.status().counters.discarded, 0, 'the connection stays healthy');
});

test('inside a transaction, statements asked together leave together; one failing aborts the rest', async () => {
  const db = testDatabase(url, { max: 1 });
  const inFlight = () => db.status().connections[0]?.inFlight ?? 0;
  const asked: number[] = [];
  const sum = await db.transaction(async (tx) => {
    // While BEGIN and the first statement are on their way, a second one waits its turn.
    const opening = Promise.all([
      tx.one<{ n: number }>('SELECT 1 AS n'),
      tx.one<{ n: number }>('SELECT 2 AS n'),
    ]);
    asked.push(inFlight());
    await opening;
    // BEGIN answered: asked together, they are on the wire together.
    const both = Promise.all([
      tx.one<{ n: number }>('SELECT 3 AS n FROM pg_sleep(0.05)'),
      tx.one<{ n: number }>('SELECT 4 AS n'),
    ]);
    asked.push(inFlight());
    return (await both).reduce((total, row) => total + row.n, 0);
  });
  assert.deepEqual(asked, [1, 2]);
  assert.equal(sum, 7);

  await db.exec('CREATE TABLE IF NOT EXISTS pipelined_writes (id int PRIMARY KEY)');
  const failing = db.transaction(async (tx) => {
    await tx.exec('INSERT INTO pipelined_writes VALUES (1)');
    const outcomes = await Promise.allSettled([
      tx.one('SELECT 1 / 0 AS boom'),
      tx.exec('INSERT INTO pipelined_writes VALUES (2)'),
    ]);
    assert.match(String(outcomes[0].status === 'rejected' && outcomes[0].reason), /division by zero/);
    const second = outcomes[1].status === 'rejected' ? outcomes[1].reason : undefined;
    assert.ok(second instanceof QueryError && second.sqlState === '25P02', 'the transaction was aborted');
    throw new Error('give up');
  });
  await assert.rejects(failing, /give up/);
  assert.deepEqual(await db.many('SELECT id FROM pipelined_writes'), [], 'nothing of it was kept');
  assert.equal(db.status().counters.discarded, 0, 'the connection came back clean');

  // Outside a transaction, a scope's statements still run one after another.
  await db.withConnection(async (conn) => {
    const together = Promise.all([conn.one('SELECT 5 AS n'), conn.one('SELECT 6 AS n')]);
    assert.equal(inFlight(), 1);
    await together;
  });
});
