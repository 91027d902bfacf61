// Backup → drop the database → restore: every table comes back identical, ids continue after the
// restored ones, and a restored product still serves its file from the untouched storage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGunzip } from 'node:zlib';
import { createDownloadService } from '../../src/services/downloads.ts';
import {
  backupService,
  emptyDatabase,
  fingerprints,
  localStorage,
  recreateDatabase,
  schemaShape,
  seedEverything,
} from './support.ts';

const storage = await localStorage();
const { db: original, url } = await emptyDatabase();
await seedEverything(original, storage);
const before = await fingerprints(original);
const shapeBefore = await schemaShape(original);
const latestMigration = (
  await original.one<{ name: string }>(
    'SELECT name FROM schema_migrations ORDER BY run_on DESC, id DESC LIMIT 1',
  )
).name;
const tablesBefore = await original.many<{ name: string }>(
  `SELECT table_name AS name FROM information_schema.tables
   WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
);
const maxAuditId = await original.one<{ id: number }>('SELECT max(id)::int AS id FROM admin_audit_log');
const backup = await backupService(original, storage).backup();
const restoredDb = await recreateDatabase(original, url);
const restored = await backupService(restoredDb, storage).restore({ key: backup.key });

// Rows that live only inside a transaction in flight (migration 015): always empty in a snapshot.
const TRANSIENT_TABLES = new Set(['product_sale_changes']);

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test('the snapshot covers every table of the public schema, migrations included, and no pg-boss table', async () => {
  const tables = tablesBefore;
  assert.ok(
    tables.some((t) => t.name === 'schema_migrations'),
    'the schema version travels',
  );
  assert.deepEqual(
    Object.keys(before).sort(),
    tables.map((t) => t.name),
  );
  for (const [table, { rows }] of Object.entries(before)) {
    if (TRANSIENT_TABLES.has(table)) assert.equal(rows, 0, `${table} is empty outside a transaction`);
    else assert.ok(rows > 0, `${table} has rows to restore`);
  }
  assert.equal(backup.tables, Object.keys(before).length);
  assert.equal(
    backup.rows,
    Object.values(before).reduce((sum, table) => sum + table.rows, 0),
  );
  assert.deepEqual(restored, {
    schemaVersion: backup.schemaVersion,
    createdAt: backup.createdAt,
    tables: backup.tables,
    rows: backup.rows,
  });
  const header = JSON.parse(
    (await readAll((await storage.read(backup.key)).pipe(createGunzip())))
      .toString('utf8')
      .split('\n')[0] as string,
  );
  assert.equal(header.format, 'agora-snapshot');
  assert.equal(header.schemaVersion, latestMigration, 'the snapshot records the latest applied migration');
  assert.ok(!header.tables.some((t: { name: string }) => t.name.startsWith('pgboss')));
});

test('after drop and restore, every table holds the same rows (counts and md5 of the sorted rows)', async () => {
  assert.deepEqual(await fingerprints(restoredDb), before);
});

test('the restored schema has every index, constraint and trigger back, validated', async () => {
  const shape = await schemaShape(restoredDb);
  assert.ok(
    shape.some((line) => line.includes('FOREIGN KEY')) && shape.some((line) => line.includes('gin_trgm_ops')),
  );
  assert.deepEqual(shape, shapeBefore);
});

test('identity columns continue after the restored ids, past a gap left by a deletion', async () => {
  const next = await restoredDb.one<{ id: number }>(
    `INSERT INTO admin_audit_log (admin_id, action) VALUES (900000000, 'backup.test') RETURNING id::int`,
  );
  assert.equal(next.id, maxAuditId.id + 2);
  const identities = await restoredDb.many<{ table: string; column: string }>(
    `SELECT table_name AS table, column_name AS column FROM information_schema.columns
     WHERE table_schema = 'public' AND is_identity = 'YES'`,
  );
  assert.ok(identities.length >= 10);
  for (const { table, column } of identities) {
    if (TRANSIENT_TABLES.has(table)) continue;
    const { behind } = await restoredDb.one<{ behind: boolean }>(
      `SELECT coalesce(max(${column}), 0) > (SELECT last_value FROM pg_sequences
         WHERE schemaname || '.' || sequencename = pg_get_serial_sequence('public.${table}', '${column}')) AS behind
       FROM public.${table}`,
    );
    assert.equal(behind, false, `the sequence of ${table}.${column} is at or past its largest id`);
  }
});

test('a restored purchase still downloads its file from storage', async () => {
  const order = await restoredDb.one<{ id: string; buyerId: number; key: string }>(
    `SELECT o.id, o.buyer_id::float8 AS "buyerId", f.storage_key AS key FROM orders o
     JOIN products p ON p.id = o.product_id JOIN stored_files f ON f.id = p.main_file_id
     WHERE o.status = 'paid' ORDER BY o.id LIMIT 1`,
  );
  const downloads = createDownloadService({ db: restoredDb, storage });
  const { token } = await downloads.createLink(order.buyerId, order.id);
  const delivery = await downloads.open(token);
  assert.equal(delivery.kind, 'stream');
  if (delivery.kind !== 'stream') return;
  assert.equal(delivery.file.storageKey, order.key);
  const bytes = await readAll(delivery.body);
  assert.equal(bytes.length, delivery.file.sizeBytes);
  assert.match(bytes.toString('utf8'), /\(Agora demo file\)/);
});
