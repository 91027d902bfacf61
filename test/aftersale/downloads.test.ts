import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { hashDownloadToken } from '../../src/domain/index.ts';
import { listLibrary } from '../../src/repositories/library.ts';
import {
  createDownloadService,
  type Delivery,
  FileVersionUnavailableError,
} from '../../src/services/downloads.ts';
import { DownloadLinkInvalidError, NotFoundError, RateLimitedError } from '../../src/services/errors.ts';
import { createProductFileService } from '../../src/services/product-files.ts';
import { RangeNotSatisfiableError } from '../../src/storage/index.ts';
import { addOrder, addProduct, addSeller, addUser, aftersaleDatabase, localStorage } from './fixtures.ts';

const db = await aftersaleDatabase(12);
const storage = await localStorage();
const downloads = createDownloadService({ db, storage });
const seller = await addSeller(db, 10);

/** An active product whose file really is in storage. */
async function storedProduct(options: { title?: string; fileName?: string; size?: number } = {}) {
  const product = await addProduct(db, seller, options);
  await storage.put(product.storageKey, Buffer.alloc(options.size ?? 1000, 'a'), {
    contentType: 'application/pdf',
  });
  return product;
}

/** The bytes a link delivered (local storage streams them). */
async function received(delivery: Delivery): Promise<Buffer> {
  assert.equal(delivery.kind, 'stream');
  return Buffer.concat(await delivery.body.toArray());
}

test('a token works once, stores only its hash and records the download', async () => {
  const buyer = await addUser(db, 20);
  const product = await storedProduct({ fileName: 'guide.pdf', size: 1234 });
  const order = await addOrder(db, buyer, product);
  const issued = await downloads.createLink(buyer, order);
  const ttl = (issued.expiresAt.getTime() - Date.now()) / 1000;
  assert.ok(ttl > 290 && ttl <= 300, `expires in ${ttl} s`);
  const stored = await db.many<{ token_hash: string }>(
    'SELECT token_hash FROM download_tokens WHERE order_id = $1',
    [order],
  );
  assert.deepEqual(
    stored.map((r) => r.token_hash),
    [hashDownloadToken(issued.token)],
  );

  const delivery = await downloads.open(issued.token);
  assert.equal(delivery.kind, 'stream');
  const { file } = delivery;
  assert.deepEqual(
    { key: file.storageKey, name: file.fileName, size: file.sizeBytes, type: file.contentType },
    { key: product.storageKey, name: 'guide.pdf', size: 1234, type: 'application/pdf' },
  );
  assert.equal((await received(delivery)).length, 1234);
  await assert.rejects(downloads.open(issued.token), DownloadLinkInvalidError);
  await assert.rejects(downloads.open('not-a-token'), DownloadLinkInvalidError);
  const events = await db.one<{ n: number }>(
    'SELECT count(*)::int AS n FROM download_events WHERE order_id = $1',
    [order],
  );
  assert.equal(events.n, 1);
});

test('20 concurrent uses of one token: exactly one succeeds', async () => {
  const buyer = await addUser(db, 21);
  const order = await addOrder(db, buyer, await storedProduct());
  const { token } = await downloads.createLink(buyer, order);
  const results = await Promise.allSettled(Array.from({ length: 20 }, () => downloads.open(token)));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) {
    if (r.status === 'rejected') assert.ok(r.reason instanceof DownloadLinkInvalidError);
    else await received(r.value);
  }
});

test('a refused request leaves the link working: bad range, file missing from storage', async () => {
  const buyer = await addUser(db, 27);
  const product = await storedProduct({ size: 1000 });
  const order = await addOrder(db, buyer, product);
  const { token } = await downloads.createLink(buyer, order);
  await assert.rejects(downloads.open(token, 'bytes=5000-'), RangeNotSatisfiableError);
  await storage.delete(product.storageKey);
  await assert.rejects(downloads.open(token), NotFoundError);
  await storage.put(product.storageKey, Buffer.alloc(1000, 'b'), { contentType: 'application/pdf' });
  const delivery = await downloads.open(token, 'bytes=990-');
  assert.deepEqual(delivery.kind === 'stream' && delivery.range, { start: 990, end: 999 });
  assert.equal((await received(delivery)).toString(), 'b'.repeat(10));
  await assert.rejects(downloads.open(token), DownloadLinkInvalidError, 'used once it delivered');
});

test('an expired token is refused', async () => {
  const buyer = await addUser(db, 22);
  const order = await addOrder(db, buyer, await storedProduct());
  const { token } = await downloads.createLink(buyer, order);
  await db.exec(
    `UPDATE download_tokens SET created_at = now() - interval '10 minutes', expires_at = now() - interval '5 minutes'
     WHERE token_hash = $1`,
    [hashDownloadToken(token)],
  );
  await assert.rejects(downloads.open(token), DownloadLinkInvalidError);
});

test('only for the buyer’s own paid order', async () => {
  const buyer = await addUser(db, 23);
  const other = await addUser(db, 24);
  const product = await storedProduct();
  const order = await addOrder(db, buyer, product);
  await assert.rejects(downloads.createLink(other, order), NotFoundError);
  const unpaid = await addOrder(db, other, product, 'waiting');
  await assert.rejects(downloads.createLink(other, unpaid), { code: 'order_not_paid' });
});

test('the 11th token in a rolling hour is refused, even when asked for all at once', async () => {
  const buyer = await addUser(db, 25);
  const order = await addOrder(db, buyer, await storedProduct());
  const results = await Promise.allSettled(
    Array.from({ length: 11 }, () => downloads.createLink(buyer, order)),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
  const refused = results.find((r) => r.status === 'rejected');
  assert.ok(refused?.status === 'rejected' && refused.reason instanceof RateLimitedError);
  assert.ok(refused.reason.retryAfterSec > 3500 && refused.reason.retryAfterSec <= 3600);

  // Once the oldest token is more than an hour old, one more is allowed.
  await db.exec(
    `UPDATE download_tokens SET created_at = now() - interval '61 minutes', expires_at = now() - interval '56 minutes'
     WHERE token_hash = (SELECT token_hash FROM download_tokens WHERE buyer_id = $1 LIMIT 1)`,
    [buyer],
  );
  await downloads.createLink(buyer, order);
  await assert.rejects(downloads.createLink(buyer, order), RateLimitedError);
});

test('a deleted product stays in the library and downloadable', async () => {
  const buyer = await addUser(db, 26);
  const product = await storedProduct({ title: 'Pack de modèles Notion' });
  const older = await addOrder(
    db,
    buyer,
    await storedProduct({ title: 'Cours Python débutant' }),
    'paid',
    60,
  );
  const order = await addOrder(db, buyer, product);
  await addOrder(db, buyer, await storedProduct(), 'expired');
  await db.exec(
    `UPDATE products SET status = 'deleted', deleted_at = now(), title = 'Renamed before deletion' WHERE id = $1`,
    [product.id],
  );

  const library = await listLibrary(db, buyer);
  assert.equal(library.total, 2);
  assert.deepEqual(
    library.items.map((p) => [p.orderId, p.title, p.productStatus]),
    [
      [order, 'Pack de modèles Notion', 'deleted'],
      [older, 'Cours Python débutant', 'active'],
    ],
  );
  const { token } = await downloads.createLink(buyer, order);
  const delivery = await downloads.open(token);
  assert.equal(delivery.kind === 'stream' && delivery.file.storageKey, product.storageKey);
  await received(delivery);
  assert.equal((await listLibrary(db, buyer, { limit: 1, offset: 1 })).items[0]?.orderId, older);
  assert.equal((await listLibrary(db, buyer)).items[0]?.downloads, 1);
});

test('a link serves the version it was issued for: the bought one or a later published one, never a waiting upload', async () => {
  const files = createProductFileService({ db, storage });
  const buyer = await addUser(db, 30);
  const product = await storedProduct({ fileName: 'v1.pdf', size: 10 });
  const order = await addOrder(db, buyer, product);
  const upload = (text: string, fileName: string) =>
    files.store(seller, product.id, {
      kind: 'file',
      body: Readable.from([Buffer.from(text)]),
      fileName,
      contentType: 'application/pdf',
    });

  const early = await downloads.createLink(buyer, order);
  assert.equal(early.version, 1);
  assert.equal((await upload('second edition', 'v2.pdf')).outcome, 'pending', 'it sold: the file waits');
  const meanwhile = await downloads.createLink(buyer, order);
  assert.deepEqual(
    [meanwhile.version, meanwhile.fileName],
    [1, 'v1.pdf'],
    'the waiting upload is not served',
  );
  await assert.rejects(downloads.createLink(buyer, order, 2), FileVersionUnavailableError);

  const published = await files.publishVersion(seller, product.id);
  assert.equal(published.version.version, 2);
  assert.deepEqual(published.recipients, [{ buyerId: buyer, orderId: order, boughtVersion: 1 }]);
  assert.equal((await received(await downloads.open(early.token))).toString(), 'a'.repeat(10), 'bound to v1');
  const latest = await downloads.createLink(buyer, order);
  assert.equal(latest.version, 2);
  assert.equal((await received(await downloads.open(latest.token))).toString(), 'second edition');
  const bought = await downloads.createLink(buyer, order, 1);
  assert.equal((await received(await downloads.open(bought.token))).toString(), 'a'.repeat(10));
  await assert.rejects(downloads.createLink(buyer, order, 3), FileVersionUnavailableError);
  await assert.rejects(downloads.open(bought.token), DownloadLinkInvalidError, 'each link still works once');

  // A buyer after version 2 bought version 2: version 1 is not theirs.
  const later = await addUser(db, 31);
  const laterOrder = await addOrder(db, later, product);
  await assert.rejects(downloads.createLink(later, laterOrder, 1), FileVersionUnavailableError);
  assert.equal((await downloads.createLink(later, laterOrder, 2)).fileName, 'v2.pdf');
  const events = await db.many<{ version: number }>(
    'SELECT version FROM download_events WHERE order_id = $1 ORDER BY id',
    [order],
  );
  assert.deepEqual(
    events.map((e) => e.version),
    [1, 2, 1],
  );
});
