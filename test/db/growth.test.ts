// The pool opens one connection at a time (src/db/growth.ts): a burst of callers is served by
// the connections given back while the next one opens, and callers that all hold on still get
// every connection up to max.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from '../../src/db/index.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

const url = await freshDatabase();

/** Runs `work`, sampling the pool on every turn of the event loop: the most connections opening at once. */
async function mostOpeningAtOnce(db: Database, work: Promise<unknown>): Promise<number> {
  let most = 0;
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  while (!done) {
    const { total, counters } = db.status();
    most = Math.max(most, total - (counters.connectionsCreated - counters.connectionsClosed));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await settled;
  return most;
}

test('a burst of short scopes on an empty pool opens one connection at a time, fewer than the callers', async () => {
  const db = testDatabase(url, { min: 0, max: 10 });
  const burst = Promise.all(
    Array.from({ length: 30 }, () => db.withConnection((conn) => conn.one('SELECT 1 AS x'))),
  );
  assert.equal(await mostOpeningAtOnce(db, burst), 1, 'never two connections opening at once');
  const { counters, total } = db.status();
  // pg-pool alone opens one per caller finding none idle: all ten at once.
  assert.ok(counters.connectionsCreated < 10, `${counters.connectionsCreated} connections opened`);
  assert.equal(counters.acquired, 30);
  assert.equal(total, counters.connectionsCreated, 'every connection opened is kept, idle');
});

test('callers that all hold their connection get one each, up to max, opened one after another', async () => {
  const db = testDatabase(url, { min: 0, max: 6 });
  let entered = 0;
  let allIn: () => void = () => {};
  const barrier = new Promise<void>((resolve) => {
    allIn = resolve;
  });
  const holders = Promise.all(
    Array.from({ length: 6 }, () =>
      db.withConnection(async (conn) => {
        await conn.one('SELECT 1 AS x');
        if (++entered === 6) allIn();
        await barrier; // none is given back before all six have one
      }),
    ),
  );
  assert.equal(await mostOpeningAtOnce(db, holders), 1);
  assert.equal(db.status().counters.connectionsCreated, 6);
  assert.equal(db.status().active, 0);
});
