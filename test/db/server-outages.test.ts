// The server goes away (restart, idle-session timeout) and the pool recovers by itself.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionFailedError, ConnectionLostError, startEmbeddedPostgres } from '../../src/db/index.ts';
import { adminDatabase, freshDatabase, testDatabase } from '../support/database.ts';

test('the server stops and restarts: calls fail typed meanwhile, then the pool recovers within max', async () => {
  // A server of its own, whatever DATABASE_URL says: this test stops it.
  const parent = await mkdtemp(join(tmpdir(), 'agora-restart-'));
  await chmod(parent, 0o755);
  after(() => rm(parent, { recursive: true, force: true }));
  const dataDir = join(parent, 'data');
  let server = await startEmbeddedPostgres({ dataDir });
  const { port } = server;
  after(() => server.stop());

  const db = testDatabase(server.url, { min: 2, max: 4, acquireTimeoutMs: 1_000 });
  await db.initialize();
  await Promise.all(Array.from({ length: 8 }, () => db.one('SELECT pg_sleep(0.02)::text')));
  const createdBefore = db.status().counters.connectionsCreated;

  await server.stop();
  for (let i = 0; i < 3; i++) {
    const error = await db.one('SELECT 1').catch((e: unknown) => e);
    assert.ok(
      error instanceof ConnectionFailedError || error instanceof ConnectionLostError,
      `typed error while down, got ${String(error)}`,
    );
  }
  assert.equal(db.status().active, 0);

  server = await startEmbeddedPostgres({ dataDir, port });
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => db.one<{ i: number }>('SELECT $1::int AS i', [i])),
  );
  assert.deepEqual(
    results.map((r) => r.i),
    Array.from({ length: 20 }, (_, i) => i),
  );
  const status = db.status();
  assert.ok(status.total <= 4, `total ${status.total}`);
  assert.ok(status.counters.connectionsCreated > createdBefore, 'fresh connections replaced the dead ones');
  assert.ok(status.counters.connectionsLost >= 2, 'the idle connections killed by the shutdown were noticed');
});

test('idle_session_timeout on the server: the next call still succeeds', async () => {
  const url = await freshDatabase();
  const name = new URL(url).pathname.slice(1);
  const admin = adminDatabase();
  after(() => admin.close());
  await admin.exec(`ALTER DATABASE ${name} SET idle_session_timeout = '200ms'`);

  const db = testDatabase(url, { min: 2, max: 3 });
  await db.initialize();
  const pid = (await db.one<{ pid: number }>('SELECT pg_backend_pid() AS pid')).pid;
  await sleep(600);
  assert.ok(db.status().counters.connectionsLost >= 2, 'the server closed the idle sessions');
  const again = await db.one<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  assert.notEqual(again.pid, pid);
  assert.ok(db.status().total <= 3);
});
