// What the backup tests share: databases (seeded with the demo marketplace plus a row in every
// table the demo leaves empty), a local storage folder, and a fingerprint of every table computed
// independently of the snapshot code (md5 of the sorted row texts, generated columns included).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { seedDemo } from '../../scripts/seed-demo.ts';
import { type Database, migrate } from '../../src/db/index.ts';
import { createBackupService } from '../../src/services/backups.ts';
import { type FileStorage, LocalFileStorage } from '../../src/storage/index.ts';
import { adminDatabase, freshDatabase, testDatabase } from '../support/database.ts';

export const silentLog = { info() {}, warn() {}, error() {} };

export async function tempFolder(prefix = 'agora-backup-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function localStorage(): Promise<LocalFileStorage> {
  return new LocalFileStorage({
    dir: await tempFolder('agora-backup-files-'),
    publicUrl: 'http://localhost:3000',
    signingSecret: 's'.repeat(32),
  });
}

/** A fresh database (dropped when the file ends), not migrated. */
export async function emptyDatabase(): Promise<{ db: Database; url: string }> {
  const url = await freshDatabase();
  return { db: testDatabase(url, { min: 0, max: 4 }), url };
}

/** Drops the database at `url` and creates it again, empty: what a lost server leaves. */
export async function recreateDatabase(db: Database, url: string): Promise<Database> {
  await db.close();
  const name = new URL(url).pathname.slice(1);
  const admin = adminDatabase();
  try {
    await admin.exec(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  return testDatabase(url, { min: 0, max: 4 });
}

export function backupService(db: Database, storage: FileStorage, clock?: () => Date) {
  return createBackupService({ db, storage, log: silentLog, ...(clock ? { clock } : {}) });
}

/**
 * The demo marketplace, and a row in each table it leaves empty, with values that test the
 * round trip: accents, emoji, quotes, backslashes and newlines, nested JSON, long decimals,
 * microseconds, NULLs.
 */
export async function seedEverything(db: Database, storage: FileStorage): Promise<void> {
  await migrate(db);
  if (!(await seedDemo(db, storage))) throw new Error('the demo was already there');
  const order = await db.one<{ id: string; buyerId: string; fileId: string }>(
    `SELECT o.id, o.buyer_id::text AS "buyerId", p.main_file_id::text AS "fileId"
     FROM orders o JOIN products p ON p.id = o.product_id WHERE o.status = 'paid' ORDER BY o.id LIMIT 1`,
  );
  await db.exec(
    `INSERT INTO users (id, username, first_name, language, created_at)
     VALUES (900000201, NULL, $1, 'en', '2024-02-29 23:59:59.123456+00')`,
    ['Élodie "Zoé" O\'Brien \\ 🎉\nsecond line'],
  );
  await db.exec(
    `INSERT INTO payment_notifications (dedupe_key, verified, provider_payment_id, order_id, payment_status, body)
     VALUES ('demo-1:finished', true, 'demo-1', $1, 'finished', $2::jsonb)`,
    [
      order.id,
      JSON.stringify({
        payment_id: 1,
        actually_paid: '0.000123456789012345678',
        nested: { ok: [1, 2.5, null] },
      }),
    ],
  );
  await db.exec(
    `INSERT INTO download_tokens (token_hash, order_id, buyer_id, expires_at)
     VALUES (repeat('ab', 32), $1, $2, now() + interval '5 minutes')`,
    [order.id, order.buyerId],
  );
  await db.exec(`INSERT INTO download_events (order_id, buyer_id, channel) VALUES ($1, $2, 'telegram')`, [
    order.id,
    order.buyerId,
  ]);
  await db.exec(`INSERT INTO telegram_file_cache (stored_file_id, file_id) VALUES ($1, 'BQACAgQAAxkBAAIB')`, [
    order.fileId,
  ]);
  await db.exec(`INSERT INTO bot_sessions (key, value) VALUES ('900000201', $1::jsonb)`, [
    JSON.stringify({ wizard: { step: 'price', draft: { title: 'Guide « été »' } } }),
  ]);
  await db.exec(
    `INSERT INTO admin_audit_log (admin_id, action, target_type, target_id, details)
     VALUES (900000000, 'user.suspend', 'user', '900000201', '{"reason": "spam", "until": null}'),
            (900000000, 'user.restore', 'user', '900000201', '{}')`,
  );
  // A gap in an identity sequence: the next id must come after it, not fill it.
  await db.exec(`DELETE FROM admin_audit_log WHERE id = (SELECT max(id) FROM admin_audit_log)`);
}

export type Fingerprints = Record<string, { rows: number; md5: string | null }>;

/** Every table of the public schema: its row count and the md5 of its sorted row texts. */
export async function fingerprints(db: Database): Promise<Fingerprints> {
  return db.transaction(async (tx) => {
    await tx.exec(`SELECT set_config('TimeZone', 'UTC', true)`);
    const tables = await tx.many<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    const result: Fingerprints = {};
    for (const { name } of tables) {
      result[name] = await tx.one<{ rows: number; md5: string | null }>(
        `SELECT count(*)::int AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM public."${name}" t`,
      );
    }
    return result;
  });
}
