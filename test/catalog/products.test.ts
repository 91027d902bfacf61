// A seller's products: create, edit, publish, delete (soft with orders, hard with its files
// without), and who may do each.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CheckViolationError, ForeignKeyViolationError } from '../../src/db/index.ts';
import { ValidationError } from '../../src/domain/index.ts';
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
import { banProduct, Moderator } from '../../src/services/moderation.ts';
import {
  activateProduct,
  attachProductFile,
  createProduct,
  deactivateProduct,
  deleteProduct,
  editProduct,
  productSalesSeries,
  sellerAnalytics,
} from '../../src/services/products.ts';
import { buildProductKey, ForeignKeyError, LocalFileStorage } from '../../src/storage/index.ts';
import {
  addListedProduct,
  addPaidOrder,
  addSeller,
  addUser,
  attachFile,
  catalogDatabase,
  categoryId,
} from './fixtures.ts';

const db = await catalogDatabase();
const dir = await mkdtemp(join(tmpdir(), 'agora-catalog-'));
after(() => rm(dir, { recursive: true, force: true }));
const storage = new LocalFileStorage({
  dir,
  publicUrl: 'http://localhost:3000',
  signingSecret: 's'.repeat(32),
});

const SELLER = 1000;
const OTHER_SELLER = 1001;
const BUYER = 1002;
await addSeller(db, SELLER);
await addSeller(db, OTHER_SELLER);
await addUser(db, BUYER);
const finance = await categoryId(db, 'finance-crypto');
const admin = Moderator.verify(new Set([1]), 1);

const draftInput = {
  title: '  Guide   du trading ',
  description: 'Tout sur le trading.',
  categoryId: finance,
  priceCents: 1999,
};

test('createProduct stores a validated draft with a fresh product id', async () => {
  const product = await createProduct(db, SELLER, draftInput);
  assert.match(product.id, /^P-[2-9A-HJKMNP-Z]{10}$/);
  assert.equal(product.title, 'Guide du trading');
  assert.equal(product.status, 'draft');
  assert.equal(product.sellerId, SELLER);
  assert.equal(product.rating, null);
  assert.deepEqual(await getProduct(db, product.id), product);
});

test('createProduct refuses bad input with the validator error and writes nothing', async () => {
  const before = (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM products')).n;
  await assert.rejects(createProduct(db, SELLER, { ...draftInput, title: 'abc' }), (e: unknown) => {
    return e instanceof ValidationError && e.code === 'title_too_short';
  });
  await assert.rejects(createProduct(db, SELLER, { ...draftInput, priceCents: 500 }), (e: unknown) => {
    return e instanceof ValidationError && e.code === 'price_below_minimum';
  });
  await assert.rejects(createProduct(db, SELLER, { ...draftInput, categoryId: 9999 }), NotFoundError);
  await assert.rejects(createProduct(db, BUYER, draftInput), NotSellerError);
  assert.equal((await db.one<{ n: number }>('SELECT count(*)::int AS n FROM products')).n, before);
});

test('createProduct draws another id when the first one is taken', async () => {
  const taken = await createProduct(db, SELLER, draftInput);
  const ids = [taken.id, 'P-22222ABCDE'];
  const product = await createProduct(db, SELLER, draftInput, () => ids.shift() as string);
  assert.equal(product.id, 'P-22222ABCDE');
});

test('a suspended user cannot create, edit or publish a product', async () => {
  const user = 1010;
  await addSeller(db, user);
  const product = await createProduct(db, user, draftInput);
  await attachFile(db, product);
  await suspendUser(db, user, { reason: 'fraud', until: null, adminId: 1 });
  await assert.rejects(createProduct(db, user, draftInput), SuspendedError);
  await assert.rejects(editProduct(db, user, product.id, { priceCents: 2999 }), SuspendedError);
  await assert.rejects(activateProduct(db, user, product.id), (e: unknown) => {
    return e instanceof SuspendedError && e.code === 'user_suspended';
  });
  assert.equal((await getProduct(db, product.id))?.status, 'draft');
});

test('editProduct changes only the given fields, only for the owner', async () => {
  const product = await createProduct(db, SELLER, draftInput);
  const edited = await editProduct(db, SELLER, product.id, { priceCents: 0, description: 'Nouveau texte' });
  assert.equal(edited.priceCents, 0, 'free is a valid price');
  assert.equal(edited.description, 'Nouveau texte');
  assert.equal(edited.title, product.title);
  await assert.rejects(editProduct(db, OTHER_SELLER, product.id, { title: 'Stolen title' }), (e: unknown) => {
    return e instanceof NotOwnerError && e.code === 'not_owner';
  });
  await assert.rejects(
    editProduct(db, SELLER, product.id, { description: 'x'.repeat(1001) }),
    ValidationError,
  );
  await assert.rejects(editProduct(db, SELLER, 'P-ZZZZZZZZZZ', { title: 'Whatever title' }), NotFoundError);
  assert.equal((await getProduct(db, product.id))?.description, 'Nouveau texte');
});

test('publishing needs the file; deactivate and re-activate; only the owner', async () => {
  const product = await createProduct(db, SELLER, draftInput);
  await assert.rejects(activateProduct(db, SELLER, product.id), ProductFileMissingError);
  await attachFile(db, product);
  await assert.rejects(activateProduct(db, OTHER_SELLER, product.id), NotOwnerError);
  assert.equal((await activateProduct(db, SELLER, product.id)).status, 'active');
  assert.equal((await activateProduct(db, SELLER, product.id)).status, 'active', 'asking twice is harmless');
  assert.equal((await deactivateProduct(db, SELLER, product.id)).status, 'inactive');
  assert.equal((await activateProduct(db, SELLER, product.id)).status, 'active');
  const draft = await createProduct(db, SELLER, draftInput);
  await assert.rejects(deactivateProduct(db, SELLER, draft.id), (e: unknown) => {
    return e instanceof ConflictError && e.code === 'product_transition_forbidden';
  });
});

test('a banned product cannot be re-activated by its seller', async () => {
  const product = await addListedProduct(db, SELLER);
  await banProduct(db, admin, product.id, 'Copyright');
  await assert.rejects(activateProduct(db, SELLER, product.id), (e: unknown) => {
    return e instanceof ProductBannedError && e.code === 'product_banned';
  });
  await assert.rejects(deactivateProduct(db, SELLER, product.id), ProductBannedError);
  const stored = await getProduct(db, product.id);
  assert.equal(stored?.status, 'banned');
  assert.equal(stored?.banReason, 'Copyright');
});

test('deleting a product with orders is soft: the order row stays and it leaves the listings', async () => {
  const product = await addListedProduct(db, SELLER);
  const orderId = await addPaidOrder(db, product, BUYER);
  assert.equal(await productHasOrders(db, product.id), true);
  await assert.rejects(deleteProduct(db, storage, OTHER_SELLER, product.id), NotOwnerError);
  const result = await deleteProduct(db, storage, SELLER, product.id);
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
  await assert.rejects(activateProduct(db, SELLER, product.id), ProductDeletedError);
  await assert.rejects(deleteProduct(db, storage, SELLER, product.id), ProductDeletedError);
  // The repository alone: the foreign key refuses to erase sold history.
  await assert.rejects(
    hardDeleteProduct(db, product.id),
    (e: unknown) => e instanceof ForeignKeyViolationError && e.constraint === 'orders_product_id_fkey',
  );
});

test('deleting a product without orders removes the row, its file rows and the stored objects', async () => {
  const product = await createProduct(db, SELLER, draftInput);
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
  const other = await addListedProduct(db, SELLER);
  assert.deepEqual(
    (await listProductFiles(db, product.id)).map((f) => f.id),
    ids,
  );
  const usedBefore = await storageUsedBytes(db, SELLER);

  const result = await deleteProduct(db, storage, SELLER, product.id);
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
  const product = await createProduct(db, OTHER_SELLER, draftInput);
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
  const product = await createProduct(db, SELLER, draftInput);
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
  const product = await addListedProduct(db, SELLER);
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
  const deletion = deleteProduct(db, storage, SELLER, product.id);
  await new Promise((resolve) => setTimeout(resolve, 100));
  commitOrder();
  await checkout;
  assert.equal((await deletion).mode, 'soft');
  assert.equal((await getProduct(db, product.id))?.status, 'deleted');
});

test('attachProductFile records an uploaded object of this seller and product, replacing the old one', async () => {
  const product = await createProduct(db, SELLER, draftInput);
  const upload = async (kind: 'file' | 'cover', name: string, contentType: string) => {
    const key = buildProductKey({ sellerId: SELLER, productId: product.id, kind, fileName: name });
    const put = await storage.put(key, Buffer.from(name), { contentType });
    return {
      kind,
      storageKey: key,
      originalName: name,
      sizeBytes: put.size,
      contentType,
      sha256: put.sha256,
    };
  };
  const first = await upload('cover', 'cover.png', 'image/png');
  const attached = await attachProductFile(db, storage, SELLER, product.id, first);
  assert.equal(attached.product.coverFileId, attached.file.id);
  assert.equal(attached.replacedKey, null);

  const second = await upload('cover', 'cover2.png', 'image/png');
  const replaced = await attachProductFile(db, storage, SELLER, product.id, second);
  assert.equal(replaced.replacedKey, first.storageKey);
  assert.equal(await storage.exists(first.storageKey), false);
  assert.ok((await getStoredFile(db, attached.file.id))?.deletedAt instanceof Date);

  const main = await upload('file', 'guide.pdf', 'application/pdf');
  await attachProductFile(db, storage, SELLER, product.id, main);
  assert.equal((await activateProduct(db, SELLER, product.id)).status, 'active');

  // Keys of another product or seller, the wrong kind, or not an image: refused, nothing written.
  const filesBefore = (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM stored_files')).n;
  const other = await createProduct(db, OTHER_SELLER, draftInput);
  const foreign = buildProductKey({
    sellerId: OTHER_SELLER,
    productId: other.id,
    kind: 'file',
    fileName: 'x.pdf',
  });
  await assert.rejects(
    attachProductFile(db, storage, SELLER, product.id, { ...main, storageKey: foreign }),
    (e: unknown) => e instanceof ForeignKeyError,
  );
  await assert.rejects(
    attachProductFile(db, storage, SELLER, product.id, { ...main, kind: 'cover' }),
    ForeignKeyError,
  );
  await assert.rejects(
    attachProductFile(db, storage, SELLER, product.id, { ...second, contentType: 'application/pdf' }),
    (e: unknown) => e instanceof InvalidInputError && e.code === 'image_type_invalid',
  );
  await assert.rejects(
    attachProductFile(db, storage, SELLER, product.id, { ...second, sizeBytes: 6 * 1024 * 1024 }),
    (e: unknown) => e instanceof InvalidInputError && e.code === 'image_too_large',
  );
  const otherKey = buildProductKey({
    sellerId: OTHER_SELLER,
    productId: product.id,
    kind: 'file',
    fileName: 'x.pdf',
  });
  await assert.rejects(
    attachProductFile(db, storage, OTHER_SELLER, product.id, { ...main, storageKey: otherKey }),
    NotOwnerError,
  );
  assert.equal((await db.one<{ n: number }>('SELECT count(*)::int AS n FROM stored_files')).n, filesBefore);
});

test('the main file of a sold product is kept in storage when replaced: buyers may be downloading it', async () => {
  const product = await addListedProduct(db, SELLER);
  const old = await getProduct(db, product.id);
  await addPaidOrder(db, product, BUYER);
  const key = buildProductKey({ sellerId: SELLER, productId: product.id, kind: 'file', fileName: 'v2.pdf' });
  const result = await attachProductFile(db, storage, SELLER, product.id, {
    kind: 'file',
    storageKey: key,
    originalName: 'v2.pdf',
    sizeBytes: 10,
    contentType: 'application/pdf',
  });
  assert.equal(result.replacedKey, null);
  assert.equal((await getStoredFile(db, old?.mainFileId ?? 0))?.deletedAt, null);
});

test('analytics are the seller’s own: a product series for its owner only', async () => {
  const product = await addListedProduct(db, SELLER);
  await addPaidOrder(db, product, BUYER, 3);
  const series = await productSalesSeries(db, SELLER, product.id);
  assert.equal(series.length, 30);
  assert.equal(
    series.reduce((sum, d) => sum + d.sales, 0),
    1,
  );
  await assert.rejects(productSalesSeries(db, OTHER_SELLER, product.id), NotOwnerError);
  await assert.rejects(productSalesSeries(db, SELLER, 'P-ZZZZZZZZZZ'), NotFoundError);
  const analytics = await sellerAnalytics(db, SELLER);
  assert.equal(analytics.daily.length, 30);
  assert.ok(analytics.top.some((t) => t.id === product.id));
  assert.ok(analytics.dashboard.salesCount >= 1);
  await assert.rejects(sellerAnalytics(db, BUYER), NotSellerError);
});
