// The admin console in the bot, part 2: products by status and by search, a ban with a preset
// reason (told to the seller, in the seller's language) or a typed one, restore, and the CSV
// exports sent as documents, a product titled like a formula escaped in them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InputFile } from 'grammy';
import { createProductService } from '../../src/services/products.ts';
import { tempStorage } from '../support/services.ts';
import {
  ADMIN,
  addAdmins,
  adminHarness,
  adminServices,
  alertOf,
  auditActions,
  sentTo,
  shown,
} from './admin-fixtures.ts';
import {
  addPaidOrder,
  addProduct,
  addSeller,
  addUser,
  assertCallbacksFit,
  buyerDatabase,
} from './browse-fixtures.ts';
import { type ApiCall, buttonLabels, callbackDataOf, textOf } from './harness.ts';

const db = await buyerDatabase();
await addAdmins(db);
const services = await adminServices(db);
const SELLER = 7301;
await addSeller(db, SELLER, 'Atelier Sud');

async function documentText(call: ApiCall | undefined): Promise<string> {
  assert.ok(call, 'a document was sent');
  const raw = await (call.payload.document as InputFile).toRaw();
  assert.ok(raw instanceof Uint8Array);
  return Buffer.from(raw).toString('utf8');
}

async function status(productId: string): Promise<{ status: string; reason: string | null }> {
  return db.one('SELECT status, ban_reason AS reason FROM products WHERE id = $1', [productId]);
}

test('products by status, and found by words without accents or by id in any case', async () => {
  const bot = adminHarness(services);
  const creme = await addProduct(db, { sellerId: SELLER, title: 'Formation Crème brûlée' });
  const draft = await addProduct(db, { sellerId: SELLER, title: 'Brouillon secret', status: 'draft' });
  await bot.sendText(ADMIN, '/admin');
  const all = shown(await bot.press(ADMIN, 'adm.prl:all:0'));
  assert.match(textOf(all), /Products<\/b> · 📦 All \(2\)/);
  const drafts = shown(await bot.press(ADMIN, 'adm.prl:draft:0'));
  assert.deepEqual(
    callbackDataOf(drafts).filter((d) => d.startsWith('adm.p:')),
    [`adm.p:${draft}`],
  );
  for (const query of ['creme brulee', 'CRÈME', creme.toLowerCase()]) {
    await bot.press(ADMIN, 'adm.prq');
    const results = shown(await bot.sendText(ADMIN, query));
    assert.ok(callbackDataOf(results).includes(`adm.p:${creme}`), query);
    assert.ok(!callbackDataOf(results).includes(`adm.p:${draft}`), query);
  }
  const card = shown(await bot.press(ADMIN, `adm.p:${creme}`));
  assert.match(textOf(card), /Formation Crème brûlée/);
  assert.match(textOf(card), /Atelier Sud/);
  assert.ok(callbackDataOf(card).includes(`adm.ban:${creme}`));
  assertCallbacksFit(bot);
});

test('a ban with a preset reason: the seller is told why, in their language; restore off sale', async () => {
  const bot = adminHarness(services);
  const product = await addProduct(db, { sellerId: SELLER, title: 'Cours <copié>' });
  await bot.sendText(ADMIN, '/admin');
  await bot.press(ADMIN, `adm.p:${product}`);
  const choose = shown(await bot.press(ADMIN, `adm.ban:${product}`));
  assert.ok(buttonLabels(choose).flat().includes('©️ Copyright'));
  const calls = await bot.press(ADMIN, `adm.banr:${product}:copyright`);
  const reason = "Ce produit enfreint les droits d'auteur d'un tiers.";
  assert.deepEqual(await status(product), { status: 'banned', reason });
  const [notice] = sentTo(calls, SELLER);
  assert.ok(notice, 'the seller was told');
  assert.match(textOf(notice), /Votre produit a été retiré[\s\S]*Cours &lt;copié&gt;/);
  assert.ok(textOf(notice).includes(`Motif : ${reason}`), textOf(notice));
  const card = shown(calls);
  assert.match(textOf(card), /banned\. The seller was told why\./);
  assert.ok(callbackDataOf(card).includes(`adm.pok:${product}:inactive`));

  const products = createProductService({ db, storage: await tempStorage() });
  await assert.rejects(products.activate(SELLER, product), { code: 'product_banned' });

  const restored = await bot.press(ADMIN, `adm.pok:${product}:inactive`);
  assert.deepEqual(await status(product), { status: 'inactive', reason: null });
  assert.match(textOf(sentTo(restored, SELLER)[0]), /rétabli par un administrateur/);
  assert.equal((await products.activate(SELLER, product)).status, 'active', 'the seller may list it again');
  assert.deepEqual(await auditActions(db, product), ['product.ban', 'product.restore']);
  // Restoring what is no longer banned is refused and changes nothing.
  assert.match(alertOf(await bot.press(ADMIN, `adm.pok:${product}:active`)) ?? '', /nothing was done/);
  assert.equal((await status(product)).status, 'active');
});

test('a ban with a typed reason; an empty one is refused and the question stays', async () => {
  const bot = adminHarness(services);
  const product = await addProduct(db, { sellerId: SELLER, title: 'Guide douteux' });
  await bot.sendText(ADMIN, '/admin');
  await bot.press(ADMIN, `adm.ban:${product}`);
  assert.match(textOf(shown(await bot.sendText(ADMIN, '  '))), /1 to 500 characters/);
  assert.equal((await status(product)).status, 'active');
  const calls = await bot.sendText(ADMIN, 'Le fichier est vide');
  assert.deepEqual(await status(product), { status: 'banned', reason: 'Le fichier est vide' });
  assert.match(textOf(sentTo(calls, SELLER)[0]), /Motif : Le fichier est vide/);
  // The question is over: the next text is not a second reason.
  await bot.sendText(ADMIN, 'Autre chose');
  assert.equal((await status(product)).reason, 'Le fichier est vide');
  assert.match(alertOf(await bot.press(ADMIN, 'adm.p:P-ZZZZZZZZZZ')) ?? '', /not available/);
});

test('exports arrive as CSV documents, a formula title escaped, each export audited', async () => {
  const bot = adminHarness(services);
  const formula = '=HYPERLINK("http://evil.example","Click")';
  const product = await addProduct(db, { sellerId: SELLER, title: formula });
  await addUser(db, 7302, '@attacker');
  await addPaidOrder(db, 7302, product);
  await bot.sendText(ADMIN, '/admin');
  await bot.press(ADMIN, 'adm.ex');
  const products = await bot.press(ADMIN, 'adm.exf:products');
  const sent = products.find((c) => c.method === 'sendDocument');
  assert.ok(sent, 'the products file was sent');
  assert.match(
    String((sent.payload.document as { filename?: string }).filename),
    /^agora-products-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const csv = await documentText(sent);
  assert.ok(csv.startsWith('\uFEFFid,title,status,price_usd'), csv.slice(0, 80));
  assert.ok(
    csv.includes(`${product},"'=HYPERLINK(""http://evil.example"",""Click"")"`),
    'the formula is text',
  );
  assert.ok(!csv.includes(',=HYPERLINK'), 'no cell starts with =');

  const orders = await documentText(
    (await bot.press(ADMIN, 'adm.exf:orders')).find((c) => c.method === 'sendDocument'),
  );
  assert.ok(
    orders.includes(`"'=HYPERLINK(""http://evil.example"",""Click"")"`),
    'order lines keep the title, escaped',
  );
  assert.ok(orders.includes(',19.99,'), 'amounts in dollars');
  const users = await documentText(
    (await bot.press(ADMIN, 'adm.exf:users')).find((c) => c.method === 'sendDocument'),
  );
  assert.ok(users.includes("7302,,'@attacker,"), 'a name starting with @ is text');
  const payouts = await bot.press(ADMIN, 'adm.exf:payouts');
  assert.match(textOf(payouts.find((c) => c.method === 'sendDocument')), /Payouts: 0 rows/);
  const audit = await db.many<{ action: string }>(
    `SELECT action FROM admin_audit_log WHERE action LIKE 'export.%' AND admin_id = $1 ORDER BY id`,
    [ADMIN.id],
  );
  assert.deepEqual(
    audit.map((a) => a.action),
    ['export.products', 'export.orders', 'export.users', 'export.payouts'],
  );
});
