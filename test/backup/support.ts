// What the backup tests share: databases (seeded with the demo marketplace plus a row in every
// table the demo leaves empty), a local storage folder, and a fingerprint of every table computed
// independently of the snapshot code (md5 of the sorted row texts, generated columns included).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { seedDemo } from '../../scripts/seed-demo.ts';
import { type Database, migrate } from '../../src/db/index.ts';
import { ID_ALPHABET } from '../../src/domain/index.ts';
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
  await db.exec(
    `INSERT INTO file_uploads (id, seller_id, product_id, storage_key, storage_upload_id, file_name,
       content_type, size_bytes, part_size, status, sha256, stored_file_id, finished_at)
     SELECT 'U-' || repeat('0f', 16), p.seller_id, p.id, 'uploads/backup-test.bin', 'upload-1', 'big.bin',
       'application/octet-stream', 3, 3, 'completed', repeat('ab', 32), p.main_file_id, now()
     FROM products p JOIN orders o ON o.product_id = p.id WHERE o.id = $1`,
    [order.id],
  );
  await db.exec(`INSERT INTO bot_sessions (key, value) VALUES ('900000201', $1::jsonb)`, [
    JSON.stringify({ wizard: { step: 'price', draft: { title: 'Guide « été »' } } }),
  ]);
  await db.exec(
    `INSERT INTO bot_leases (name, holder, expires_at) VALUES ('poller', 'instance-1', now() + interval '30 seconds')`,
  );
  await db.exec(
    `INSERT INTO bot_rate_limits (user_id, full_at, refusals) VALUES (900000201, now() + interval '20 seconds', 2)`,
  );
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

/**
 * Bulk marketplace rows for volume: `orders` paid orders over the products of a few sellers, each
 * with its finished payment (and the order pointing back at it), a payout and the provider's
 * notification (a JSON body). Written by the server in a few statements. Ids start after
 * `offset`, so several calls add up. Needs the migrations.
 */
export async function addSyntheticOrders(db: Database, orders: number, offset = 0): Promise<void> {
  // n written in the id alphabet, ten characters: ids that pass the schema's checks.
  const code = (n: string) =>
    `(SELECT string_agg(substr('${ID_ALPHABET}', (div(${n}::numeric, power(31::numeric, k)) % 31)::int + 1, 1), ''
                        ORDER BY k DESC) FROM generate_series(0, 9) k)`;
  await db.transaction(async (tx) => {
    await tx.exec(
      `INSERT INTO users (id, first_name, username, language)
       SELECT 800000000 + i, 'Acheteur ' || i, 'buyer_' || i, CASE WHEN i % 3 = 0 THEN 'en' ELSE 'fr' END
       FROM generate_series(1, 2000) i ON CONFLICT DO NOTHING`,
    );
    await tx.exec(
      `INSERT INTO seller_profiles (user_id, name, email, payout_address)
       SELECT 800000000 + i, 'Boutique ' || i, 'shop' || i || '@example.com', '${PAYOUT_ADDRESS}'
       FROM generate_series(1, 20) i ON CONFLICT DO NOTHING`,
    );
    await tx.exec(
      `WITH planned AS (
         SELECT i, 'P-' || ${code('i')} AS id, 800000000 + (i % 20) + 1 AS seller_id FROM generate_series(1, 200) i
         WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.title = 'Produit ' || i)),
       files AS (
         INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
         SELECT seller_id, 'file', 'products/' || seller_id || '/' || id || '/file/' || md5(id) || '-guide.pdf',
                'guide.pdf', 1000 + i, 'application/pdf'
         FROM planned RETURNING id, storage_key)
       INSERT INTO products (id, seller_id, category_id, title, description, price_cents, status, main_file_id)
       SELECT p.id, p.seller_id, (SELECT min(id) FROM categories), 'Produit ' || p.i,
              'Description du produit ' || p.i || ' : guide, modèles et exemples.', 990 + p.i * 10, 'active', f.id
       FROM planned p JOIN files f ON f.storage_key LIKE 'products/%/' || p.id || '/file/%'`,
    );
    await tx.exec(
      `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents,
                           status, paid_at, delivered_at, created_at)
       SELECT 'O-' || ${code('n')}, 800000021 + (n % 1980), p.id, p.seller_id, p.title, p.price_cents, 149,
              p.price_cents + 149, 'paid', now() - make_interval(mins => (n % 40000)::int),
              now() - make_interval(mins => (n % 40000)::int), now() - make_interval(mins => (n % 40000)::int + 12)
       FROM generate_series($1::bigint + 1, $1::bigint + $2) n
       JOIN products p ON p.title = 'Produit ' || (n % 200 + 1)`,
      [offset, orders],
    );
    await tx.exec(
      `WITH paid AS (
         INSERT INTO payments (provider_payment_id, order_id, pay_currency, pay_address, pay_amount, actually_paid,
                               price_cents, status, expires_at)
         SELECT 'synthetic-' || o.id, o.id, 'usdtsol', '${PAYOUT_ADDRESS}', o.total_cents / 100.0 + 0.000001,
                o.total_cents / 100.0 + 0.000001, o.total_cents, 'finished', o.paid_at
         FROM orders o WHERE o.paid_payment_id IS NULL AND o.seller_id BETWEEN 800000001 AND 800000020
         RETURNING id, order_id)
       UPDATE orders o SET paid_payment_id = paid.id FROM paid WHERE o.id = paid.order_id`,
    );
    await tx.exec(
      `INSERT INTO payouts (order_id, seller_id, amount_cents, status, escrow_until, available_at)
       SELECT o.id, o.seller_id, o.price_cents, 'available', o.paid_at + interval '24 hours', o.paid_at + interval '24 hours'
       FROM orders o
       WHERE o.seller_id BETWEEN 800000001 AND 800000020 AND NOT EXISTS (SELECT 1 FROM payouts x WHERE x.order_id = o.id)`,
    );
    await tx.exec(
      `INSERT INTO payment_notifications (dedupe_key, verified, provider_payment_id, order_id, payment_status, body, processed_at)
       SELECT p.provider_payment_id || ':finished', true, p.provider_payment_id, p.order_id, 'finished',
              jsonb_build_object('payment_id', p.id, 'payment_status', 'finished', 'pay_address', p.pay_address,
                                 'price_amount', p.price_cents / 100.0, 'actually_paid', p.actually_paid,
                                 'order_id', p.order_id, 'order_description', 'Achat sur Agora'),
              p.created_at
       FROM payments p WHERE p.provider_payment_id LIKE 'synthetic-%'
       ON CONFLICT (dedupe_key) DO NOTHING`,
    );
  });
}

const PAYOUT_ADDRESS = 'So11111111111111111111111111111111111111112';

/** Every index, constraint and (user) trigger of the public schema, as definitions. */
export async function schemaShape(db: Database): Promise<string[]> {
  const rows = await db.many<{ definition: string }>(
    `SELECT indexdef AS definition FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL
     SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated::text
     FROM pg_constraint WHERE connamespace = 'public'::regnamespace
     UNION ALL
     SELECT tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text FROM pg_trigger
     WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
     ORDER BY 1`,
  );
  return rows.map((row) => row.definition);
}
