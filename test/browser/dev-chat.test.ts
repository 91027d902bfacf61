// The local chat page of `npm start` without a token, in a real browser, on the app as it starts
// (startApp: the real bot on the local Telegram, the payment simulator, pg-boss delivering): the
// seller registers and lists a product with a cover and a file sent from the computer; the buyer
// finds it by search, buys it, marks it paid on the simulator's page, gets the delivery and
// downloads the file, byte for byte; the admin sees the sale in the statistics.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { startStack } from '../ops/stack.ts';
import { launchBrowser, screenshotDir } from './support.ts';

const SELLER = 710_001;
const BUYER = 710_002;
const ADMIN = 900_000_000;
const PHONE = { width: 400, height: 860 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const stack = await startStack({
  PORT: String(port),
  PUBLIC_URL: `http://localhost:${port}`,
  DB_POOL_MAX: '8',
});
const browser = await launchBrowser();
const shots = await screenshotDir();

/** The newest bot message showing `text`. */
const botSays = (page: Page, text: RegExp) => page.locator('.msg.bot', { hasText: text }).last();

async function type(page: Page, text: string, answer: RegExp): Promise<void> {
  await page.fill('[data-input]', text);
  await page.press('[data-input]', 'Enter');
  await botSays(page, answer).waitFor();
}

async function press(page: Page, label: RegExp, answer: RegExp): Promise<void> {
  await page.locator('.keyboard button', { hasText: label }).last().click();
  await botSays(page, answer).waitFor();
}

async function become(page: Page, userId: number): Promise<void> {
  await page.click(`[data-person="${userId}"]`);
  await page.locator(`[data-person="${userId}"][aria-pressed="true"]`).waitFor();
}

test('seller lists, buyer buys and downloads, admin sees the sale: all from the chat page', {
  timeout: 120_000,
}, async () => {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, acceptDownloads: true });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(`http://localhost:${port}/dev/chat`);

  // The seller, in English: registration, then the six-step wizard with a cover and a file.
  await become(page, SELLER);
  assert.equal(
    await page.getAttribute('[data-send]', 'aria-label'),
    'Send',
    "the page's own words are English",
  );
  await page.click('[data-menu]');
  await page.click('[data-command="sell"]');
  await botSays(page, /Become a seller/).waitFor();
  await type(page, 'ana@example.com', /Solana payout address/);
  await type(page, 'So11111111111111111111111111111111111111112', /seller account is ready/);
  await press(page, /Add a product/, /title/);
  await type(page, 'Solana DeFi Playbook', /description/);
  await type(page, 'Forty pages on staking, liquidity pools and the risks nobody mentions.', /category/);
  await press(page, /Finance/, /price/);
  await type(page, '19.99', /cover image/);
  const cover = await readFile('docs/chart-revenue-30d.png');
  await page.click('[data-attach]');
  await page.setInputFiles('[data-photo-input]', { name: 'cover.png', mimeType: 'image/png', buffer: cover });
  await botSays(page, /Send the file/).waitFor();
  // Mini App buttons open the real upload page, signed for this seller by the local Telegram.
  const [uploadPage] = await Promise.all([
    context.waitForEvent('page'),
    page
      .locator('.keyboard button', { hasText: /Upload through the page/ })
      .last()
      .click(),
  ]);
  await uploadPage.locator('[data-view="main"]').waitFor();
  await uploadPage.close();
  const file = Buffer.from(`%PDF-1.7\n${'Staking, pools, risks. '.repeat(3000)}\n%%EOF\n`);
  await page.click('[data-attach]');
  await page.setInputFiles('[data-file-input]', {
    name: 'solana-defi-playbook.pdf',
    mimeType: 'application/pdf',
    buffer: file,
  });
  await botSays(page, /created as a draft/).waitFor();
  await press(page, /Publish/, /🟢/);
  const product = await stack.app.db.maybeOne<{ id: string; cover: boolean }>(
    `SELECT id, cover_file_id IS NOT NULL AS cover FROM products WHERE seller_id = $1 AND status = 'active'`,
    [SELLER],
  );
  assert.ok(product, 'the product is on sale');
  assert.ok(product.cover, 'the photo sent from the computer became the cover');

  // The buyer, in French: search, the card with its cover, the payment with its QR code.
  await become(page, BUYER);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr', "the page's own words follow the person");
  assert.equal(await page.getAttribute('[data-send]', 'aria-label'), 'Envoyer');
  assert.equal(await page.textContent('[data-sim]'), 'Paiements ↗');
  assert.match((await page.textContent(`[data-person="${BUYER}"] small`)) ?? '', /^acheteur · fr$/);
  await type(page, 'defi playbook', /Solana DeFi Playbook/);
  await press(page, /Solana DeFi Playbook/, /Forty pages/);
  // The card's picture is laid out once it has loaded: wait for it (a missing cover times out).
  await page.locator('.msg.bot img').last().waitFor({ state: 'visible', timeout: 10_000 });
  await press(page, /Acheter/, /SOL/);
  await page.locator('.keyboard button', { hasText: /^SOL$/ }).last().click();
  const qr = page.locator('.msg.bot img[alt="payment.png"]').last();
  await qr.waitFor();
  assert.ok(
    (await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) > 0,
    'the QR code is shown',
  );

  // The payment simulator's page, linked from the chat: the buyer's wallet pays.
  const simUrl = await page.getAttribute('[data-sim]', 'href');
  assert.ok(simUrl);
  const sim = await context.newPage();
  await sim.goto(simUrl);
  await sim.click('button:has-text("Mark paid")');
  // The page comes back once the simulator has sent its IPNs; closing it earlier could cut the POST.
  await sim.locator('td b', { hasText: 'finished' }).waitFor();
  await sim.close();

  // The delivery job sends the purchase (and the file itself); its button gives a one-time link.
  await botSays(page, /Télécharger|télécharger/).waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(shots, 'dev-chat.png') });
  await page
    .locator('.keyboard button', { hasText: /Télécharger/ })
    .last()
    .click();
  // PUBLIC_URL is localhost, a host Telegram refuses in URL buttons: the link is in the text.
  const link = page.locator('.msg.bot a[href*="/download/"]').last();
  await link.waitFor();
  // The link opens in a new tab, where the browser downloads the file.
  assert.equal(await link.getAttribute('target'), '_blank');
  const href = await link.getAttribute('href');
  assert.ok(href);
  const tab = await context.newPage();
  const [download] = await Promise.all([tab.waitForEvent('download'), tab.goto(href).catch(() => {})]);
  const downloaded = await readFile(await download.path());
  assert.ok(downloaded.equals(file), 'the downloaded file is the one the seller sent');

  // The admin (in ADMIN_IDS for this session) sees the sale.
  await become(page, ADMIN);
  await type(page, '/admin', /Statistics|Administration/);
  await press(page, /Statistics/, /Paid orders: 1\b/);
  await context.close();
});
