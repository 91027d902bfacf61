// The Mini App pages in a real browser, at phone size: who may upload where, what stale,
// forged or missing launch data shows, the bot-off notice, and the library's list (covers,
// titles, sizes, language) with Telegram's native download on recent clients.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { newProductId } from '../../src/domain/index.ts';
import { buildProductKey, LocalFileStorage } from '../../src/storage/index.ts';
import { addOrder, addSeller, addUser, aftersaleDatabase } from '../aftersale/fixtures.ts';
import { launchBrowser, launchUrl, phonePage, screenshotDir, startApp } from './support.ts';

const db = await aftersaleDatabase();
const browser = await launchBrowser();
const shots = await screenshotDir();
const dir = await mkdtemp(join(tmpdir(), 'agora-browser-pages-'));
after(() => rm(dir, { recursive: true, force: true }));
const storage = new LocalFileStorage({ dir, publicUrl: 'http://127.0.0.1', signingSecret: 'p'.repeat(32) });
const app = await startApp({ db, storage });

const seller = await addSeller(db, 7001);
const otherSeller = await addSeller(db, 7002);
const buyer = await addUser(db, 8001, 'Hugo');

// A seller's cover: a 96×96 PNG, a diagonal gradient from `rgb` to a darker shade.
function png(rgb: [number, number, number]): Buffer {
  const side = 96;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < side; y++) {
    rows.push(0); // no filter
    for (let x = 0; x < side; x++) {
      const shade = 1 - (0.45 * (x + y)) / (2 * side);
      rows.push(...rgb.map((c) => Math.round(c * shade)));
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An active product with its file (and cover) really in storage. */
async function product(
  sellerId: number,
  title: string,
  file: { name: string; size: number },
  cover?: [number, number, number],
): Promise<{ id: string; sellerId: number; storageKey: string; title: string }> {
  const id = newProductId();
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, price_cents)
     VALUES ($1, $2, (SELECT id FROM categories ORDER BY position LIMIT 1), $3, 2900)`,
    [id, sellerId, title],
  );
  const attach = async (kind: 'file' | 'cover', name: string, body: Buffer, type: string) => {
    const key = buildProductKey({ sellerId, productId: id, kind, fileName: name });
    await storage.put(key, body, { contentType: type });
    const row = await db.one<{ id: number }>(
      `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::float8 AS id`,
      [sellerId, kind, key, name, body.length, type],
    );
    await db.exec(
      `UPDATE products SET ${kind === 'file' ? 'main_file_id' : 'cover_file_id'} = $2 WHERE id = $1`,
      [id, row.id],
    );
    return key;
  };
  const storageKey = await attach('file', file.name, Buffer.alloc(file.size, 7), 'application/pdf');
  if (cover) await attach('cover', 'cover.png', png(cover), 'image/png');
  await db.exec(`UPDATE products SET status = 'active' WHERE id = $1`, [id]);
  return { id, sellerId, storageKey, title };
}

async function open(path: string, options: Parameters<typeof launchUrl>[2] | null): Promise<Page> {
  const page = await phonePage(browser);
  await page.goto(options ? launchUrl(app.base, path, options) : `${app.base}${path}`);
  return page;
}

async function problem(page: Page): Promise<string> {
  const panel = page.locator('[data-view="problem"]');
  await panel.waitFor();
  assert.equal(await page.locator('[data-view="main"]').isVisible(), false);
  return (await panel.textContent()) ?? '';
}

test("another seller's product is refused before anything is sent", async () => {
  const theirs = await product(otherSeller, 'Pack de presets Lightroom', { name: 'presets.zip', size: 10 });
  const page = await open(`/app/upload?product=${theirs.id}`, { userId: seller });
  assert.match(await problem(page), /Ce produit n’est pas le vôtre/);
  assert.equal(await page.locator('[data-input]').count(), 1);
  await page.context().close();
});

test('stale, forged or missing launch data shows a clear message, in the user’s language', async () => {
  const mine = await product(seller, 'Modèles Notion pour freelances', { name: 'notion.zip', size: 10 });
  const stale = await open(`/app/upload?product=${mine.id}`, { userId: seller, ageSec: 7200 });
  assert.match(await problem(stale), /Cette page a expiré/);
  await stale.screenshot({ path: join(shots, 'miniapp-error.png') });
  await stale.context().close();

  const forged = await open('/app/library', { userId: otherSeller, forgeUserId: buyer, language: 'en' });
  assert.match(await problem(forged), /Identity not confirmed/);
  await forged.context().close();

  // No launch data, so no Telegram language: the browser's (English here) is used.
  const outside = await open(`/app/upload?product=${mine.id}`, null);
  assert.match(await problem(outside), /Open this page in Telegram/);
  await outside.context().close();

  const english = await open(`/app/upload?product=${mine.id}`, { userId: seller, language: 'en-GB' });
  await english.locator('[data-step="pick"]').waitFor();
  assert.match((await english.textContent('main')) ?? '', /Choose or drop a file.*Up to 10 GB/s);
  await english.context().close();
});

test('without a bot token the pages are served and say so', async () => {
  const off = await startApp({ db, storage, botToken: null });
  for (const path of ['/app/upload?product=P-22222222', '/app/library']) {
    const page = await phonePage(browser);
    const response = await page.goto(launchUrl(off.base, path, { userId: seller }));
    assert.equal(response?.status(), 200);
    assert.match(await problem(page), /Le bot est arrêté/);
    await page.context().close();
  }
});

test('the library lists purchases with cover, title and size; Telegram 8 downloads natively', async () => {
  const guide = await product(
    seller,
    'Guide complet du trading crypto',
    { name: 'guide.pdf', size: 2_400_000 },
    [247, 147, 26],
  );
  const course = await product(
    seller,
    'Cours de photographie de rue',
    { name: 'cours.zip', size: 734_003_200 },
    [52, 120, 246],
  );
  const sheets = await product(otherSeller, 'Tableurs budget familial 2025', {
    name: 'budget.xlsx',
    size: 48_000,
  });
  for (const bought of [sheets, course, guide]) await addOrder(db, buyer, bought);

  const page = await phonePage(browser);
  // Stands in for the Telegram client: records what the page asks it to do.
  await page.addInitScript(() => {
    const events: [string, string][] = [];
    Object.assign(globalThis, {
      TelegramWebviewProxy: { postEvent: (type: string, data: string) => events.push([type, data]) },
      telegramEvents: events,
    });
  });
  await page.goto(launchUrl(app.base, '/app/library', { userId: buyer, theme: 'dark' }));
  const items = page.locator('.item');
  await items.first().waitFor();
  assert.equal(await items.count(), 3);
  const texts = await items.allTextContents();
  assert.match(texts[0] ?? '', /Guide complet du trading crypto.*guide\.pdf · 2,3 Mo/s);
  assert.match(texts[1] ?? '', /Cours de photographie de rue.*cours\.zip · 700 Mo/s);
  assert.match(texts[2] ?? '', /Tableurs budget familial 2025.*Shop 7002/s);
  const covers = page.locator('img.cover');
  assert.equal(await covers.count(), 2, 'covers where the product has one');
  for (const cover of await covers.all()) {
    await cover.evaluate((image: { decode: () => Promise<void> }) => image.decode());
  }
  await page.screenshot({ path: join(shots, 'miniapp-library.png') });

  await items.first().locator('[data-download]').click();
  await items.first().locator('[data-download]', { hasText: 'Téléchargement lancé' }).waitFor();
  const events = await page.evaluate(
    () => (globalThis as unknown as { telegramEvents: [string, string][] }).telegramEvents,
  );
  const download = events.find(([type]) => type === 'web_app_request_file_download');
  assert.ok(download, `asked Telegram to download: ${JSON.stringify(events)}`);
  const { url, file_name } = JSON.parse(download[1]) as { url: string; file_name: string };
  assert.equal(file_name, 'guide.pdf');
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal((await response.arrayBuffer()).byteLength, 2_400_000);
  assert.equal((await fetch(url)).status, 410, 'the link worked once');
  await page.context().close();
});

test('a buyer without purchases sees an empty library', async () => {
  const newcomer = await addUser(db, 8002);
  const page = await open('/app/library', { userId: newcomer, language: 'en' });
  await page.locator('[data-empty]').waitFor();
  assert.match((await page.textContent('[data-empty]')) ?? '', /No purchases yet/);
  await page.context().close();
});
