// The schema: migrations apply on an empty database, re-running them changes nothing, they
// roll back cleanly, and the constraints refuse bad data with typed errors naming the rule.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { runner } from 'node-pg-migrate';
import {
  CheckViolationError,
  type Database,
  ForeignKeyViolationError,
  MIGRATIONS_DIR,
  migrate,
  type QueryError,
  UniqueViolationError,
  type Values,
} from '../../src/db/index.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

const url = await freshDatabase();
const db = testDatabase(url, { min: 0, max: 2 });

const TABLES = [
  'admin_audit_log',
  'bot_leases',
  'bot_rate_limits',
  'bot_sessions',
  'categories',
  'download_events',
  'download_tokens',
  'file_uploads',
  'orders',
  'payment_notifications',
  'payments',
  'payouts',
  'product_daily_views',
  'product_file_versions',
  'product_sale_changes',
  'products',
  'reviews',
  'schema_migrations',
  'seller_profiles',
  'stored_files',
  'telegram_file_cache',
  'ticket_messages',
  'tickets',
  'users',
];

const SELLER = 1;
const BUYER = 2;
const OTHER_BUYER = 3;
const ADDRESS = 'So11111111111111111111111111111111111111112';
const TX_HASH = '5'.repeat(88);
const PRODUCT = 'P-7K3M9QXD4T';
const ORDER = 'O-7K3M9QXD4T';

async function migrationNames(): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
  return files.map((name) => name.slice(0, -'.sql'.length));
}

async function tables(on: Database): Promise<string[]> {
  const rows = await on.rows<[string]>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  return rows.map(([name]) => name);
}

/** Everything a migration could change, as sorted text lines. */
async function schemaSnapshot(on: Database): Promise<string[]> {
  const queries = [
    `SELECT format('%s.%s %s %s %s %s', table_name, column_name, data_type, is_nullable,
       coalesce(column_default, ''), coalesce(generation_expression, ''))
     FROM information_schema.columns WHERE table_schema = 'public'`,
    `SELECT format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
     FROM pg_constraint WHERE connamespace = 'public'::regnamespace`,
    `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    'SELECT format($$%s %s$$, extname, extversion) FROM pg_extension',
    `SELECT format('%s %s', p.oid::regprocedure, md5(pg_get_functiondef(p.oid)))
     FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f'
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    `SELECT format('%s %s %s %s %s %s', id, slug, name_fr, name_en, emoji, position) FROM categories`,
    'SELECT format($$%s %s$$, id, name) FROM schema_migrations',
  ];
  const lines: string[] = [];
  for (const sql of queries)
    lines.push(...(await on.rows<[string]>(`${sql} ORDER BY 1`)).map(([line]) => line));
  return lines;
}

/** Runs `sql` and expects `ErrorClass` raised by the named constraint. */
async function rejects(
  ErrorClass: typeof QueryError,
  constraint: string,
  sql: string,
  values?: Values,
): Promise<void> {
  await assert.rejects(db.exec(sql, values), (error: unknown) => {
    assert.ok(error instanceof ErrorClass, `expected ${ErrorClass.name}, got ${String(error)}`);
    assert.equal(error.constraint, constraint);
    return true;
  });
}

async function categoryId(slug: string): Promise<string> {
  return (await db.one<{ id: string }>('SELECT id FROM categories WHERE slug = $1', [slug])).id;
}

async function storedFile(key: string, kind = 'file'): Promise<string> {
  const row = await db.one<{ id: string }>(
    `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type, sha256)
     VALUES ($1, $2, $3, 'guide.pdf', 1234, 'application/pdf', $4) RETURNING id`,
    [SELLER, kind, key, 'a'.repeat(64)],
  );
  return row.id;
}

async function product(id: string, title: string, priceCents: number, description = ''): Promise<void> {
  const file = await storedFile(`products/${SELLER}/${id}/file/0123456789abcdef0123-guide.pdf`);
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, description, price_cents, status, main_file_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)`,
    [id, SELLER, await categoryId('development'), title, description, priceCents, file],
  );
}

test('every migration applies, in file order, on an empty database', async () => {
  const applied = await migrate(db);
  assert.deepEqual(applied, await migrationNames());
  assert.ok(applied.length >= 8);
  assert.deepEqual(await tables(db), TABLES);
});

test('unaccent and pg_trgm are installed', async () => {
  const rows = await db.rows<[string]>(
    "SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm') ORDER BY 1",
  );
  assert.deepEqual(rows, [['pg_trgm'], ['unaccent']]);
});

test('the seven default categories are seeded in order, in French and English', async () => {
  const rows = await db.rows<[string, string, string]>(
    'SELECT slug, name_fr, name_en FROM categories ORDER BY position',
  );
  assert.deepEqual(rows, [
    ['finance-crypto', 'Finance & Crypto', 'Finance & Crypto'],
    ['digital-marketing', 'Marketing Digital', 'Digital Marketing'],
    ['development', 'Développement', 'Development'],
    ['design-creative', 'Design & Créatif', 'Design & Creative'],
    ['business', 'Business', 'Business'],
    ['professional-training', 'Formation Pro', 'Professional Training'],
    ['tools-tech', 'Outils & Tech', 'Tools & Tech'],
  ]);
});

test('running the migrations again applies nothing and changes nothing', async () => {
  const before = await schemaSnapshot(db);
  assert.deepEqual(await migrate(db), []);
  assert.deepEqual(await schemaSnapshot(db), before);
});

test('no foreign key erases history: only the Telegram file-id cache follows its file', async () => {
  const rows = await db.rows<[string, string]>(
    `SELECT conname, confdeltype::text FROM pg_constraint
     WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1`,
  );
  assert.ok(rows.length >= 25);
  for (const [name, onDelete] of rows) {
    // 'a' is NO ACTION: the delete fails (as RESTRICT would) with SQLSTATE 23503.
    assert.equal(onDelete, name === 'telegram_file_cache_stored_file_id_fkey' ? 'c' : 'a', name);
  }
});

test('users and sellers refuse bad data', async () => {
  await db.exec(
    `INSERT INTO users (id, username, first_name, language) VALUES
     ($1, 'sam', 'Sam', 'fr'), ($2, 'bea', 'Béa', 'en'), ($3, NULL, 'Oli', 'fr')`,
    [SELLER, BUYER, OTHER_BUYER],
  );
  await db.exec(
    `INSERT INTO seller_profiles (user_id, name, email, payout_address) VALUES ($1, 'Sam Shop', 'Sam@Example.com', $2)`,
    [SELLER, ADDRESS],
  );
  await rejects(
    CheckViolationError,
    'users_language_check',
    "UPDATE users SET language = 'de' WHERE id = $1",
    [BUYER],
  );
  await rejects(
    CheckViolationError,
    'users_suspension_check',
    'UPDATE users SET suspended_at = now() WHERE id = $1',
    [BUYER],
  );
  await rejects(
    UniqueViolationError,
    'seller_profiles_email_key',
    `INSERT INTO seller_profiles (user_id, name, email, payout_address) VALUES ($1, 'Bea', 'sam@example.COM', $2)`,
    [BUYER, ADDRESS],
  );
  await rejects(
    CheckViolationError,
    'seller_profiles_payout_address_check',
    `INSERT INTO seller_profiles (user_id, name, email, payout_address) VALUES ($1, 'Bea', 'bea@example.com', '0xabc')`,
    [BUYER],
  );
  await rejects(
    CheckViolationError,
    'seller_profiles_name_check',
    'UPDATE seller_profiles SET name = $2 WHERE user_id = $1',
    [SELLER, 'x'.repeat(51)],
  );
});

test('products refuse bad prices, titles, ids and statuses', async () => {
  await product(PRODUCT, 'Guide de la Crème Brûlée', 1999, 'Recettes PÂTISSERIE pour débutants');
  const file = await storedFile(`products/${SELLER}/P-2222222222/file/0123456789abcdef0123-guide.pdf`);
  const insert = `INSERT INTO products (id, seller_id, category_id, title, price_cents, status, main_file_id)
                  VALUES ($1, $2, $3, $4, $5, $6, $7)`;
  const category = await categoryId('business');
  const valid = ['P-2222222222', SELLER, category, 'A fine title', 999, 'active', file];
  const variant = (index: number, value: unknown) => valid.map((v, i) => (i === index ? value : v));

  await rejects(CheckViolationError, 'products_price_check', insert, variant(4, 5));
  await rejects(CheckViolationError, 'products_price_check', insert, variant(4, 500001));
  await rejects(CheckViolationError, 'products_title_check', insert, variant(3, 'abc'));
  await rejects(CheckViolationError, 'products_id_check', insert, variant(0, 'P-0000000000'));
  await rejects(CheckViolationError, 'products_status_check', insert, variant(5, 'suspended'));
  await rejects(CheckViolationError, 'products_main_file_check', insert, variant(6, null));
  const taken = await db.one<{ main_file_id: string }>('SELECT main_file_id FROM products WHERE id = $1', [
    PRODUCT,
  ]);
  await rejects(UniqueViolationError, 'products_main_file_id_key', insert, variant(6, taken.main_file_id));
  await rejects(ForeignKeyViolationError, 'products_seller_id_fkey', insert, variant(1, BUYER));
  await rejects(
    CheckViolationError,
    'products_deleted_check',
    "UPDATE products SET status = 'deleted' WHERE id = $1",
    [PRODUCT],
  );
  await rejects(
    CheckViolationError,
    'products_banned_check',
    "UPDATE products SET status = 'banned' WHERE id = $1",
    [PRODUCT],
  );
  // Free and the two bounds are accepted.
  for (const [index, price] of [0, 999, 500000].entries()) {
    const id = `P-44444444${index + 2}${index + 2}`;
    const freeFile = await storedFile(`products/${SELLER}/${id}/file/0123456789abcdef0123-guide.pdf`);
    await db.exec(insert, [id, SELLER, category, 'A fine title', price, 'active', freeFile]);
  }
});

test('the product rating weighs imported and local reviews', async () => {
  const rating = async () =>
    (await db.one<{ rating: string | null }>('SELECT rating FROM products WHERE id = $1', [PRODUCT])).rating;
  assert.equal(await rating(), null);
  await db.exec('UPDATE products SET imported_rating_avg = 4.5, imported_reviews_count = 10 WHERE id = $1', [
    PRODUCT,
  ]);
  assert.equal(await rating(), '4.50');
  // Two local reviews, 5 and 3 stars: (4.5 × 10 + 8) / 12 = 4.4166…
  await db.exec('UPDATE products SET reviews_count = 2, rating_sum = 8 WHERE id = $1', [PRODUCT]);
  assert.equal(await rating(), '4.42');
  await rejects(
    CheckViolationError,
    'products_counters_check',
    'UPDATE products SET rating_sum = 11 WHERE id = $1',
    [PRODUCT],
  );
  await db.exec('UPDATE products SET reviews_count = 0, rating_sum = 0 WHERE id = $1', [PRODUCT]);
});

test('search ignores case and accents and can use the trigram index', async () => {
  const find = (words: string) =>
    db.rows<[string]>(
      "SELECT id FROM products WHERE search_text LIKE '%' || search_normalize($1) || '%' AND status = 'active'",
      [words],
    );
  assert.deepEqual(await find('CREME brulee'), [[PRODUCT]]);
  assert.deepEqual(await find('patisserie'), [[PRODUCT]]);
  assert.deepEqual(await find('débutants'), [[PRODUCT]]);
  assert.deepEqual(await find('soufflé'), []);
  const plan = await db.transaction(async (tx) => {
    await tx.exec('SET LOCAL enable_seqscan = off');
    const rows = await tx.rows<[string]>(
      "EXPLAIN SELECT id FROM products WHERE search_text LIKE '%' || search_normalize('creme') || '%'",
    );
    return rows.map(([line]) => line).join('\n');
  });
  assert.match(plan, /products_search_idx/);
  // pg_dump restores with an empty search_path: the indexed function must still find unaccent.
  const folded = await db.transaction(async (tx) => {
    await tx.exec("SET LOCAL search_path = ''");
    return tx.one<{ text: string }>("SELECT public.search_normalize('Crème BRÛLÉE') AS text");
  });
  assert.equal(folded.text, 'creme brulee');
});

test('orders refuse wrong amounts, self-purchase, a second open checkout and erasing their product', async () => {
  const insert = `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents)
                  VALUES ($1, $2, $3, $4, 'Guide', $5, $6, $7)`;
  await db.exec(insert, [ORDER, BUYER, PRODUCT, SELLER, 1999, 149, 2148]);
  await rejects(CheckViolationError, 'orders_amounts_check', insert, [
    'O-2222222222',
    OTHER_BUYER,
    PRODUCT,
    SELLER,
    1999,
    149,
    2000,
  ]);
  await rejects(CheckViolationError, 'orders_amounts_check', insert, [
    'O-2222222222',
    OTHER_BUYER,
    PRODUCT,
    SELLER,
    0,
    149,
    149,
  ]);
  await rejects(CheckViolationError, 'orders_own_product_check', insert, [
    'O-2222222222',
    SELLER,
    PRODUCT,
    SELLER,
    1999,
    149,
    2148,
  ]);
  await rejects(UniqueViolationError, 'orders_buyer_product_open_key', insert, [
    'O-2222222222',
    BUYER,
    PRODUCT,
    SELLER,
    1999,
    149,
    2148,
  ]);
  await rejects(
    CheckViolationError,
    'orders_status_check',
    "UPDATE orders SET status = 'completed' WHERE id = $1",
    [ORDER],
  );
  await rejects(
    CheckViolationError,
    'orders_paid_at_check',
    "UPDATE orders SET status = 'paid' WHERE id = $1",
    [ORDER],
  );
  await rejects(ForeignKeyViolationError, 'orders_product_id_fkey', 'DELETE FROM products WHERE id = $1', [
    PRODUCT,
  ]);
});

test('payments and notifications are recorded once per provider payment and event', async () => {
  const payment = `INSERT INTO payments (provider_payment_id, order_id, pay_currency, pay_address, pay_amount, price_cents, expires_at)
                   VALUES ($1, $2, 'usdtsol', $3, 21.48, 2148, now() + interval '1 hour')`;
  await db.exec(payment, ['5077125051', ORDER, ADDRESS]);
  await rejects(UniqueViolationError, 'payments_provider_payment_id_key', payment, [
    '5077125051',
    ORDER,
    ADDRESS,
  ]);
  await rejects(CheckViolationError, 'payments_status_check', "UPDATE payments SET status = 'completed'");

  const notify = `INSERT INTO payment_notifications (dedupe_key, verified, provider_payment_id, order_id, payment_status, body)
                  VALUES ($1, true, '5077125051', $2, 'finished', $3) ON CONFLICT (dedupe_key) DO NOTHING`;
  const body = JSON.stringify({ payment_id: 5077125051, payment_status: 'finished', actually_paid: 21.48 });
  assert.equal(await db.exec(notify, ['5077125051:finished:21.48', ORDER, body]), 1);
  assert.equal(
    await db.exec(notify, ['5077125051:finished:21.48', ORDER, body]),
    0,
    'a repeat is stored once',
  );
  await rejects(
    UniqueViolationError,
    'payment_notifications_dedupe_key',
    'INSERT INTO payment_notifications (dedupe_key, verified, body) VALUES ($1, true, $2)',
    ['5077125051:finished:21.48', body],
  );
  const stored = await db.one<{ body: { actually_paid: number } }>('SELECT body FROM payment_notifications');
  assert.equal(stored.body.actually_paid, 21.48);

  await db.exec(
    "UPDATE orders SET status = 'paid', paid_at = now(), paid_payment_id = (SELECT id FROM payments) WHERE id = $1",
    [ORDER],
  );
});

test('a paid order has exactly one payout, paid only with a transaction hash', async () => {
  const insert = `INSERT INTO payouts (order_id, seller_id, amount_cents, escrow_until)
                  VALUES ($1, $2, 1999, now() + interval '24 hours')`;
  await db.exec(insert, [ORDER, SELLER]);
  await rejects(UniqueViolationError, 'payouts_order_id_key', insert, [ORDER, SELLER]);
  await rejects(
    CheckViolationError,
    'payouts_paid_check',
    "UPDATE payouts SET status = 'paid', paid_at = now(), paid_by = 42 WHERE order_id = $1",
    [ORDER],
  );
  await rejects(CheckViolationError, 'payouts_status_check', "UPDATE payouts SET status = 'completed'");
  await db.exec(
    "UPDATE payouts SET status = 'paid', paid_at = now(), paid_by = 42, tx_hash = $2, paid_to_address = $3 WHERE order_id = $1",
    [ORDER, TX_HASH, ADDRESS],
  );
});

test('one review per buyer and product, 1 to 5 stars, text empty or 10 to 1000 characters', async () => {
  const insert = 'INSERT INTO reviews (product_id, buyer_id, rating, body) VALUES ($1, $2, $3, $4)';
  await db.exec(insert, [PRODUCT, BUYER, 5, null]);
  await rejects(UniqueViolationError, 'reviews_buyer_product_key', insert, [PRODUCT, BUYER, 4, null]);
  await rejects(CheckViolationError, 'reviews_rating_check', insert, [PRODUCT, OTHER_BUYER, 6, null]);
  await rejects(CheckViolationError, 'reviews_rating_check', insert, [PRODUCT, OTHER_BUYER, 0, null]);
  await rejects(CheckViolationError, 'reviews_body_check', insert, [PRODUCT, OTHER_BUYER, 4, 'too short']);
  await rejects(CheckViolationError, 'reviews_body_check', insert, [
    PRODUCT,
    OTHER_BUYER,
    4,
    'x'.repeat(1001),
  ]);
});

test('tickets: subject length, statuses, one open thread per order and kind', async () => {
  const insert =
    'INSERT INTO tickets (user_id, seller_id, order_id, subject) VALUES ($1, $2, $3, $4) RETURNING id';
  const thread = await db.one<{ id: string }>(insert, [BUYER, SELLER, ORDER, 'About my order']);
  await db.one(insert, [BUYER, null, ORDER, 'File does not open']);
  await rejects(UniqueViolationError, 'tickets_order_open_key', insert, [BUYER, SELLER, ORDER, 'Again']);
  await rejects(CheckViolationError, 'tickets_subject_check', insert, [BUYER, null, null, 'Hi']);
  await rejects(CheckViolationError, 'tickets_seller_thread_check', insert, [
    BUYER,
    SELLER,
    null,
    'No order',
  ]);
  await rejects(CheckViolationError, 'tickets_status_check', "UPDATE tickets SET status = 'in_progress'");
  const message =
    'INSERT INTO ticket_messages (ticket_id, author_id, author_role, body) VALUES ($1, $2, $3, $4)';
  await db.exec(message, [thread.id, SELLER, 'seller', 'Hello, how can I help?']);
  await rejects(CheckViolationError, 'ticket_messages_author_role_check', message, [
    thread.id,
    BUYER,
    'buyer',
    'Hi',
  ]);
  await rejects(CheckViolationError, 'ticket_messages_body_check', message, [thread.id, BUYER, 'user', '']);
});

test('download tokens store a hash once; cache rows follow their file', async () => {
  const insert = `INSERT INTO download_tokens (token_hash, order_id, buyer_id, expires_at)
                  VALUES ($1, $2, $3, now() + interval '5 minutes')`;
  await db.exec(insert, ['b'.repeat(64), ORDER, BUYER]);
  await rejects(UniqueViolationError, 'download_tokens_pkey', insert, ['b'.repeat(64), ORDER, BUYER]);
  await rejects(CheckViolationError, 'download_tokens_token_hash_check', insert, [
    'not-a-hash',
    ORDER,
    BUYER,
  ]);
  await rejects(
    CheckViolationError,
    'download_events_channel_check',
    "INSERT INTO download_events (order_id, buyer_id, channel) VALUES ($1, $2, 'ftp')",
    [ORDER, BUYER],
  );

  const cover = await storedFile(
    `products/${SELLER}/${PRODUCT}/cover/0123456789abcdef0123-cover.jpg`,
    'cover',
  );
  await db.exec("INSERT INTO telegram_file_cache (stored_file_id, file_id) VALUES ($1, 'AgACAgQAAxkBAAI')", [
    cover,
  ]);
  await db.exec('DELETE FROM stored_files WHERE id = $1', [cover]);
  assert.equal((await db.one<{ n: number }>('SELECT count(*)::int AS n FROM telegram_file_cache')).n, 0);
  await rejects(
    CheckViolationError,
    'stored_files_storage_key_check',
    `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
     VALUES ($1, 'file', 'products/../secrets', 'x', 1, 'text/plain')`,
    [SELLER],
  );
});

test('every migration rolls back, leaving an empty schema, and applies again', async () => {
  const otherUrl = await freshDatabase();
  const other = testDatabase(otherUrl, { min: 0, max: 1 });
  const names = await migrate(other);
  await runner({
    databaseUrl: otherUrl,
    dir: MIGRATIONS_DIR,
    direction: 'down',
    count: Number.POSITIVE_INFINITY,
    migrationsTable: 'schema_migrations',
    log: () => {},
  });
  assert.deepEqual(await tables(other), ['schema_migrations']);
  const leftovers = await other.rows<[string]>(
    `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
     UNION ALL SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'`,
  );
  assert.deepEqual(leftovers, []);
  assert.deepEqual(await migrate(other), names);
});
