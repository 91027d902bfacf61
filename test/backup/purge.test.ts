// The purge: files of products deleted over 90 days ago with no order in the last 30 days leave
// storage (their rows are marked removed); everything else stays, and order history is intact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Database, migrate } from '../../src/db/index.ts';
import { newOrderId, newProductId } from '../../src/domain/index.ts';
import { createPurgeService } from '../../src/services/purge.ts';
import { buildProductKey, type FileStorage, S3FileStorage } from '../../src/storage/index.ts';
import { startS3Double } from '../storage/s3-double.ts';
import { emptyDatabase, localStorage, silentLog } from './support.ts';

const SELLER = 700_000_001;
const BUYER = 700_000_002;
const storage = await localStorage();
const { db } = await emptyDatabase();
await migrate(db);
await db.exec(`INSERT INTO users (id, first_name) VALUES ($1, 'Seller'), ($2, 'Buyer')`, [SELLER, BUYER]);
await db.exec(
  `INSERT INTO seller_profiles (user_id, name, email, payout_address)
   VALUES ($1, 'Shop', 'shop@example.com', 'So11111111111111111111111111111111111111112')`,
  [SELLER],
);

interface Listed {
  id: string;
  keys: string[];
}

/** A product with a file and a cover in storage (plus, optionally, a replaced upload under its folder). */
async function listProduct(
  into: FileStorage,
  options: { deletedDaysAgo?: number; orderDaysAgo?: number[]; replacedUpload?: boolean },
): Promise<Listed> {
  const id = newProductId();
  const keys: string[] = [];
  const fileIds: number[] = [];
  const kinds = ['file', 'cover', ...(options.replacedUpload ? ['file' as const] : [])] as const;
  for (const kind of kinds) {
    const key = buildProductKey({ sellerId: SELLER, productId: id, kind, fileName: `${kind}.bin` });
    const put = await into.put(key, Buffer.from(`${id} ${kind}`), {
      contentType: 'application/octet-stream',
    });
    const row = await db.one<{ id: number }>(
      `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
       VALUES ($1, $2, $3, $4, $5, 'application/octet-stream') RETURNING id::int`,
      [SELLER, kind, key, `${kind}.bin`, put.size],
    );
    keys.push(key);
    fileIds.push(row.id);
  }
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, price_cents, status, main_file_id, cover_file_id)
     VALUES ($1, $2, (SELECT min(id) FROM categories), 'Old guide', 0, 'active', $3, $4)`,
    [id, SELLER, fileIds[0], fileIds[1]],
  );
  for (const days of options.orderDaysAgo ?? []) {
    await db.exec(
      `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents,
                           status, paid_at, created_at)
       VALUES ($1, $2, $3, $4, 'Old guide', 0, 0, 0, 'paid', now() - make_interval(days => $5),
               now() - make_interval(days => $5))`,
      [newOrderId(), BUYER, id, SELLER, days],
    );
  }
  if (options.deletedDaysAgo !== undefined) {
    await db.exec(
      `UPDATE products SET status = 'deleted', deleted_at = now() - make_interval(days => $2) WHERE id = $1`,
      [id, options.deletedDaysAgo],
    );
  }
  return { id, keys };
}

async function fileState(database: Database, keys: string[]): Promise<(string | null)[]> {
  const rows = await database.many<{ key: string; removed: boolean }>(
    `SELECT storage_key AS key, deleted_at IS NOT NULL AS removed FROM stored_files WHERE storage_key = ANY ($1)`,
    [keys],
  );
  return keys.map((key) => {
    const row = rows.find((r) => r.key === key);
    return row ? (row.removed ? 'removed' : 'stored') : null;
  });
}

test('files of products deleted over 90 days ago with no order in 30 days are purged; the rest stay', async () => {
  const stale = await listProduct(storage, {
    deletedDaysAgo: 100,
    orderDaysAgo: [40, 200],
    replacedUpload: true,
  });
  const neverSold = await listProduct(storage, { deletedDaysAgo: 91 });
  const recentlyOrdered = await listProduct(storage, { deletedDaysAgo: 100, orderDaysAgo: [10] });
  const recentlyDeleted = await listProduct(storage, { deletedDaysAgo: 60 });
  const live = await listProduct(storage, { orderDaysAgo: [100] });
  await db.exec(
    `INSERT INTO telegram_file_cache (stored_file_id, file_id) SELECT id, 'tg-' || id FROM stored_files`,
  );
  const ordersBefore = await db.many('SELECT * FROM orders ORDER BY id');

  const purge = createPurgeService({ db, storage, log: silentLog, settings: { batchSize: 2 } });
  const result = await purge.purgeDeletedProductFiles();
  const purgedKeys = [...stale.keys, ...neverSold.keys];
  assert.equal(result.files, purgedKeys.length);
  assert.equal(result.failed, 0);
  assert.ok(result.bytes > 0);

  for (const key of purgedKeys) assert.equal(await storage.exists(key), false, `${key} left storage`);
  assert.deepEqual(
    await fileState(db, purgedKeys),
    purgedKeys.map(() => 'removed'),
  );
  const keptKeys = [...recentlyOrdered.keys, ...recentlyDeleted.keys, ...live.keys];
  for (const key of keptKeys) assert.equal(await storage.exists(key), true, `${key} stays`);
  assert.deepEqual(
    await fileState(db, keptKeys),
    keptKeys.map(() => 'stored'),
  );

  const cached = await db.many<{ key: string }>(
    `SELECT f.storage_key AS key FROM telegram_file_cache c JOIN stored_files f ON f.id = c.stored_file_id`,
  );
  assert.deepEqual(
    cached.map((c) => c.key).sort(),
    [...keptKeys].sort(),
    'Telegram copies of purged files are forgotten',
  );
  assert.deepEqual(await db.many('SELECT * FROM orders ORDER BY id'), ordersBefore, 'order history stays');

  assert.deepEqual(
    await purge.purgeDeletedProductFiles(),
    { files: 0, bytes: 0, failed: 0 },
    'nothing left to do',
  );
});

test('an object storage cannot remove stays marked stored, and the next run removes it', async () => {
  const credentials = {
    bucket: 'agora-files',
    region: 'auto',
    accessKeyId: 'AKIDPURGE',
    secretAccessKey: 'secret',
  };
  const double = await startS3Double(credentials);
  const bucket = new S3FileStorage({ ...credentials, endpoint: double.endpoint, forcePathStyle: true });
  try {
    const stale = await listProduct(bucket, { deletedDaysAgo: 120 });
    await double.close(); // storage unreachable
    const down = await createPurgeService({ db, storage: bucket, log: silentLog }).purgeDeletedProductFiles();
    assert.deepEqual(down, { files: 0, bytes: 0, failed: stale.keys.length });
    assert.deepEqual(await fileState(db, stale.keys), ['stored', 'stored']);

    // Storage back (here: a store where the objects are already gone, which deleting accepts).
    const up = await createPurgeService({ db, storage, log: silentLog }).purgeDeletedProductFiles();
    assert.equal(up.files, stale.keys.length);
    assert.deepEqual(await fileState(db, stale.keys), ['removed', 'removed']);
  } finally {
    await bucket.close();
  }
});
