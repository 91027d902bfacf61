import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import Fastify from 'fastify';
import { downloadRoutes } from '../../src/http/downloads.ts';
import { miniAppRoutes } from '../../src/http/miniapp.ts';
import { signInitData, verifyInitData } from '../../src/http/telegram-auth.ts';
import { createCatalogService } from '../../src/services/catalog.ts';
import { createDownloadService } from '../../src/services/downloads.ts';
import { createLibraryService } from '../../src/services/library.ts';
import { createProductFileService } from '../../src/services/product-files.ts';
import { png } from '../support/images.ts';
import {
  addOrder,
  addProduct,
  addSeller,
  addUser,
  aftersaleDatabase,
  BOT_TOKEN,
  localStorage,
} from './fixtures.ts';

const db = await aftersaleDatabase();
const storage = await localStorage();
const app = Fastify({ logger: false });
const services = {
  catalog: createCatalogService({ db, storage }),
  files: createProductFileService({ db, storage }),
  library: createLibraryService({ db }),
  downloads: createDownloadService({ db, storage }),
};
await app.register(miniAppRoutes, { services, auth: { botToken: BOT_TOKEN } });
await app.register(downloadRoutes, { downloads: services.downloads, storage });
after(() => app.close());

const seller = await addSeller(db, 10);
const otherSeller = await addSeller(db, 11);
const buyer = await addUser(db, 20);
const otherBuyer = await addUser(db, 21);

function initData(userId: number, options: { ageSec?: number; token?: string } = {}): string {
  const authDate = Math.floor(Date.now() / 1000) - (options.ageSec ?? 0);
  return signInitData(
    { auth_date: String(authDate), query_id: 'AAH', user: JSON.stringify({ id: userId, first_name: 'Ana' }) },
    options.token ?? BOT_TOKEN,
  );
}

const auth = (userId: number) => ({ authorization: `tma ${initData(userId)}` });

/** A product whose file really is in storage. */
async function storedProduct(content: Buffer, fileName = 'rapport final.pdf') {
  const product = await addProduct(db, seller, { fileName, size: content.length });
  await storage.put(product.storageKey, content, { contentType: 'application/pdf' });
  return product;
}

test('initData: forged, expired, other-bot or missing is refused with 401', async () => {
  const order = await addOrder(db, buyer, await addProduct(db, seller));
  const url = `/api/purchases/${order}`;
  const forged = initData(otherBuyer).replace(
    encodeURIComponent(`"id":${otherBuyer}`),
    encodeURIComponent(`"id":${buyer}`),
  );
  assert.notEqual(forged, initData(otherBuyer));
  const cases: Array<[string, string | undefined, string]> = [
    ['missing', undefined, 'auth_required'],
    ['wrong scheme', `Bearer ${initData(buyer)}`, 'auth_required'],
    ['forged user', `tma ${forged}`, 'init_data_invalid'],
    ['other bot', `tma ${initData(buyer, { token: '999:other-bot' })}`, 'init_data_invalid'],
    ['expired', `tma ${initData(buyer, { ageSec: 3601 })}`, 'init_data_expired'],
    [
      'no hash',
      `tma auth_date=1&user=${encodeURIComponent(JSON.stringify({ id: buyer }))}`,
      'init_data_invalid',
    ],
  ];
  for (const [name, header, code] of cases) {
    const res = await app.inject({ method: 'GET', url, headers: header ? { authorization: header } : {} });
    assert.equal(res.statusCode, 401, name);
    assert.equal(res.json().error.code, code, name);
  }
  const ok = await app.inject({ method: 'GET', url, headers: auth(buyer) });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().orderId, order);
});

test('verifyInitData follows Telegram’s algorithm and reads the user only from signed data', () => {
  const data = initData(buyer);
  assert.equal(verifyInitData(data, { botToken: BOT_TOKEN }).user.id, buyer);
  // Data signed an hour ago is refused when the limit is shorter.
  assert.throws(
    () => verifyInitData(initData(buyer, { ageSec: 120 }), { botToken: BOT_TOKEN, maxAgeSec: 60 }),
    {
      code: 'init_data_expired',
    },
  );
  // An extra, unsigned field breaks the signature.
  assert.throws(() => verifyInitData(`${data}&user_id=${otherBuyer}`, { botToken: BOT_TOKEN }), {
    code: 'init_data_invalid',
  });
});

test("another user's purchase is refused even with their own valid initData", async () => {
  const order = await addOrder(db, buyer, await storedProduct(Buffer.from('secret bytes')));
  const purchase = await app.inject({
    method: 'GET',
    url: `/api/purchases/${order}`,
    headers: auth(otherBuyer),
  });
  assert.equal(purchase.statusCode, 404);
  assert.equal(purchase.json().error.code, 'purchase_not_found');
  const download = await app.inject({
    method: 'POST',
    url: '/api/downloads',
    headers: auth(otherBuyer),
    payload: { orderId: order, userId: buyer },
  });
  // A user id in the body is dropped by the schema: only the verified initData user counts.
  assert.equal(download.statusCode, 404);
  const again = await app.inject({
    method: 'POST',
    url: '/api/downloads',
    headers: auth(otherBuyer),
    payload: { orderId: order },
  });
  assert.equal(again.statusCode, 404);
});

test('a download streams the exact bytes once, with the right headers; Range gives a slice', async () => {
  const content = randomBytes(300_000);
  const order = await addOrder(db, buyer, await storedProduct(content, 'rapport final.pdf'));
  const link = await app.inject({
    method: 'POST',
    url: '/api/downloads',
    headers: auth(buyer),
    payload: { orderId: order },
  });
  assert.equal(link.statusCode, 200);
  const { url } = link.json();
  assert.match(url, /^\/download\/[A-Za-z0-9_-]{43}$/);

  const res = await app.inject({ method: 'GET', url });
  assert.equal(res.statusCode, 200);
  assert.ok(res.rawPayload.equals(content));
  assert.equal(res.headers['content-length'], String(content.length));
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.equal(
    res.headers['content-disposition'],
    `attachment; filename="rapport final.pdf"; filename*=UTF-8''rapport%20final.pdf`,
  );
  assert.equal(res.headers['cache-control'], 'no-store');

  const reused = await app.inject({ method: 'GET', url });
  assert.equal(reused.statusCode, 410);
  assert.equal(reused.json().error.code, 'download_link_invalid');

  const second = (
    await app.inject({
      method: 'POST',
      url: '/api/downloads',
      headers: auth(buyer),
      payload: { orderId: order },
    })
  ).json().url;
  const partial = await app.inject({ method: 'GET', url: second, headers: { range: 'bytes=1000-1999' } });
  assert.equal(partial.statusCode, 206);
  assert.equal(partial.headers['content-range'], `bytes 1000-1999/${content.length}`);
  assert.equal(partial.headers['content-length'], '1000');
  assert.ok(partial.rawPayload.equals(content.subarray(1000, 2000)));
});

test('20 concurrent requests for one link: one download', async () => {
  const order = await addOrder(db, buyer, await storedProduct(Buffer.from('x'.repeat(5000))));
  const { url } = (
    await app.inject({
      method: 'POST',
      url: '/api/downloads',
      headers: auth(buyer),
      payload: { orderId: order },
    })
  ).json();
  const statuses = await Promise.all(
    Array.from({ length: 20 }, async () => (await app.inject({ url })).statusCode),
  );
  assert.equal(statuses.filter((s) => s === 200).length, 1);
  assert.equal(statuses.filter((s) => s === 410).length, 19);
});

test('the 11th link in an hour gets 429 with Retry-After', async () => {
  const user = await addUser(db, 30);
  const order = await addOrder(db, user, await storedProduct(Buffer.from('abc')));
  for (let i = 0; i < 10; i++) {
    const ok = await app.inject({
      method: 'POST',
      url: '/api/downloads',
      headers: auth(user),
      payload: { orderId: order },
    });
    assert.equal(ok.statusCode, 200);
  }
  const refused = await app.inject({
    method: 'POST',
    url: '/api/downloads',
    headers: auth(user),
    payload: { orderId: order },
  });
  assert.equal(refused.statusCode, 429);
  assert.equal(refused.json().error.code, 'download_rate_limited');
  assert.ok(Number(refused.headers['retry-after']) > 0);
});

test('uploads: only to the seller’s own product, stored through the signed URL, then attached', async () => {
  const product = await addProduct(db, seller);
  const foreign = await app.inject({
    method: 'POST',
    url: '/api/uploads',
    headers: auth(otherSeller),
    payload: {
      productId: product.id,
      kind: 'file',
      fileName: 'evil.pdf',
      contentType: 'application/pdf',
      size: 10,
    },
  });
  assert.equal(foreign.statusCode, 403);
  assert.equal(foreign.json().error.code, 'not_owner');
  const notSeller = await app.inject({
    method: 'POST',
    url: '/api/uploads',
    headers: auth(buyer),
    payload: {
      productId: product.id,
      kind: 'file',
      fileName: 'evil.pdf',
      contentType: 'application/pdf',
      size: 10,
    },
  });
  assert.equal(notSeller.statusCode, 403);

  const bytes = randomBytes(4096);
  const created = await app.inject({
    method: 'POST',
    url: '/api/uploads',
    headers: auth(seller),
    payload: {
      productId: product.id,
      kind: 'file',
      fileName: 'v2 final.zip',
      contentType: 'application/zip',
      size: bytes.length,
    },
  });
  assert.equal(created.statusCode, 200);
  const target = created.json();
  assert.ok(target.key.startsWith(`products/${seller}/${product.id}/file/`));

  // Completing before the bytes arrived, or with someone else's key, is refused.
  const early = await app.inject({
    method: 'POST',
    url: '/api/uploads/complete',
    headers: auth(seller),
    payload: { productId: product.id, kind: 'file', key: target.key, fileName: 'v2 final.zip' },
  });
  assert.equal(early.statusCode, 409);
  const stolen = await app.inject({
    method: 'POST',
    url: '/api/uploads/complete',
    headers: auth(otherSeller),
    payload: { productId: product.id, kind: 'file', key: target.key, fileName: 'v2 final.zip' },
  });
  assert.equal(stolen.statusCode, 403);

  const wrongType = await app.inject({
    method: 'PUT',
    url: new URL(target.url).pathname,
    headers: { 'content-type': 'text/plain' },
    payload: bytes,
  });
  assert.equal(wrongType.statusCode, 415, wrongType.body);
  const put = await app.inject({
    method: 'PUT',
    url: new URL(target.url).pathname,
    headers: target.headers,
    payload: bytes,
  });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal(put.json().size, bytes.length);
  const forged = await app.inject({
    method: 'PUT',
    url: `${new URL(target.url).pathname}x`,
    headers: target.headers,
    payload: bytes,
  });
  assert.equal(forged.statusCode, 403);

  const done = await app.inject({
    method: 'POST',
    url: '/api/uploads/complete',
    headers: auth(seller),
    payload: { productId: product.id, kind: 'file', key: target.key, fileName: 'v2 final.zip' },
  });
  assert.equal(done.statusCode, 200, done.body);
  assert.equal(done.json().sizeBytes, bytes.length);
  const row = await db.one<{ key: string }>(
    'SELECT f.storage_key AS key FROM products p JOIN stored_files f ON f.id = p.main_file_id WHERE p.id = $1',
    [product.id],
  );
  assert.equal(row.key, target.key);

  // The link delivered its file: replaying it after the sale changes nothing buyers download.
  const replay = await app.inject({
    method: 'PUT',
    url: new URL(target.url).pathname,
    headers: target.headers,
    payload: Buffer.alloc(bytes.length, 0x41),
  });
  assert.equal(replay.statusCode, 409, replay.body);
  assert.equal(replay.json().error.code, 'storage_upload_token_used');
  const stored: Buffer[] = [];
  for await (const chunk of await storage.read(target.key)) stored.push(chunk as Buffer);
  assert.ok(Buffer.concat(stored).equals(bytes));
});

test('a cover from the Mini App is checked by its bytes: a 30000×100 PNG is refused and not kept', async () => {
  const product = await addProduct(db, seller);
  const upload = async (image: Buffer) => {
    const payload = { productId: product.id, kind: 'cover', fileName: 'cover.png' };
    const created = await app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: auth(seller),
      payload: { ...payload, contentType: 'image/png', size: image.length },
    });
    assert.equal(created.statusCode, 200, created.body);
    const target = created.json();
    const put = await app.inject({
      method: 'PUT',
      url: new URL(target.url).pathname,
      headers: target.headers,
      payload: image,
    });
    assert.equal(put.statusCode, 200, put.body);
    const done = await app.inject({
      method: 'POST',
      url: '/api/uploads/complete',
      headers: auth(seller),
      payload: { ...payload, key: target.key },
    });
    return { done, key: target.key as string };
  };
  const coverOf = async () =>
    (
      await db.one<{ id: number | null }>('SELECT cover_file_id AS id FROM products WHERE id = $1', [
        product.id,
      ])
    ).id;

  const strip = await upload(png(30_000, 100));
  assert.equal(strip.done.statusCode, 400, strip.done.body);
  assert.equal(strip.done.json().error.code, 'image_dimensions_too_large');
  assert.equal(await coverOf(), null);
  assert.equal(await storage.exists(strip.key), false, 'the refused bytes are removed');

  const fine = await upload(png(1200, 800));
  assert.equal(fine.done.statusCode, 200, fine.done.body);
  assert.ok(await coverOf());
});

test('categories are public', async () => {
  const res = await app.inject({ method: 'GET', url: '/api/categories' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().categories.length, 7);
  assert.ok(res.json().categories.every((c: { nameFr: string; nameEn: string }) => c.nameFr && c.nameEn));
});

test('a backend that signs URLs gets a 302 to a short-lived URL instead of a stream, never typed as a page', async () => {
  const signing = new Proxy(storage, {
    get(target, property) {
      if (property === 'downloadUrl') {
        return async (
          key: string,
          options: { expiresInSec: number; fileName: string; contentType: string },
        ) =>
          `https://bucket.example/${key}?expires=${options.expiresInSec}&name=${encodeURIComponent(options.fileName)}&type=${encodeURIComponent(options.contentType)}`;
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const redirecting = Fastify({ logger: false });
  await redirecting.register(downloadRoutes, {
    downloads: createDownloadService({ db, storage: signing, signedUrlTtlSec: 30 }),
    storage: signing,
  });
  after(() => redirecting.close());
  const product = await storedProduct(Buffer.from('bytes'), 'guide.pdf');
  const order = await addOrder(db, buyer, product);
  const { url } = (
    await app.inject({
      method: 'POST',
      url: '/api/downloads',
      headers: auth(buyer),
      payload: { orderId: order },
    })
  ).json();
  const res = await redirecting.inject({ method: 'GET', url });
  assert.equal(res.statusCode, 302);
  assert.equal(
    res.headers.location,
    `https://bucket.example/${product.storageKey}?expires=30&name=guide.pdf&type=application%2Fpdf`,
  );
  assert.equal((await redirecting.inject({ method: 'GET', url })).statusCode, 410);

  const page = await addProduct(db, seller, { fileName: 'page.html', contentType: 'text/html' });
  const pageOrder = await addOrder(db, buyer, page);
  const link = (
    await app.inject({
      method: 'POST',
      url: '/api/downloads',
      headers: auth(buyer),
      payload: { orderId: pageOrder },
    })
  ).json();
  const redirect = await redirecting.inject({ method: 'GET', url: link.url });
  assert.equal(redirect.statusCode, 302);
  assert.match(String(redirect.headers.location), /&type=application%2Foctet-stream$/);
});

test('HEAD does not consume a download link', async () => {
  const order = await addOrder(db, buyer, await storedProduct(Buffer.from('head')));
  const { url } = (
    await app.inject({
      method: 'POST',
      url: '/api/downloads',
      headers: auth(buyer),
      payload: { orderId: order },
    })
  ).json();
  assert.equal((await app.inject({ method: 'HEAD', url })).statusCode, 404);
  assert.equal((await app.inject({ method: 'GET', url })).body, 'head');
});
