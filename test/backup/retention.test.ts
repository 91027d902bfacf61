// Snapshots are kept 30 days: each prune after a new backup deletes older ones (never the newest),
// on a local folder and on an S3-compatible bucket (our S3 client against the local S3 double).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrate } from '../../src/db/index.ts';
import { BACKUP_INDEX_KEY } from '../../src/services/backups.ts';
import { S3FileStorage } from '../../src/storage/index.ts';
import { startS3Double } from '../storage/s3-double.ts';
import { backupService, emptyDatabase, fingerprints, localStorage } from './support.ts';

const DAY = 24 * 3600 * 1000;
const { db } = await emptyDatabase();
await migrate(db);
await db.exec(`INSERT INTO users (id, first_name) VALUES (1, 'Ada'), (2, 'Grace')`);
const { db: target } = await emptyDatabase();

test('a daily backup and prune keeps the snapshots of the last 30 days', async () => {
  const storage = await localStorage();
  let now = new Date('2025-01-01T03:00:00.000Z');
  const backups = backupService(db, storage, () => now);
  const taken: Record<number, string> = {};
  for (const day of [0, 10, 20, 29, 31, 45]) {
    now = new Date(Date.parse('2025-01-01T03:00:00.000Z') + day * DAY);
    taken[day] = (await backups.backup()).key;
    await backups.prune();
  }
  const kept = (await backups.list()).map((snapshot) => snapshot.key);
  // On day 45 the cut-off is day 15: days 20, 29, 31 and 45 stay, newest first.
  assert.deepEqual(kept, [taken[45], taken[31], taken[29], taken[20]]);
  for (const day of [0, 10])
    assert.equal(await storage.exists(taken[day] as string), false, `day ${day} deleted`);
  for (const key of kept) assert.equal(await storage.exists(key as string), true);
  assert.match(taken[45] as string, /^backups\/agora-2025-02-15T03-00-00\.000Z\.ndjson\.gz$/);
});

test('the newest snapshot is kept however old it is, and a prune without expired snapshots changes nothing', async () => {
  const storage = await localStorage();
  let now = new Date('2025-01-01T00:00:00.000Z');
  const backups = backupService(db, storage, () => now);
  const { key } = await backups.backup();
  now = new Date(now.getTime() + 400 * DAY);
  assert.deepEqual(await backups.prune(), { deleted: [], kept: 1 });
  assert.equal(await storage.exists(key), true);
  assert.equal((await backups.list()).length, 1);
});

test('on an S3-compatible bucket: backup, list, prune and restore by key', async () => {
  const credentials = {
    bucket: 'agora-backups',
    region: 'auto',
    accessKeyId: 'AKIDBACKUP',
    secretAccessKey: 'secret',
  };
  const double = await startS3Double(credentials);
  const storage = new S3FileStorage({ ...credentials, endpoint: double.endpoint, forcePathStyle: true });
  try {
    let now = new Date('2025-03-01T03:00:00.000Z');
    const backups = backupService(db, storage, () => now);
    const first = await backups.backup();
    now = new Date(now.getTime() + 31 * DAY);
    const second = await backups.backup();
    assert.deepEqual(await backups.prune(), { deleted: [first.key], kept: 1 });
    assert.deepEqual([...double.objects.keys()].sort(), [BACKUP_INDEX_KEY, second.key].sort());
    assert.equal(double.objects.get(second.key)?.contentType, 'application/gzip');

    const restored = await backupService(target, storage).restore({ key: second.key });
    assert.equal(restored.rows, second.rows);
    assert.deepEqual(await fingerprints(target), await fingerprints(db));
  } finally {
    await storage.close();
    await double.close();
  }
});
