// Session storage in PostgreSQL: what grammY's session plugin reads and writes, through the
// sessions service.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionConflictError, sessionStorage } from '../../src/bot/session-storage.ts';
import { migrate } from '../../src/db/index.ts';
import {
  deleteSession,
  readSession,
  SessionKeyError,
  writeSession,
} from '../../src/repositories/sessions.ts';
import { createSessionService } from '../../src/services/sessions.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

const db = testDatabase(await freshDatabase(), { max: 3 });
await migrate(db);
const sessions = createSessionService({ db });

test('a session is written, read back, replaced and deleted', async () => {
  assert.equal(await readSession(db, 'user:1'), undefined);
  await writeSession(db, 'user:1', { language: 'en', wizard: { step: 'price', title: 'Guide <b>' } });
  assert.deepEqual(await readSession(db, 'user:1'), {
    language: 'en',
    wizard: { step: 'price', title: 'Guide <b>' },
  });
  await writeSession(db, 'user:1', { language: 'fr' });
  assert.deepEqual(await readSession(db, 'user:1'), { language: 'fr' });
  assert.equal(await deleteSession(db, 'user:1'), true);
  assert.equal(await deleteSession(db, 'user:1'), false);
  assert.equal(await readSession(db, 'user:1'), undefined);
});

test('writing an unchanged value leaves the row alone', async () => {
  await writeSession(db, 'user:2', { language: 'en' });
  const before = await db.one<{ updated_at: Date; xmin: string }>(
    "SELECT updated_at, xmin::text FROM bot_sessions WHERE key = 'user:2'",
  );
  await writeSession(db, 'user:2', { language: 'en' });
  const after = await db.one<{ updated_at: Date; xmin: string }>(
    "SELECT updated_at, xmin::text FROM bot_sessions WHERE key = 'user:2'",
  );
  assert.deepEqual(after, before);
});

test('a bad key is a typed error, not a database error', async () => {
  await assert.rejects(readSession(db, ''), SessionKeyError);
  await assert.rejects(writeSession(db, 'k'.repeat(256), {}), SessionKeyError);
  await assert.rejects(
    sessions.write('', {}),
    (error: unknown) => error instanceof SessionKeyError && error.code === 'session_key_invalid',
  );
});

test('the grammY storage adapter reads and writes through the service; a rolled-back write leaves it', async () => {
  const storage = sessionStorage<{ n: number }>(sessions);
  await storage.write('user:3', { n: 1 });
  assert.deepEqual(await storage.read('user:3'), { n: 1 });
  await db
    .transaction(async (tx) => {
      await writeSession(tx, 'user:3', { n: 2 });
      throw new Error('rolled back');
    })
    .catch(() => {});
  assert.deepEqual(await storage.read('user:3'), { n: 1 });
  await storage.delete('user:3');
  assert.equal(await storage.read('user:3'), undefined);
});

test('two instances on one database: a write from an update that read an older session is refused, not lost', async () => {
  const first = sessionStorage<{ step: string }>(createSessionService({ db }));
  const second = sessionStorage<{ step: string }>(createSessionService({ db }));
  await first.write('user:4', { step: 'title' });
  // Both instances handle an update of user 4 at once.
  assert.deepEqual(await first.read('user:4'), { step: 'title' });
  assert.deepEqual(await second.read('user:4'), { step: 'title' });
  await second.write('user:4', { step: 'price' });
  await assert.rejects(
    async () => first.write('user:4', { step: 'description' }),
    (error: unknown) => error instanceof SessionConflictError && error.code === 'session_conflict',
  );
  assert.deepEqual(await readSession(db, 'user:4'), { step: 'price' }, "the second instance's change stays");
  // The next update reads the new version and writes normally.
  await first.read('user:4');
  await first.write('user:4', { step: 'file' });
  assert.deepEqual(await readSession(db, 'user:4'), { step: 'file' });
});

test('two instances creating the same session: the second insert is refused; an unchanged session is not written', async () => {
  const first = sessionStorage<{ n: number }>(createSessionService({ db }));
  const second = sessionStorage<{ n: number }>(createSessionService({ db }));
  assert.equal(await first.read('user:5'), undefined);
  assert.equal(await second.read('user:5'), undefined);
  await first.write('user:5', { n: 1 });
  await assert.rejects(async () => second.write('user:5', { n: 2 }), SessionConflictError);
  assert.deepEqual(await readSession(db, 'user:5'), { n: 1 });

  // An update that changed nothing writes nothing, so it cannot conflict either.
  await first.read('user:5');
  await second.read('user:5');
  await second.write('user:5', { n: 3 });
  await first.write('user:5', { n: 1 });
  assert.deepEqual(await readSession(db, 'user:5'), { n: 3 });
});

test('two instances writing the same value do not conflict: nothing is lost', async () => {
  const first = sessionStorage<{ recorded: string }>(createSessionService({ db }));
  const second = sessionStorage<{ recorded: string }>(createSessionService({ db }));
  await first.read('user:6');
  await second.read('user:6');
  await first.write('user:6', { recorded: 'abc' });
  await second.write('user:6', { recorded: 'abc' });
  assert.deepEqual(await readSession(db, 'user:6'), { recorded: 'abc' });
});
