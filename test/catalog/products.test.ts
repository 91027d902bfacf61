// A seller's products: create, edit, publish, delete (soft with orders, hard with its files
// without), and who may do each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CheckViolationError, ForeignKeyViolationError } from '../../src/db/index.ts';
import { newProductId, ValidationError } from '../../src/domain/index.ts';
import {
  deleteStoredFiles,
  getStoredFile,
  insertStoredFile,
  listProductFiles,
  markStoredFileDeleted,
  storageUsedBytes,
} from '../../src/repositories/files.ts';
import {
  getProduct,
  hardDeleteProduct,
  insertProduct,
  productHasOrders,
  setProductFile,
  setProductStatus,
} from '../../src/repositories/products.ts';
import { suspendUser } from '../../src/repositories/users.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  NotOwnerError,
  NotSellerError,
  ProductBannedError,
  ProductDeletedError,
  ProductFileMissingError,
  SuspendedError,
} from '../../src/services/errors.ts';
import { buildProductKey, ForeignKeyError } from '../../src/storage/index.ts';
import { png } from '../support/images.ts';
import {
  addListedProduct,
  addPaidOrder,
  addSeller,
  addUser,
  attachFile,
  catalogKit,
  categoryId,
} from './fixtures.ts';

/** Ids the product service draws before random ones (a test queues a taken id). */
const queuedIds: string[] = [];
const kit = await catalogKit({ adminIds: new Set([1]), newId: () => queuedIds.shift() ?? newProductId() });
const { db, storage, products, files, analytics, moderation } = kit;

const SELLER = 1000;
const OTHER_SELLER = 1001;
const BUYER = 1002;
await addSeller(kit, SELLER);
await addSeller(kit, OTHER_SELLER);
await addUser(kit, BUYER);
const finance = await categoryId(db, 'finance-crypto');
const admin = moderation.moderator(1);

const draftInput = {
  title: '  Guide   du trading ',
  description: 'Tout sur le trading.',
  categoryId: finance,
  priceCents: 1999,
};

test('products.create stores a validated draft with a fresh product id', async () => {
  const product = await products.create(SELLER, draftInput);
  assert.match(product.id, /^P-[2-9A-HJKMNP-Z]{10}$/);
  assert.equal(product.title, 'Guide du trading');
  assert.equal(product.status, 'draft');
  assert.equal(product.sellerId, SELLER);
  assert.equal(product.rating, null);
  assert.deepEqual(await getProduct(db, product.id), product);
});

test('products.create refuses bad input with the validator error and writes nothing', async () => {
  const before = (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM products')).n;
  await assert.rejects(products.create(SELLER, { ...draftInput, title: 'abc' }), (e: unknown) => {
    return e instanceof ValidationError && e.code === 'title_too_short';
  });
  await assert.rejects(products.create(SELLER, { ...draftInput, priceCents: 500 }), (e: unknown) => {
    return e instanceof ValidationError && e.code === 'price_below_minimum';
  });
  await assert.rejects(products.create(SELLER, { ...draftInput, categoryId: 9999 }), NotFoundError);
  await assert.rejects(products.create(BUYER, draftInput), NotSellerError);
  assert.equal((await db.one<{ n: number }>('SELECT count(*)::int AS n FROM products')).n, before);
});

test('products.create draws another id when the first one is taken', async () => {
  const taken = await products.create(SELLER, draftInput);
  queuedIds.push(taken.id, 'P-22222ABCDE');
  const product = await products.create(SELLER, draftInput);
  assert.equal(product.id, 'P-22222ABCDE');
});

test('a suspended user cannot create, edit or publish a product', async () => {
  const user = 1010;
  await addSeller(kit, user);
  const product = await products.create(user, draftInput);
  await attachFile(db, product);
  await suspendUser(db, user, { reason: 'fraud', until: null, adminId: 1 });
  await assert.rejects(products.create(user, draftInput), SuspendedError);
  await assert.rejects(products.edit(user, product.id, { priceCents: 2999 }), SuspendedError);
  await assert.rejects(products.activate(user, product.id), (e: unknown) => {
    return e instanceof SuspendedError && e.code === 'user_suspended';
  });
  assert.equal((await getProduct(db, product.id))?.status, 'draft');
});

test('products.edit changes only the given fields, only for the owner', async () => {
  const product = await products.create(SELLER, draftInput);
  const edited = await products.edit(SELLER, product.id, { priceCents: 0, description: 'Nouveau texte' });
  assert.equal(edited.priceCents, 0, 'free is a valid price');
  assert.equal(edited.description, 'Nouveau texte');
  assert.equal(edited.title, product.title);
  await assert.rejects(products.edit(OTHER_SELLER, product.id, { title: 'Stolen title' }), (e: unknown) => {
    return e instanceof NotOwnerError && e.code === 'not_owner';
  });
  await assert.rejects(products.edit(SELLER, product.id, { description: 'x'.repeat(1001) }), ValidationError);
  await assert.rejects(products.edit(SELLER, 'P-ZZZZZZZZZZ', { title: 'Whatever title' }), NotFoundError);
  assert.equal((await getProduct(db, product.id))?.description, 'Nouveau texte');
});

test('publishing needs the file; deactivate and re-activate; only the owner', async () => {
  const product = await products.create(SELLER, draftInput);
  await assert.rejects(products.activate(SELLER, product.id), ProductFileMissingError);
  await attachFile(db, product);
  await assert.rejects(products.activate(OTHER_SELLER, product.id), NotOwnerError);
  assert.equal((await products.activate(SELLER, product.id)).status, 'active');
  assert.equal((await products.activate(SELLER, product.id)).status, 'active', 'asking twice is harmless');
  assert.equal((await products.deactivate(SELLER, product.id)).status, 'inactive');
  assert.equal((await products.activate(SELLER, product.id)).status, 'active');
  const draft = await products.create(SELLER, draftInput);
  await assert.rejects(products.deactivate(SELLER, draft.id), (e: unknown) => {
    return e instanceof ConflictError && e.code === 'product_transition_forbidden';
  });
});

test('a banned product cannot be re-activated by its seller', async () => {
  const product = await addListedProduct(kit, SELLER);
  await moderation.banProduct(admin, product.id, 'Copyright');
  await assert.rejects(products.activate(SELLER, product.id), (e: unknown) => {
    return e instanceof ProductBannedError && e.code === 'product_banned';
  });
  await assert.rejects(products.deactivate(SELLER, product.id), ProductBannedError);
  const stored = await getProduct(db, product.id);
  assert.equal(stored?.status, 'banned');
  assert.equal(stored?.banReason, 'Copyright');
});

test('deleting a product with orders is soft: the order row stays and it leaves the listings', async () => {
  const product = await addListedProduct(kit, SELLER);
  const orderId = await addPaidOrder(db, product, BUYER);
  assert.equal(await productHasOrders(db, product.id), true);
  await assert.rejects(products.delete(OTHER_SELLER, product.id), NotOwnerError);
  const result = await products.delete(SELLER, product.id);
  assert.deepEqual(result, { mode: 'soft', removedKeys: [], failedKeys: [] });
  const deleted = await getProduct(db, product.id);
  assert.equal(deleted?.status, 'deleted');
  assert.ok(deleted?.deletedAt instanceof Date);
  const order = await db.one<{ product_id: string; status: string }>(
    'SELECT product_id, status FROM orders WHERE id = $1',
    [orderId],
  );
  assert.deepEqual(order, { product_id: product.id, status: 'paid' });
  assert.equal(
    (await listProductFiles(db, product.id))[0]?.deletedAt ?? null,
    null,
    'the buyer can still download',
  );
  await assert.rejects(products.activate(SELLER, product.id), ProductDeletedError);
  await assert.rejects(products.delete(SELLER, product.id), ProductDeletedError);
  // The repository alone: the foreign key refuses to erase sold history.
  await assert.rejects(
    hardDeleteProduct(db, product.id),
    (e: unknown) => e instanceof ForeignKeyViolationError && e.constraint === 'orders_product_id_fkey',
  );
});

test('deleting a product without orders removes the row, its file rows and the stored objects', async () => {
  const product = await products.create(SELLER, draftInput);
  const keys = [
    buildProductKey({ sellerId: SELLER, productId: product.id, kind: 'file', fileName: 'guide.pdf' }),
    buildProductKey({ sellerId: SELLER, productId: product.id, kind: 'cover', fileName: 'cover.png' }),
    // Uploaded but never attached (replaced): it goes too.
    buildProductKey({ sellerId: SELLER, productId: product.id, kind: 'file', fileName: 'old.pdf' }),
  ];
  const ids: number[] = [];
  for (const [i, key] of keys.entries()) {
    const body = Buffer.from(`content ${i}`);
    const put = await storage.put(key, body, { contentType: 'application/octet-stream' });
    const file = await insertStoredFile(db, {
      ownerId: SELLER,
      kind: i === 1 ? 'cover' : 'file',
      storageKey: key,
      originalName: `f${i}`,
      sizeBytes: put.size,
      contentType: 'application/octet-stream',
      sha256: put.sha256,
    });
    ids.push(file.id);
  }
  await setProductFile(db, product.id, 'file', ids[0] as number);
  await setProductFile(db, product.id, 'cover', ids[1] as number);
  const other = await addListedProduct(kit, SELLER);
  assert.deepEqual(
    (await listProductFiles(db, product.id)).map((f) => f.id),
    ids,
  );
  const usedBefore = await storageUsedBytes(db, SELLER);

  const result = await products.delete(SELLER, product.id);
  assert.equal(result.mode, 'hard');
  assert.deepEqual(result.removedKeys.sort(), [...keys].sort());
  assert.deepEqual(result.failedKeys, []);
  assert.equal(await getProduct(db, product.id), null);
  for (const id of ids) assert.equal(await getStoredFile(db, id), null);
  for (const key of keys) assert.equal(await storage.exists(key), false);
  assert.equal(await storageUsedBytes(db, SELLER), usedBefore - ids.length * 9);
  assert.equal((await getProduct(db, other.id))?.status, 'active', 'other products are untouched');
});

test('stored files: typed errors on bad keys, marking removed objects, storage used', async () => {
  const product = await products.create(OTHER_SELLER, draftInput);
  await assert.rejects(
    insertStoredFile(db, {
      ownerId: OTHER_SELLER,
      kind: 'file',
      storageKey: '../etc/passwd',
      originalName: 'x',
      sizeBytes: 1,
      contentType: 'text/plain',
    }),
    (e: unknown) => e instanceof CheckViolationError && e.constraint === 'stored_files_storage_key_check',
  );
  const file = await attachFile(db, product, 5000);
  assert.equal(await storageUsedBytes(db, OTHER_SELLER), 5000);
  assert.equal(await markStoredFileDeleted(db, file.id), true);
  assert.equal(await markStoredFileDeleted(db, file.id), false, 'already marked');
  assert.ok((await getStoredFile(db, file.id))?.deletedAt instanceof Date);
  assert.equal(await storageUsedBytes(db, OTHER_SELLER), 0);
  assert.equal(await deleteStoredFiles(db, []), 0);
});

test('the schema refuses what the services never write, with typed errors', async () => {
  const product = await products.create(SELLER, draftInput);
  await assert.rejects(
    setProductStatus(db, product.id, 'active'),
    (e: unknown) => e instanceof CheckViolationError && e.constraint === 'products_main_file_check',
  );
  await assert.rejects(
    insertProduct(db, {
      id: 'P-BADID',
      sellerId: SELLER,
      categoryId: finance,
      title: 'Valid title',
      description: '',
      priceCents: 0,
    }),
    (e: unknown) => e instanceof CheckViolationError && e.constraint === 'products_id_check',
  );
  await assert.rejects(
    insertProduct(db, {
      id: 'P-33333ABCDE',
      sellerId: BUYER,
      categoryId: finance,
      title: 'Valid title',
      description: '',
      priceCents: 0,
    }),
    (e: unknown) => e instanceof ForeignKeyViolationError && e.constraint === 'products_seller_id_fkey',
  );
});

test('a delete racing a checkout waits for the order and becomes soft instead of failing', async () => {
  const product = await addListedProduct(kit, SELLER);
  let orderWritten!: () => void;
  let commitOrder!: () => void;
  const written = new Promise<void>((resolve) => {
    orderWritten = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    commitOrder = resolve;
  });
  const checkout = db.transaction(async (tx) => {
    await tx.exec(
      `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents)
       VALUES ('O-RACE2345AB', $1, $2, $3, $4, 1999, 149, 2148)`,
      [BUYER, product.id, SELLER, product.title],
    );
    orderWritten();
    await gate;
  });
  await written;
  const deletion = products.delete(SELLER, product.id);
  await new Promise((resolve) => setTimeout(resolve, 100));
  commitOrder();
  await checkout;
  assert.equal((await deletion).mode, 'soft');
  assert.equal((await getProduct(db, product.id))?.status, 'deleted');
});

test('files.attach records an uploaded object of this seller and product, replacing the old one', async () => {
  const product = await products.create(SELLER, draftInput);
  const upload = async (
    kind: 'file' | 'cover',
    name: string,
    contentType: string,
    body: Buffer = Buffer.from(name),
  ) => {
    const key = buildProductKey({ sellerId: SELLER, productId: product.id, kind, fileName: name });
    const put = await storage.put(key, body, { contentType });
    return {
      kind,
      storageKey: key,
      originalName: name,
      sizeBytes: put.size,
      contentType,
      sha256: put.sha256,
    };
  };
  const first = await upload('cover', 'cover.png', 'image/png', png(600, 400));
  const attached = await files.attach(SELLER, product.id, first);
  assert.equal(attached.product.coverFileId, attached.file.id);
  assert.equal(attached.replacedKey, null);

  const second = await upload('cover', 'cover2.png', 'image/png', png(400, 600));
  const replaced = await files.attach(SELLER, product.id, second);
  assert.equal(replaced.replacedKey, first.storageKey);
  assert.equal(await storage.exists(first.storageKey), false);
  assert.ok((await getStoredFile(db, attached.file.id))?.deletedAt instanceof Date);

  const main = await upload('file', 'guide.pdf', 'application/pdf');
  await files.attach(SELLER, product.id, main);
  assert.equal((await products.activate(SELLER, product.id)).status, 'active');

  // Keys of another product or seller, the wrong kind, or not an image: refused, nothing written.
  const filesBefore = (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM stored_files')).n;
  const other = await products.create(OTHER_SELLER, draftInput);
  const foreign = buildProductKey({
    sellerId: OTHER_SELLER,
    productId: other.id,
    kind: 'file',
    fileName: 'x.pdf',
  });
  await assert.rejects(
    files.attach(SELLER, product.id, { ...main, storageKey: foreign }),
    (e: unknown) => e instanceof ForeignKeyError,
  );
  await assert.rejects(files.attach(SELLER, product.id, { ...main, kind: 'cover' }), ForeignKeyError);
  await assert.rejects(
    files.attach(SELLER, product.id, { ...second, contentType: 'application/pdf' }),
    (e: unknown) => e instanceof InvalidInputError && e.code === 'image_type_invalid',
  );
  await assert.rejects(
    files.attach(SELLER, product.id, { ...second, sizeBytes: 6 * 1024 * 1024 }),
    (e: unknown) => e instanceof InvalidInputError && e.code === 'image_too_large',
  );
  // The bytes decide, not the declared type: text, or a photo Telegram refuses (30000×100).
  await assert.rejects(
    files.attach(SELLER, product.id, await upload('cover', 'fake.png', 'image/png')),
    (e: unknown) => e instanceof InvalidInputError && e.code === 'image_type_invalid',
  );
  await assert.rejects(
    files.attach(SELLER, product.id, await upload('cover', 'strip.png', 'image/png', png(30_000, 100))),
    (e: unknown) =>
      e instanceof InvalidInputError && e.code === 'image_dimensions_too_large' && e.details.width === 30_000,
  );
  const otherKey = buildProductKey({
    sellerId: OTHER_SELLER,
    productId: product.id,
    kind: 'file',
    fileName: 'x.pdf',
  });
  await assert.rejects(
    files.attach(OTHER_SELLER, product.id, { ...main, storageKey: otherKey }),
    NotOwnerError,
  );
  assert.equal((await db.one<{ n: number }>('SELECT count(*)::int AS n FROM stored_files')).n, filesBefore);
});

test('the main file of a sold product is kept in storage when replaced: buyers may be downloading it', async () => {
  const product = await addListedProduct(kit, SELLER);
  const old = await getProduct(db, product.id);
  await addPaidOrder(db, product, BUYER);
  const key = buildProductKey({ sellerId: SELLER, productId: product.id, kind: 'file', fileName: 'v2.pdf' });
  const result = await files.attach(SELLER, product.id, {
    kind: 'file',
    storageKey: key,
    originalName: 'v2.pdf',
    sizeBytes: 10,
    contentType: 'application/pdf',
  });
  assert.equal(result.replacedKey, null);
  assert.equal((await getStoredFile(db, old?.mainFileId ?? 0))?.deletedAt, null);
});

test('analytics are the seller’s own: a product’s period for its owner only', async () => {
  const product = await addListedProduct(kit, SELLER);
  await addPaidOrder(db, product, BUYER, 3);
  const report = await analytics.product(SELLER, product.id, 30);
  assert.equal(report.daily.length, 30);
  assert.equal(report.current.sales, 1);
  assert.equal(report.previous.sales, 0);
  await assert.rejects(analytics.product(OTHER_SELLER, product.id), NotOwnerError);
  await assert.rejects(analytics.product(SELLER, 'P-ZZZZZZZZZZ'), NotFoundError);
  await assert.rejects(analytics.product(SELLER, product.id, 45), { code: 'analytics_period_invalid' });
  const summary = await analytics.summary(SELLER, 7);
  assert.equal(summary.daily.length, 7);
  assert.ok(summary.top.some((t) => t.id === product.id));
  await assert.rejects(analytics.summary(BUYER), NotSellerError);
});
