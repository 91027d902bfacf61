// A transaction's COMMIT hands the connection to the next waiting caller as soon as it is
// written: what that caller sees, and what the pool still cleans before handing a connection on.
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { UniqueViolationError } from '../../src/db/index.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

const url = await freshDatabase();
{
  const setup = testDatabase(url, { min: 0, max: 1 });
  await setup.exec('CREATE TABLE entries (id int PRIMARY KEY, body text NOT NULL)');
  // Checked at COMMIT: a duplicate makes the COMMIT itself fail.
  await setup.exec(
    'CREATE TABLE tickets (code text, CONSTRAINT tickets_code_unique UNIQUE (code) DEFERRABLE INITIALLY DEFERRED)',
  );
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
