// Migration 011 on a database that already sells: every product's current file becomes its
// version 1 and every existing order bought it; from then on, whatever sets a main file records
// the next version, and whatever inserts an order records the version it buys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runner } from 'node-pg-migrate';
import { MIGRATIONS_DIR, migrate } from '../../src/db/index.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

const url = await freshDatabase();
const db = testDatabase(url, { min: 0, max: 2 });
const ADDRESS = 'So11111111111111111111111111111111111111112';

test('existing orders get the current file as their version; later files and orders are versioned', async () => {
  await runner({
    databaseUrl: url,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    count: 10,
    migrationsTable: 'schema_migrations',
    log: () => {},
  });
  await db.exec(`INSERT INTO users (id, first_name) VALUES (1, 'Sam'), (2, 'Bea')`);
  await db.exec(
    `INSERT INTO seller_profiles (user_id, name, email, payout_address) VALUES (1, 'Sam', 's@example.com', $1)`,
    [ADDRESS],
  );
  const file = async (name: string) =>
    (
      await db.one<{ id: number }>(
        `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
         VALUES (1, 'file', $1, $2, 10, 'application/pdf') RETURNING id::int`,
        [`products/1/P-7K3M9QXD4T/file/${name}`, name],
      )
    ).id;
  const first = await file('v1.pdf');
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, price_cents, status, main_file_id)
     VALUES ('P-7K3M9QXD4T', 1, 1, 'Guide existant', 1999, 'active', $1),
            ('P-7K3M9QXD4V', 1, 1, 'Brouillon vide', 1999, 'draft', NULL)`,
    [first],
  );
  const order = (id: string) =>
    db.exec(
      `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents,
         status, paid_at) VALUES ($1, 2, 'P-7K3M9QXD4T', 1, 'Guide existant', 1999, 149, 2148, 'paid', now())`,
      [id],
    );
  await order('O-7K3M9QXD4T');

  // 011 and whatever came after it.
  assert.equal((await migrate(db))[0], '011_product-file-versions');
  const versions = () =>
    db.many<{ product: string; version: number; file: number }>(
      `SELECT product_id AS product, version, file_id::int AS file FROM product_file_versions ORDER BY id`,
    );
  assert.deepEqual(await versions(), [{ product: 'P-7K3M9QXD4T', version: 1, file: first }]);
  const bought = (id: string) =>
    db.one<{ version: number | null }>(
      `SELECT v.version FROM orders o LEFT JOIN product_file_versions v ON v.id = o.file_version_id WHERE o.id = $1`,
      [id],
    );
  assert.equal((await bought('O-7K3M9QXD4T')).version, 1);

  // A main file set by plain SQL is the next version; an order placed then buys it.
  const second = await file('v2.pdf');
  await db.exec(`UPDATE products SET main_file_id = $1 WHERE id = 'P-7K3M9QXD4T'`, [second]);
  await db.exec(`UPDATE products SET title = 'Guide existant, 2e édition' WHERE id = 'P-7K3M9QXD4T'`);
  assert.deepEqual(await versions(), [
    { product: 'P-7K3M9QXD4T', version: 1, file: first },
    { product: 'P-7K3M9QXD4T', version: 2, file: second },
  ]);
  await order('O-7K3M9QXD4V');
  assert.equal((await bought('O-7K3M9QXD4V')).version, 2);
  assert.equal((await bought('O-7K3M9QXD4T')).version, 1, 'the earlier order keeps its version');
});
