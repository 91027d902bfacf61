// What a restore refuses, and that a refusal changes nothing: a database holding data (unless
// --force), another schema version, and damaged snapshots of every kind.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ForeignKeyViolationError, MIGRATIONS_DIR, migrate } from '../../src/db/index.ts';
import {
  RestoreTargetNotEmptyError,
  RestoreVerificationError,
  SchemaMismatchError,
  SnapshotInvalidError,
} from '../../src/services/backups.ts';
import { NotFoundError } from '../../src/services/errors.ts';
import { TableDigest } from '../../src/services/snapshot-file.ts';
import {
  backupService,
  emptyDatabase,
  fingerprints,
  localStorage,
  seedEverything,
  tempFolder,
} from './support.ts';

// The newest migration file, as the code sees it.
const LATEST_MIGRATION = (await readdir(MIGRATIONS_DIR))
  .filter((name) => name.endsWith('.sql'))
  .sort()
  .at(-1)
  ?.replace(/\.sql$/, '');

const storage = await localStorage();
const folder = await tempFolder();
const { db: source } = await emptyDatabase();
await seedEverything(source, storage);
const sourceRows = await fingerprints(source);
const { key } = await backupService(source, storage).backup();
const snapshotPath = join(folder, 'good.ndjson.gz');
await writeFile(snapshotPath, await readAllStream(await storage.read(key)));
const goodLines = gunzipSync(await readFile(snapshotPath))
  .toString('utf8')
  .split('\n')
  .slice(0, -1);

async function readAllStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let variants = 0;
async function variant(bytes: Buffer): Promise<string> {
  const path = join(folder, `variant-${++variants}.ndjson.gz`);
  await writeFile(path, bytes);
  return path;
}
const gzipLines = (lines: string[]) => variant(gzipSync(`${lines.join('\n')}\n`));

type Header = {
  schemaVersion: string;
  version: number;
  tables: { name: string; rows: number; checksum: string }[];
};
const header = (): Header => JSON.parse(goodLines[0] as string);
/** Where a table's rows sit among the lines. */
function rowsOf(table: string): { first: number; count: number } {
  const section = goodLines.indexOf(JSON.stringify({ table }));
  const count = header().tables.find((t) => t.name === table)?.rows ?? 0;
  return { first: section + 1, count };
}
/** The snapshot with one table's rows replaced, its header count and checksum made to match. */
function withRows(table: string, change: (rows: string[]) => string[]): string[] {
  const { first, count } = rowsOf(table);
  const rows = change(goodLines.slice(first, first + count));
  const digest = new TableDigest();
  for (const row of rows) digest.add(row);
  const h = header();
  const entry = h.tables.find((t) => t.name === table);
  if (!entry) throw new Error(`no table ${table}`);
  entry.rows = digest.rows;
  entry.checksum = digest.checksum;
  return [JSON.stringify(h), ...goodLines.slice(1, first), ...rows, ...goodLines.slice(first + count)];
}

/** A migrated database with nothing but what migrations wrote: each refusal must leave it so. */
const { db: target } = await emptyDatabase();
await migrate(target);
const pristine = await fingerprints(target);
const restoreTarget = (path: string) => backupService(target, storage).restore({ path });
// Databases are made here: freshDatabase() closes the file's pools when its caller's scope ends.
const { db: unmigrated } = await emptyDatabase();
const { db: used } = await emptyDatabase();

async function assertRefused(path: string, problem: RegExp): Promise<void> {
  await assert.rejects(restoreTarget(path), (error: unknown) => {
    assert.ok(error instanceof SnapshotInvalidError, String(error));
    assert.equal(error.code, 'snapshot_invalid');
    assert.match(error.message, problem);
    return true;
  });
  assert.deepEqual(await fingerprints(target), pristine, 'a refused restore leaves the database as it was');
}

test('a truncated snapshot is refused', async () => {
  const whole = await readFile(snapshotPath);
  await assertRefused(await variant(whole.subarray(0, Math.floor(whole.length / 2))), /truncated/);
  await assertRefused(await variant(whole.subarray(0, whole.length - 4)), /truncated|not intact/);
});

test('a file that is not an intact gzip snapshot is refused', async () => {
  await assertRefused(await variant(Buffer.from(goodLines.join('\n'))), /not intact gzip/);
  const flipped = Buffer.from(await readFile(snapshotPath));
  const at = Math.floor(flipped.length * 0.6);
  flipped[at] = (flipped[at] as number) ^ 0xff;
  await assertRefused(await variant(flipped), /./);
  await assertRefused(await variant(gzipSync('')), /empty/);
  await assertRefused(await gzipLines(['{"format":"pg_dump"}']), /header is wrong at format/);
  await assertRefused(
    await gzipLines([JSON.stringify({ ...header(), version: 2 }), ...goodLines.slice(1)]),
    /newer Agora/,
  );
});

test('a changed row is refused by its table checksum, a missing or extra row by the header count', async () => {
  const { first } = rowsOf('users');
  const changed = [...goodLines];
  const row = changed[first] as string;
  changed[first] = row.includes('"fr"') ? row.replace('"fr"', '"en"') : row.replace('"en"', '"fr"');
  assert.notEqual(changed[first], goodLines[first], 'the row was changed');
  await assertRefused(await gzipLines(changed), /rows of users do not match their checksum/);
  await assertRefused(
    await gzipLines([...goodLines.slice(0, first), ...goodLines.slice(first + 1)]),
    /users holds \d+ rows, fewer than/,
  );
  const { count } = rowsOf('users');
  const afterUsers = first + count;
  await assertRefused(
    await gzipLines([
      ...goodLines.slice(0, afterUsers),
      goodLines[first] as string,
      ...goodLines.slice(afterUsers),
    ]),
    /users holds more rows than its header counts/,
  );
  await assertRefused(await gzipLines(goodLines.slice(0, -1)), /ends before its end mark/);
  await assertRefused(await gzipLines([...goodLines, '{"end":true}']), /follows its end mark/);
});

test('rows that load differently from how they were written fail the server-side verification', async () => {
  // A valid time written with another offset: the file checks pass, but the server prints it back in UTC.
  const lines = withRows('admin_audit_log', (rows) =>
    rows.map((row, i) =>
      i === 0 ? row.replace(/"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?)\+00"/, '"$1-01"') : row,
    ),
  );
  assert.notDeepEqual(lines, goodLines);
  await assert.rejects(restoreTarget(await gzipLines(lines)), (error: unknown) => {
    assert.ok(error instanceof RestoreVerificationError, String(error));
    assert.match(error.message, /admin_audit_log/);
    return true;
  });
  assert.deepEqual(await fingerprints(target), pristine);
});

test('rows that break a foreign key are refused and nothing is restored', async () => {
  const lines = withRows('seller_profiles', (rows) => rows.slice(1));
  await assert.rejects(restoreTarget(await gzipLines(lines)), (error: unknown) => {
    assert.ok(error instanceof SnapshotInvalidError, String(error));
    assert.match(error.message, /rows break the constraint \w+_seller_id_fkey of the schema/);
    assert.ok(error.cause instanceof ForeignKeyViolationError);
    return true;
  });
  assert.deepEqual(await fingerprints(target), pristine);
});

test('rows that break a unique index are refused and nothing is restored', async () => {
  // Two sellers with one email in another case: seller_profiles_email_key is on lower(email).
  const lines = withRows('seller_profiles', (rows) => {
    const email = (JSON.parse(rows[0] as string) as string[])[3] as string;
    return rows.map((row, i) =>
      i === 1 ? row.replace(/"[^"]+@[^"]+"/, JSON.stringify(email.toUpperCase())) : row,
    );
  });
  await assert.rejects(restoreTarget(await gzipLines(lines)), (error: unknown) => {
    assert.ok(error instanceof SnapshotInvalidError, String(error));
    assert.match(error.message, /rows break the constraint seller_profiles_email_key of the schema/);
    return true;
  });
  assert.deepEqual(await fingerprints(target), pristine);
});

test('another schema version is refused with both versions named, before anything is touched', async () => {
  const empty = unmigrated;
  const older = await gzipLines([
    JSON.stringify({ ...header(), schemaVersion: '007_downloads' }),
    ...goodLines.slice(1),
  ]);
  await assert.rejects(backupService(empty, storage).restore({ path: older }), (error: unknown) => {
    assert.ok(error instanceof SchemaMismatchError);
    assert.equal(error.code, 'snapshot_schema_mismatch');
    assert.match(error.message, /snapshot was taken at schema version 007_downloads/);
    assert.ok(error.message.includes(`this version of Agora is at ${LATEST_MIGRATION}`), error.message);
    return true;
  });
  const { migrated } = await empty.one<{ migrated: boolean }>(
    `SELECT to_regclass('public.schema_migrations') IS NOT NULL AS migrated`,
  );
  assert.equal(migrated, false, 'the refused restore did not even migrate');

  // A database migrated further than this code (by a newer Agora).
  await migrate(empty);
  await empty.exec(`INSERT INTO schema_migrations (name, run_on) VALUES ('009_future', now())`);
  await assert.rejects(backupService(empty, storage).restore({ path: snapshotPath }), (error: unknown) => {
    assert.ok(error instanceof SchemaMismatchError);
    assert.match(error.message, /the database is at 009_future/);
    return true;
  });
});

test('an unknown storage key is a clear not-found', async () => {
  await assert.rejects(
    backupService(target, storage).restore({ key: 'backups/agora-missing.ndjson.gz' }),
    (error) => {
      assert.ok(error instanceof NotFoundError);
      assert.match(error.message, /No snapshot backups\/agora-missing\.ndjson\.gz/);
      return true;
    },
  );
});

test('a database holding data is refused unless forced; forced, it is replaced by the snapshot', async () => {
  await migrate(used);
  await used.exec(`INSERT INTO users (id, first_name) VALUES (42, 'Kept')`);
  await used.exec(`UPDATE categories SET name_en = 'Renamed' WHERE id = 1`);
  const before = await fingerprints(used);
  await assert.rejects(backupService(used, storage).restore({ path: snapshotPath }), (error: unknown) => {
    assert.ok(error instanceof RestoreTargetNotEmptyError);
    assert.equal(error.code, 'restore_target_not_empty');
    assert.match(error.message, /categories \(1\), users \(1\)/);
    assert.match(error.message, /--force/);
    return true;
  });
  assert.deepEqual(await fingerprints(used), before);
  await backupService(used, storage).restore({ path: snapshotPath }, { force: true });
  assert.deepEqual(await fingerprints(used), sourceRows);
});

test('a database holding only what the migrations wrote counts as empty', async () => {
  await restoreTarget(snapshotPath);
  assert.deepEqual(await fingerprints(target), sourceRows);
});
