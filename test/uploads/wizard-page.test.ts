// The wizard's file step through the upload page, on the running product (startApp, the bot
// against the local Telegram double): with an https PUBLIC_URL the step offers the page for the
// draft it saved; the file uploaded there reaches the product, the seller is told in the chat
// with the way to publish, and the wizard is over. Without https the step says how to enable it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { User } from 'grammy/types';
import { FAKE_BOT_TOKEN, type FakeTelegram } from '../../src/dev/telegram/fake-telegram.ts';
import { signInitData } from '../../src/http/telegram-auth.ts';
import { CHUNK_CONTENT_TYPE } from '../../src/http/uploads.ts';
import { addOrder, addProduct, addSeller, addUser } from '../aftersale/fixtures.ts';
import { type Stack, startStack } from '../ops/stack.ts';

const https = await startStack(
  { PUBLIC_URL: 'https://shop.example.test', NOWPAYMENTS_MODE: 'simulator' },
  { telegram: true },
);

function seller(id: number): User {
  return { id, is_bot: false, first_name: 'Sam', language_code: 'en' };
}

/** From /sell to the file step: title, description, category, price, no cover. */
async function toFileStep(stack: Stack, user: User, title: string): Promise<FakeTelegram> {
  const telegram = stack.telegram as FakeTelegram;
  await addSeller(stack.app.db, user.id);
  await stack.app.db.exec(`UPDATE users SET language = 'en' WHERE id = $1`, [user.id]);
  await telegram.type(user, '/sell');
  await telegram.press(user, /Add a product/);
  await telegram.type(user, title);
  await telegram.type(user, 'Every template a freelancer needs, as editable files.');
  await telegram.press(user, /Finance/);
  await telegram.type(user, '19.99');
  await telegram.press(user, /Skip/);
  return telegram;
}

function initData(user: User): Record<string, string> {
  const signed = signInitData(
    { auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify(user) },
    FAKE_BOT_TOKEN,
  );
  return { authorization: `tma ${signed}` };
}

async function api(stack: Stack, user: User, method: string, path: string, body?: unknown, headers = {}) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...initData(user),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** What the upload page does for a small file on the local folder: start, one chunk, complete. */
async function uploadThroughPage(
  stack: Stack,
  user: User,
  productId: string,
  fileName: string,
  bytes: Buffer,
) {
  const started = await api(stack, user, 'POST', '/api/resumable-uploads', {
    productId,
    fileName,
    contentType: 'application/pdf',
    size: bytes.length,
  });
  const chunk = await fetch(`${stack.url}/api/resumable-uploads/${started.uploadId}`, {
    method: 'PATCH',
    headers: { ...initData(user), 'content-type': CHUNK_CONTENT_TYPE, 'upload-offset': '0' },
    body: bytes,
  });
  assert.equal(chunk.status, 200, await chunk.text());
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return api(stack, user, 'POST', `/api/resumable-uploads/${started.uploadId}/complete`, { sha256 });
}

async function until<T>(what: string, find: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('the file step offers the page for its saved draft; the uploaded file ends the wizard, told in the chat', async () => {
  const user = seller(81_001);
  const telegram = await toFileStep(https, user, 'Freelance templates');
  const { button } = telegram.findButton(user.id, /Upload through the page/);
  assert.ok('web_app' in button && button.web_app, 'a Mini App button');
  const url = new URL(button.web_app.url);
  assert.equal(`${url.origin}${url.pathname}`, 'https://shop.example.test/app/upload');
  const productId = url.searchParams.get('product') as string;
  const draft = await https.app.services.products.own(user.id, productId);
  assert.equal(draft?.title, 'Freelance templates');
  assert.equal(draft?.status, 'draft');

  // Back to the title and a new answer: the draft follows it.
  await telegram.press(user, /Previous step/);
  await telegram.press(user, /Previous step/);
  await telegram.press(user, /Previous step/);
  await telegram.press(user, /Previous step/);
  await telegram.press(user, /Previous step/);
  await telegram.type(user, 'Freelance templates 2027');
  await telegram.press(user, /Keep/);
  await telegram.press(user, /Keep/);
  await telegram.press(user, /Keep/);
  await telegram.press(user, /Skip/);
  const again = new URL(
    (telegram.findButton(user.id, /Upload through the page/).button as { web_app: { url: string } }).web_app
      .url,
  );
  assert.equal(again.searchParams.get('product'), productId, 'the same draft');
  assert.equal(
    (await https.app.services.products.own(user.id, productId))?.title,
    'Freelance templates 2027',
  );

  const bytes = Buffer.from('%PDF-1.7 templates '.repeat(5000));
  const before = telegram.shownTo(user.id).length;
  const done = await uploadThroughPage(https, user, productId, 'templates.pdf', bytes);
  assert.equal(done.outcome, 'first');

  const notice = await until('the seller is told', () =>
    telegram
      .shownTo(user.id)
      .slice(before)
      .find((c) => String(c.payload.text).includes('arrived')),
  );
  assert.match(
    String(notice.payload.text),
    /templates\.pdf<\/b> \(92\.8 kB\) arrived: <b>Freelance templates 2027<\/b> is ready/,
  );
  await telegram.press(user, /Publish/);
  assert.equal((await https.app.services.products.own(user.id, productId))?.status, 'active');

  // The wizard is over: the dashboard offers a new product, not a resume.
  await telegram.type(user, '/sell');
  assert.ok(telegram.findButton(user.id, /Add a product/));
  assert.throws(() => telegram.findButton(user.id, /Resume/));
});

test('without an https address the file step has no page button and says how to enable it', async () => {
  const plain = await startStack({}, { telegram: true });
  const user = seller(81_002);
  const telegram = await toFileStep(plain, user, 'Plain templates');
  const shown = telegram.shownTo(user.id).at(-1);
  assert.match(String(shown?.payload.text), /Files over 20 MB go through the upload page.*https address/);
  assert.throws(() => telegram.findButton(user.id, /Upload through the page/));
  const drafts = await plain.app.db.one<{ n: number }>(
    'SELECT count(*)::int AS n FROM products WHERE seller_id = $1',
    [user.id],
  );
  assert.equal(drafts.n, 0, 'no draft before the file arrives in the chat');
});

test('a sold product takes a new version through the page, waiting to be published; the library opens its page', async () => {
  const telegram = https.telegram as FakeTelegram;
  const user = seller(81_003);
  await addSeller(https.app.db, user.id);
  await https.app.db.exec(`UPDATE users SET language = 'en' WHERE id = $1`, [user.id]);
  const product = await addProduct(https.app.db, user.id, { title: 'Budget planner' });
  const buyer: User = { id: 81_004, is_bot: false, first_name: 'Léa', language_code: 'fr' };
  await addUser(https.app.db, buyer.id);
  await addOrder(https.app.db, buyer.id, product);

  await telegram.type(user, '/sell');
  await telegram.press(user, /My products/);
  await telegram.press(user, /Budget planner/);
  await telegram.press(user, /New file version/);
  const { button } = telegram.findButton(user.id, /Upload through the page/);
  assert.ok('web_app' in button && button.web_app);
  assert.equal(new URL(button.web_app.url).searchParams.get('product'), product.id);

  const before = telegram.shownTo(user.id).length;
  const done = await uploadThroughPage(
    https,
    user,
    product.id,
    'planner-2027.pdf',
    Buffer.from('%PDF-1.7 v2'),
  );
  assert.equal(done.outcome, 'pending');
  const notice = await until('the seller is told', () =>
    telegram
      .shownTo(user.id)
      .slice(before)
      .find((c) => String(c.payload.text).includes('new file is ready')),
  );
  assert.match(String(notice.payload.text), /planner-2027\.pdf/);
  await telegram.press(user, /Publish version 2/);
  const { published } = await https.app.services.files.versions(user.id, product.id);
  assert.deepEqual(
    published.map((v) => [v.version, v.fileName]),
    [
      [2, 'planner-2027.pdf'],
      [1, 'guide.pdf'],
    ],
  );

  await telegram.type(buyer, '/library');
  const library = telegram.findButton(buyer.id, /Ouvrir ma bibliothèque/).button;
  assert.ok('web_app' in library && library.web_app);
  assert.equal(library.web_app.url, 'https://shop.example.test/app/library');
});
