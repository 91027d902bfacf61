// In a real browser, on each storage backend: a seller uploads a 200 MB file through the upload
// page, the connection drops half-way and the upload resumes where it stopped; the product gets
// the file with its SHA-256; then a buyer downloads it from the library page, byte for byte.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { newProductId } from '../../src/domain/index.ts';
import { LocalFileStorage, S3FileStorage } from '../../src/storage/index.ts';
import { addOrder, addSeller, addUser, aftersaleDatabase } from '../aftersale/fixtures.ts';
import { startS3Double } from '../storage/s3-double.ts';
import {
  launchBrowser,
  launchUrl,
  phonePage,
  progressOf,
  progressReaches,
  type RunningApp,
  screenshotDir,
  startApp,
  throttleUpload,
} from './support.ts';

const MiB = 1024 * 1024;
const SIZE = 200 * MiB;
const PART = 8 * MiB; // both backends' part size for this file

const db = await aftersaleDatabase(8);
const browser = await launchBrowser();
const shots = await screenshotDir();
const work = await mkdtemp(join(tmpdir(), 'agora-browser-journey-'));
after(() => rm(work, { recursive: true, force: true }));

const seller = await addSeller(db, 5001);
const buyer = await addUser(db, 6001, 'Hugo');

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** 200 MB of random bytes, so a part sent twice, misplaced or skipped changes the hash. */
async function bigFile(): Promise<{ path: string; sha256: string }> {
  const path = join(work, 'Formation vidéo complète.mp4');
  const out = createWriteStream(path);
  for (let i = 0; i < SIZE / MiB; i++) {
    if (!out.write(randomBytes(MiB)))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return { path, sha256: await sha256Of(createReadStream(path)) };
}
const file = await bigFile();

async function draftProduct(title: string): Promise<string> {
  const id = newProductId();
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, price_cents)
     VALUES ($1, $2, (SELECT id FROM categories ORDER BY position LIMIT 1), $3, 4900)`,
    [id, seller, title],
  );
  return id;
}

async function productFile(productId: string) {
  return db.one<{ sha256: string | null; size: number; key: string; name: string }>(
    `SELECT f.sha256, f.size_bytes::float8 AS size, f.storage_key AS key, f.original_name AS name
     FROM products p JOIN stored_files f ON f.id = p.main_file_id WHERE p.id = $1`,
    [productId],
  );
}

/**
 * The seller's side: pick the file, watch it go, lose the connection half-way (the server drops
 * the socket, or the phone goes offline), see it resume and finish.
 */
async function uploadThroughPage(
  app: RunningApp,
  productId: string,
  cut: 'server' | 'offline',
  takeShots: boolean,
) {
  const page = await phonePage(browser);
  const setOffline = await throttleUpload(page, 40 * MiB); // a fast line, slow enough to watch
  await page.goto(launchUrl(app.base, `/app/upload?product=${productId}`, { userId: seller }));
  await page.locator('[data-step="pick"]').waitFor();
  assert.match((await page.textContent('[data-product]')) ?? '', /Formation vidéo/);

  await page.setInputFiles('[data-input]', file.path);
  await page.locator('[data-name]').filter({ hasText: 'Formation vidéo complète.mp4' }).waitFor();
  await progressReaches(page, 20);
  if (takeShots) {
    await page
      .locator('[data-eta]')
      .filter({ hasText: /restantes/ })
      .waitFor();
    await page.screenshot({ path: join(shots, 'miniapp-upload-progress.png') });
  }
  if (cut === 'offline') {
    await progressReaches(page, 50);
    await setOffline(true);
  }
  await page.locator('[data-status]').filter({ hasText: 'Connexion perdue' }).waitFor({ timeout: 60_000 });
  const atCut = await progressOf(page);
  assert.ok(atCut >= 40 && atCut < 100, `the cut came half-way (${atCut} %)`);
  if (cut === 'offline') {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await progressOf(page), atCut, 'nothing moves while offline');
    await setOffline(false);
  }
  await page.locator('[data-step="done"]').waitFor({ timeout: 90_000 });
  assert.equal(await progressOf(page), 100);
  assert.match((await page.textContent('[data-step="done"]')) ?? '', /Revenez au chat/);
  if (takeShots) await page.screenshot({ path: join(shots, 'miniapp-upload-done.png') });
  await page.context().close();
}

/** The buyer's side: the library lists the purchase; its button downloads the file. */
async function downloadFromLibrary(app: RunningApp, title: string): Promise<string> {
  const page = await phonePage(browser);
  // A client before Bot API 8.0 has no native download: the page uses a plain link.
  await page.goto(launchUrl(app.base, '/app/library', { userId: buyer, version: '7.10', language: 'en' }));
  const item = page.locator('.item').filter({ hasText: title });
  await item.waitFor();
  assert.match((await item.textContent()) ?? '', /200 MB/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    item.locator('[data-download]').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'Formation vidéo complète.mp4');
  const path = await download.path();
  const digest = await sha256Of(createReadStream(path));
  await page.context().close();
  return digest;
}

test('local folder: 200 MB through the page, cut half-way and resumed; the buyer downloads the same bytes', async () => {
  const dir = await mkdtemp(join(work, 'files-'));
  const storage = new LocalFileStorage({ dir, publicUrl: 'http://127.0.0.1', signingSecret: 's'.repeat(32) });
  const app = await startApp({ db, storage });
  const title = 'Formation vidéo complète (local)';
  const productId = await draftProduct(title);
  app.cutChunkFrom(SIZE / 2);

  await uploadThroughPage(app, productId, 'server', true);
  const stored = await productFile(productId);
  assert.equal(stored.sha256, file.sha256);
  assert.equal(stored.size, SIZE);
  assert.equal(stored.name, 'Formation vidéo complète.mp4');
  assert.equal(await sha256Of(await storage.read(stored.key)), file.sha256);
  // The cut chunk's first half was kept: the page went on from the middle of that chunk. (Chromium
  // itself sends a request again once when its connection resets: the server refuses that copy.)
  assert.ok(
    app.chunkOffsets.some((offset) => offset % PART !== 0),
    `${app.chunkOffsets}`,
  );
  assert.ok(app.chunkBytes() < SIZE + 2 * PART, `resumed, not restarted: ${app.chunkBytes()} bytes sent`);

  await addOrder(db, buyer, { id: productId, sellerId: seller, storageKey: stored.key, title });
  assert.equal(await downloadFromLibrary(app, title), file.sha256);
});

test('S3 double: 200 MB in presigned parts straight to the bucket, offline half-way; the buyer downloads it', async () => {
  const origins: string[] = [];
  const credentials = {
    bucket: 'agora',
    region: 'auto',
    accessKeyId: 'AKIDBROWSER',
    secretAccessKey: 'browser',
  };
  const double = await startS3Double({ ...credentials, corsOrigins: origins });
  after(() => double.close());
  const storage = new S3FileStorage({ ...credentials, endpoint: double.endpoint, forcePathStyle: true });
  after(() => storage.close());
  const app = await startApp({ db, storage, uploadOrigins: [double.endpoint] });
  origins.push(app.base);
  const title = 'Formation vidéo complète (S3)';
  const productId = await draftProduct(title);
  double.cutParts.set(SIZE / PART / 2 + 1, 1); // the bucket drops one part's socket too

  await uploadThroughPage(app, productId, 'offline', false);
  const stored = await productFile(productId);
  assert.equal(stored.sha256, file.sha256);
  assert.equal(stored.size, SIZE);
  assert.equal(
    createHash('sha256')
      .update(double.objects.get(stored.key)?.body ?? '')
      .digest('hex'),
    file.sha256,
  );
  assert.equal(double.openUploads.size, 0);
  // Only the cut part and those in flight beside it went again: the page asked the bucket (ListParts).
  assert.ok(double.partBytesReceived <= SIZE + 3 * PART, `resumed: ${double.partBytesReceived} bytes sent`);
  assert.ok(
    double.requests.some((r) => r.method === 'GET' && r.query.has('uploadId')),
    'ListParts on resume',
  );

  await addOrder(db, buyer, { id: productId, sellerId: seller, storageKey: stored.key, title });
  assert.equal(await downloadFromLibrary(app, title), file.sha256);
});
