// The resumable upload API (src/http/uploads.ts over createUploadService) against a real
// PostgreSQL, on the local folder and on the S3 double: ownership, resume, single-use
// completion, the checksum check, cancel and the sweep of abandoned uploads.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { newProductId } from '../../src/domain/index.ts';
import { signInitData } from '../../src/http/telegram-auth.ts';
import { CHUNK_CONTENT_TYPE, uploadRoutes } from '../../src/http/uploads.ts';
import type { UploadService } from '../../src/services/uploads.ts';
import { LocalFileStorage, S3FileStorage } from '../../src/storage/index.ts';
import { addProduct, addSeller, addUser, aftersaleDatabase, BOT_TOKEN } from '../aftersale/fixtures.ts';
import { startS3Double } from '../storage/s3-double.ts';
import { testServices } from '../support/services.ts';

const MiB = 1024 * 1024;
const db = await aftersaleDatabase();
const dir = await mkdtemp(join(tmpdir(), 'agora-uploads-api-'));
const local = new LocalFileStorage({
  dir,
  publicUrl: 'http://localhost:3000',
  signingSecret: 'k'.repeat(32),
});
const credentials = {
  bucket: 'agora',
  region: 'auto',
  accessKeyId: 'AKIDAPI',
  secretAccessKey: 'api-secret',
};
const double = await startS3Double(credentials);
const s3 = new S3FileStorage({
  ...credentials,
  endpoint: double.endpoint,
  forcePathStyle: true,
  partSizeBytes: 5 * MiB,
});

async function server(service: UploadService): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(uploadRoutes, { uploads: service, auth: { botToken: BOT_TOKEN } });
  return app;
}
const localService = (await testServices(db, { storage: local })).uploads;
const s3Service = (await testServices(db, { storage: s3 })).uploads;
const localApp = await server(localService);
const s3App = await server(s3Service);
after(async () => {
  await localApp.close();
  await s3App.close();
  await s3.close();
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

const seller = await addSeller(db, 30);
const otherSeller = await addSeller(db, 31);
const buyer = await addUser(db, 40);

function auth(userId: number, ageSec = 0) {
  const authDate = Math.floor(Date.now() / 1000) - ageSec;
  const user = JSON.stringify({ id: userId, first_name: 'Léa', language_code: 'fr' });
  return { authorization: `tma ${signInitData({ auth_date: String(authDate), user }, BOT_TOKEN)}` };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
function patterned(total: number): Buffer {
  const data = Buffer.alloc(total);
  for (let i = 0; i < total; i++) data[i] = (i * 7 + (i >> 8)) & 0xff;
  return data;
}

/** A draft product without a file yet, as the bot's wizard leaves it. */
async function draftProduct(sellerId: number): Promise<string> {
  const id = newProductId();
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, price_cents)
     VALUES ($1, $2, (SELECT id FROM categories ORDER BY position LIMIT 1), 'Cours vidéo complet', 1999)`,
    [id, sellerId],
  );
  return id;
}

async function productFile(productId: string) {
  return db.maybeOne<{ sha256: string | null; size: number; name: string; key: string }>(
    `SELECT f.sha256, f.size_bytes::float8 AS size, f.original_name AS name, f.storage_key AS key
     FROM products p JOIN stored_files f ON f.id = p.main_file_id WHERE p.id = $1`,
    [productId],
  );
}

async function start(app: FastifyInstance, productId: string, size: number, userId = seller) {
  return app.inject({
    method: 'POST',
    url: '/api/resumable-uploads',
    headers: auth(userId),
    payload: { productId, fileName: 'Cours complet.mp4', contentType: 'video/mp4', size },
  });
}

function patch(uploadId: string, offset: number, body: Buffer, userId = seller) {
  return localApp.inject({
    method: 'PATCH',
    url: `/api/resumable-uploads/${uploadId}`,
    headers: { ...auth(userId), 'content-type': CHUNK_CONTENT_TYPE, 'upload-offset': String(offset) },
    payload: body,
  });
}

function complete(app: FastifyInstance, uploadId: string, digest: string) {
  return app.inject({
    method: 'POST',
    url: `/api/resumable-uploads/${uploadId}/complete`,
    headers: auth(seller),
    payload: { sha256: digest },
  });
}

test('only the seller who owns the product may start; unknown products and buyers are refused', async () => {
  const mine = await draftProduct(seller);
  const theirs = await draftProduct(otherSeller);
  assert.equal((await start(localApp, theirs, 10)).json().error.code, 'not_owner');
  assert.equal((await start(localApp, theirs, 10)).statusCode, 403);
  assert.equal((await start(localApp, 'P-22222222', 10)).statusCode, 404);
  assert.equal((await start(localApp, mine, 10, buyer)).json().error.code, 'not_seller');
  const noAuth = await localApp.inject({ method: 'POST', url: '/api/resumable-uploads', payload: {} });
  assert.equal(noAuth.statusCode, 401);
  const stale = await localApp.inject({
    method: 'POST',
    url: '/api/resumable-uploads',
    headers: auth(seller, 3601),
    payload: { productId: mine, fileName: 'a.mp4', contentType: 'video/mp4', size: 10 },
  });
  assert.equal(stale.json().error.code, 'init_data_expired');

  const started = (await start(localApp, mine, 10)).json();
  const status = (userId: number) =>
    localApp.inject({
      method: 'GET',
      url: `/api/resumable-uploads/${started.uploadId}`,
      headers: auth(userId),
    });
  assert.equal((await status(otherSeller)).statusCode, 404, "another seller's upload is unknown");
  assert.equal((await patch(started.uploadId, 0, Buffer.alloc(5), otherSeller)).statusCode, 404);
});

test('local: chunks resume at the offset; a wrong checksum is refused and loses nothing of the product', async () => {
  const productId = await draftProduct(seller);
  const data = patterned(3 * MiB + 11);
  const started = await start(localApp, productId, data.length);
  assert.equal(started.statusCode, 200, started.body);
  const upload = started.json();
  assert.equal(upload.transport, 'local');
  assert.equal(upload.receivedBytes, 0);

  assert.equal((await patch(upload.uploadId, 0, data.subarray(0, MiB))).json().receivedBytes, MiB);
  const wrongOffset = await patch(upload.uploadId, 0, data.subarray(0, MiB));
  assert.equal(wrongOffset.statusCode, 409);
  assert.equal(wrongOffset.json().error.code, 'storage_upload_offset_mismatch');
  const status = await localApp.inject({
    method: 'GET',
    url: `/api/resumable-uploads/${upload.uploadId}`,
    headers: auth(seller),
  });
  assert.equal(status.json().receivedBytes, MiB);
  const early = await complete(localApp, upload.uploadId, sha256(data));
  assert.equal(early.json().error.code, 'storage_upload_incomplete');
  assert.equal((await patch(upload.uploadId, MiB, data.subarray(MiB))).json().receivedBytes, data.length);

  const wrong = await complete(localApp, upload.uploadId, sha256(Buffer.from('something else')));
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json().error.code, 'checksum_mismatch');
  assert.equal(await productFile(productId), null, 'the product did not get the damaged file');
  const folders = await readdir(join(dir, 'objects', 'products', String(seller))).catch(() => [] as string[]);
  assert.equal(folders.includes(productId), false, 'the refused bytes are gone');
  assert.equal((await patch(upload.uploadId, 0, Buffer.alloc(1))).json().error.code, 'upload_aborted');
});

test('local: completion attaches the file with its size and SHA-256, once', async () => {
  const productId = await draftProduct(seller);
  const data = patterned(2 * MiB + 3);
  const upload = (await start(localApp, productId, data.length)).json();
  await patch(upload.uploadId, 0, data);
  const done = await complete(localApp, upload.uploadId, sha256(data));
  assert.equal(done.statusCode, 200, done.body);
  const { fileId, ...result } = done.json() as { fileId: number };
  assert.ok(Number.isInteger(fileId));
  assert.deepEqual(result, {
    uploadId: upload.uploadId,
    productId,
    productTitle: 'Cours vidéo complet',
    fileName: 'Cours complet.mp4',
    kind: 'file',
    size: data.length,
    sha256: sha256(data),
    outcome: 'first',
  });
  const file = await productFile(productId);
  assert.equal(file?.sha256, sha256(data));
  assert.equal(file?.size, data.length);
  assert.equal(file?.name, 'Cours complet.mp4');
  const stored: Buffer[] = [];
  for await (const chunk of await local.read(file?.key ?? '')) stored.push(chunk as Buffer);
  assert.ok(Buffer.concat(stored).equals(data));

  assert.equal(
    (await complete(localApp, upload.uploadId, sha256(data))).json().error.code,
    'upload_completed',
  );
  assert.equal(
    (await patch(upload.uploadId, data.length, Buffer.alloc(1))).json().error.code,
    'upload_completed',
  );
});

test('S3: parts PUT to presigned URLs, then completion attaches the read-back file; URLs die with it', async () => {
  const productId = (await addProduct(db, seller, { fileName: 'old.zip' })).id;
  const data = patterned(11 * MiB);
  const upload = (await start(s3App, productId, data.length)).json();
  assert.equal(upload.transport, 's3');
  assert.equal(upload.partCount, 3);
  const signed = await s3App.inject({
    method: 'POST',
    url: `/api/resumable-uploads/${upload.uploadId}/parts`,
    headers: auth(seller),
    payload: { partNumbers: [1, 2, 3] },
  });
  const parts = signed.json().parts as { partNumber: number; size: number; url: string }[];
  assert.deepEqual(
    parts.map((p) => p.size),
    [5 * MiB, 5 * MiB, MiB],
  );
  for (const part of parts.slice(0, 2)) {
    const body = data.subarray((part.partNumber - 1) * upload.partSize, part.partNumber * upload.partSize);
    assert.equal((await fetch(part.url, { method: 'PUT', body })).status, 200);
  }
  const resumed = await s3App.inject({
    method: 'GET',
    url: `/api/resumable-uploads/${upload.uploadId}`,
    headers: auth(seller, 7200), // an upload goes on past the hour initData is usually good for
  });
  assert.deepEqual(
    resumed.json().parts.map((p: { partNumber: number }) => p.partNumber),
    [1, 2],
  );
  const last = parts[2] as { url: string };
  assert.equal((await fetch(last.url, { method: 'PUT', body: data.subarray(10 * MiB) })).status, 200);

  const done = await complete(s3App, upload.uploadId, sha256(data));
  assert.equal(done.statusCode, 200, done.body);
  const file = await productFile(productId);
  assert.equal(file?.sha256, sha256(data));
  assert.equal(file?.size, data.length);
  assert.ok(double.objects.get(file?.key ?? '')?.body.equals(data));
  assert.notEqual((await fetch(last.url, { method: 'PUT', body: data.subarray(10 * MiB) })).status, 200);
  const again = await s3App.inject({
    method: 'POST',
    url: `/api/resumable-uploads/${upload.uploadId}/parts`,
    headers: auth(seller),
    payload: { partNumbers: [1] },
  });
  assert.equal(again.json().error.code, 'upload_completed');
});

test('cancel drops the bytes; the sweep aborts idle uploads in the table and orphans in storage', async () => {
  const productId = await draftProduct(seller);
  const cancelled = (await start(s3App, productId, 6 * MiB)).json();
  const cancel = await s3App.inject({
    method: 'DELETE',
    url: `/api/resumable-uploads/${cancelled.uploadId}`,
    headers: auth(seller),
  });
  assert.equal(cancel.statusCode, 204);
  assert.equal(double.openUploads.size, 0);

  const idle = (await start(s3App, productId, 6 * MiB)).json();
  const active = (await start(s3App, productId, 6 * MiB)).json();
  await db.exec(`UPDATE file_uploads SET updated_at = now() - interval '2 days' WHERE id = $1`, [
    idle.uploadId,
  ]);
  const orphan = await s3.startResumableUpload(
    `products/${seller}/${productId}/file/${'0'.repeat(20)}-x.bin`,
    {
      contentType: 'application/zip',
      size: 10,
    },
  );
  const swept = await s3Service.sweepAbandoned(new Date(Date.now() - 24 * 3600_000));
  assert.deepEqual(swept, { uploads: 1, orphans: 0 }, 'the orphan is recent: it stays for now');
  const later = await s3Service.sweepAbandoned(new Date(Date.now() + 1000));
  assert.equal(
    later.orphans,
    1,
    'the row-less orphan goes once old; open rows are spared by the storage sweep',
  );
  assert.equal(double.openUploads.has(orphan.uploadId), false);
  const rows = await db.many<{ id: string; status: string }>(
    'SELECT id, status FROM file_uploads WHERE id = ANY($1) ORDER BY id',
    [[idle.uploadId, active.uploadId, cancelled.uploadId]],
  );
  const statusOf = new Map(rows.map((r) => [r.id, r.status]));
  assert.equal(statusOf.get(idle.uploadId), 'aborted');
  assert.equal(statusOf.get(cancelled.uploadId), 'aborted');
  assert.equal(statusOf.get(active.uploadId), 'aborted', 'a second later, the active one is idle too');
});
