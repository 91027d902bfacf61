// Callers that find every connection checked out wait in the pool's own queue: a connection given
// back goes straight to the oldest of them, each gives up after its own acquire timeout, and a
// connection destroyed meanwhile is replaced for them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Database, PoolClosedError, PoolSaturatedError } from '../../src/db/index.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

const url = await freshDatabase();

const pidOf = async (q: { one: Database['one'] }) =>
  (await q.one<{ pid: number }>('SELECT pg_backend_pid() AS pid')).pid;

/** Checks the pool's only connection out until the returned function is called. */
async function holdOnlyConnection(db: Database): Promise<{ pid: number; release: () => Promise<void> }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let pid = 0;
  const held = db.withConnection(async (conn) => {
    pid = await pidOf(conn);
    await released;
  });
  while (pid === 0) await sleep(5);
  return {
    pid,
    release: async () => {
      release();
      await held;
    },
  };
}

async function waitersQueued(db: Database, count: number): Promise<void> {
  while (db.status().waiting < count) await sleep(5);
}

test('callers waiting for a connection get it first come, first served, the same session handed on', async () => {
  const db = testDatabase(url, { min: 0, max: 1 });
  const holder = await holdOnlyConnection(db);
  const served: number[] = [];
  const waiters = [0, 1, 2, 3, 4].map(async (i) => {
    await sleep(i * 10); // queued in this order
    return db.withConnection(async (conn) => {
      served.push(i);
      return pidOf(conn);
    });
  });
  await waitersQueued(db, 5);
  await holder.release();
  const pids = await Promise.all(waiters);
  assert.deepEqual(served, [0, 1, 2, 3, 4]);
  assert.deepEqual(new Set(pids), new Set([holder.pid]), 'the connection was handed on, never reopened');
  const { counters, waiting, active } = db.status();
  assert.equal(counters.connectionsCreated, 1);
  assert.equal(counters.acquired, 6);
  assert.deepEqual({ waiting, active }, { waiting: 0, active: 0 });
});

test('each waiting caller gives up after its own acquire timeout, in the order they came', async () => {
  const db = testDatabase(url, { min: 0, max: 1, acquireTimeoutMs: 300 });
  const holder = await holdOnlyConnection(db);
  const failedAt: Record<string, number> = {};
  const started = performance.now();
  const wait = async (name: string, after: number) => {
    await sleep(after);
    const asked = performance.now();
    const error = await db.one('SELECT 1').catch((e: unknown) => e);
    failedAt[name] = performance.now() - started;
    assert.ok(error instanceof PoolSaturatedError, String(error));
    const waited = performance.now() - asked;
    assert.ok(waited >= 280 && waited < 2_000, `${name} waited ${Math.round(waited)} ms`);
  };
  await Promise.all([wait('first', 0), wait('second', 150)]);
  assert.ok((failedAt.first as number) < (failedAt.second as number));
  assert.equal(db.status().counters.timedOut, 2);
  await holder.release();
  assert.equal(await pidOf(db), holder.pid, 'the pool serves again once the holder is back');
});

test('a connection destroyed while callers wait is replaced for them', async () => {
  const db = testDatabase(url, { min: 0, max: 1 });
  let pid = 0;
  // A session advisory lock: the connection cannot be handed on, it is destroyed on return.
  const holder = db.withConnection(async (conn) => {
    pid = await pidOf(conn);
    await conn.one('SELECT pg_advisory_lock(42)::text');
    await waitersQueued(db, 2);
  });
  const waiters = [db.withConnection(pidOf), db.withConnection(pidOf)];
  await holder;
  const [first, second] = await Promise.all(waiters);
  assert.notEqual(first, pid);
  assert.equal(second, first, 'the new connection is handed on to the next one');
  const { counters } = db.status();
  assert.equal(counters.discarded, 1);
  assert.equal(counters.connectionsCreated, 2);
});

test('closing the pool refuses the callers still waiting at once', async () => {
  const db = testDatabase(url, { min: 0, max: 1, acquireTimeoutMs: 30_000 });
  const holder = await holdOnlyConnection(db);
  const waiters = [db.one('SELECT 1'), db.withConnection(pidOf), db.transaction((tx) => tx.one('SELECT 1'))];
  await waitersQueued(db, 3);
  const closing = db.close({ timeoutMs: 5_000 });
  const started = performance.now();
  for (const waiter of waiters) await assert.rejects(waiter, PoolClosedError);
  assert.ok(performance.now() - started < 1_000, 'refused without waiting for a connection');
  await holder.release();
  await closing;
});
