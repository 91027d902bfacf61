// A transaction's COMMIT hands the connection to the next waiting caller as soon as it is
// written: what that caller sees, and what the pool still cleans before handing a connection on.
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionLostError, UniqueViolationError } from '../../src/db/index.ts';
import { adminDatabase, freshDatabase, testDatabase } from '../support/database.ts';

const url = await freshDatabase();
const admin = adminDatabase();
test.after(() => admin.close());
{
  const setup = testDatabase(url, { min: 0, max: 1 });
  await setup.exec('CREATE TABLE entries (id int PRIMARY KEY, body text NOT NULL)');
  // Checked at COMMIT: a duplicate makes the COMMIT itself fail.
  await setup.exec(
    'CREATE TABLE tickets (code text, CONSTRAINT tickets_code_unique UNIQUE (code) DEFERRABLE INITIALLY DEFERRED)',
  );
  // A COMMIT that takes 5 s: time to act while it is being answered, however busy the machine.
  await setup.exec(`
    CREATE TABLE slow_commits (id int);
    CREATE FUNCTION sleep_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(5); RETURN NULL; END $$;
    CREATE CONSTRAINT TRIGGER slow_commits_sleep AFTER INSERT ON slow_commits
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sleep_at_commit();
  `);
}

/** A TCP proxy in front of the server that keeps each chunk the client sent, as it arrived. */
async function recordingProxy(serverUrl: string) {
  const target = new URL(serverUrl);
  const sent: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      sent.push(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const through = new URL(serverUrl);
  through.hostname = '127.0.0.1';
  through.port = String((server.address() as { port: number }).port);
  return {
    url: through.toString(),
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

test("a transaction waiting for the connection leaves with the previous one's COMMIT and sees its rows", async (t) => {
  const proxy = await recordingProxy(url);
  t.after(() => proxy.close());
  const db = testDatabase(proxy.url, { max: 1 });
  const first = db.transaction((tx) => tx.exec("INSERT INTO entries VALUES (1, 'first')"));
  // Queued: the one connection is the first transaction's.
  const second = db.transaction(async (tx) => {
    const seen = await tx.many<{ id: number }>('SELECT id FROM entries WHERE id = ANY($1) ORDER BY id', [
      [1, 2],
    ]);
    await tx.exec("INSERT INTO entries VALUES (2, 'second')");
    return seen.map(({ id }) => id);
  });
  await first;
  assert.deepEqual(await second, [1], 'the second began after the first committed');
  const together = proxy.sent
    .map(String)
    .filter((chunk) => chunk.includes('COMMIT') && chunk.includes('BEGIN'));
  assert.equal(
    together.length,
    1,
    'the second BEGIN and its first statement were written with the first COMMIT',
  );
  assert.ok(together[0]?.includes('SELECT id FROM entries'));
  const { counters, active } = db.status();
  assert.equal(counters.connectionsCreated, 1);
  assert.equal(counters.commitHandOvers, 1, 'the second transaction took the connection behind the COMMIT');
  assert.equal(
    counters.doubleReleases,
    0,
    'the scope ending after its COMMIT answered is not a second release',
  );
  assert.equal(active, 0);
});

test('a COMMIT that fails fails its own transaction only: the one behind it commits', async () => {
  const db = testDatabase(url, { max: 1 });
  await db.exec("INSERT INTO tickets VALUES ('taken')");
  const failing = db.transaction((tx) => tx.exec("INSERT INTO tickets VALUES ('taken')"));
  const behind = db.transaction((tx) => tx.exec("INSERT INTO tickets VALUES ('free')"));
  const [failed, committed] = await Promise.allSettled([failing, behind]);
  assert.equal(failed.status, 'rejected');
  assert.ok(failed.status === 'rejected' && failed.reason instanceof UniqueViolationError);
  assert.deepEqual(committed, { status: 'fulfilled', value: 1 });
  const codes = await db.many<{ code: string }>('SELECT code FROM tickets ORDER BY code');
  assert.deepEqual(
    codes.map(({ code }) => code),
    ['free', 'taken'],
  );
  assert.equal(db.status().counters.connectionsCreated, 1, 'the connection carried on');
});

test('a transaction that changed its session is cleaned before the caller waiting gets the connection', async () => {
  const db = testDatabase(url, { max: 1 });
  // A plain SET inside a transaction outlives its COMMIT.
  const changing = db.transaction((tx) => tx.exec("SET application_name = 'changed'"));
  const behind = db.transaction((tx) =>
    tx.one<{ name: string }>("SELECT current_setting('application_name') AS name"),
  );
  await changing;
  assert.notEqual((await behind).name, 'changed');
  const { counters } = db.status();
  assert.equal(counters.sessionResets, 1);
  assert.equal(counters.commitHandOvers, 0, 'the connection went through the return path');
});

test('a backend killed during a COMMIT fails that transaction and the one queued behind it; the pool recovers', async () => {
  await admin.one('SELECT 1 AS ready'); // its connection open before the clock starts
  const db = testDatabase(url, { max: 1 });
  let pid = 0;
  const committing = db.transaction(async (tx) => {
    ({ pid } = await tx.one<{ pid: number }>('SELECT pg_backend_pid() AS pid'));
    await tx.exec('INSERT INTO slow_commits VALUES (1)');
  });
  const behind = db.transaction((tx) => tx.exec("INSERT INTO entries VALUES (3, 'behind')"));
  const settled = Promise.allSettled([committing, behind]); // they may fail while we look
  // The second transaction holds the connection, its statements written behind the slow COMMIT.
  while (db.status().counters.commitHandOvers === 0) await sleep(5);
  await admin.one('SELECT pg_terminate_backend($1)', [pid]);
  const outcomes = await settled;
  for (const outcome of outcomes) {
    assert.ok(
      outcome.status === 'rejected' && outcome.reason instanceof ConnectionLostError,
      String(outcome),
    );
  }
  assert.equal(
    await db.maybeOne("SELECT id FROM entries WHERE body = 'behind'"),
    null,
    'nothing ran behind it',
  );
  assert.equal(await db.maybeOne('SELECT id FROM slow_commits'), null, 'the COMMIT never completed');
  assert.equal(await db.transaction((tx) => tx.exec("INSERT INTO entries VALUES (4, 'after')")), 1);
  const { counters, active } = db.status();
  assert.equal(active, 0);
  assert.ok(counters.connectionsLost >= 1);
});
