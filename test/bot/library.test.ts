// The library: purchases (deleted products included), one-time download links, reviews only by
// buyers, messages to the seller and problem reports through tickets; someone else's order in a
// forged button is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashDownloadToken } from '../../src/domain/index.ts';
import {
  addPaidOrder,
  addProduct,
  addSeller,
  addUser,
  assertCallbacksFit,
  buyerDatabase,
  buyerHarness,
  PUBLIC_URL,
} from './browse-fixtures.ts';
import { buttonLabels, callbackDataOf, telegramUser, textOf } from './harness.ts';

const db = await buyerDatabase();
const SELLER = 7201;
await addSeller(db, SELLER, 'Atelier Nord');
const kept = await addProduct(db, { sellerId: SELLER, title: 'Guide toujours en vente', priceCents: 1999 });
const removed = await addProduct(db, { sellerId: SELLER, title: 'Ancien guide', priceCents: 2500 });

let nextUser = 9300;
async function buyerWithPurchases() {
  const user = telegramUser(nextUser++);
  await addUser(db, user.id, user.first_name);
  const removedOrder = await addPaidOrder(db, user.id, removed);
  const keptOrder = await addPaidOrder(db, user.id, kept);
  return { user, keptOrder, removedOrder };
}
const harness = () => buyerHarness(db);

test('the library lists purchases, including one whose product the seller deleted', async () => {
  const bot = await harness();
  const { user, removedOrder } = await buyerWithPurchases();
  await db.exec(`UPDATE products SET status = 'deleted', deleted_at = now() WHERE id = $1`, [removed]);
  try {
    const [first] = await bot.sendText(user, '/library');
    assert.match(textOf(first), /Guide toujours en vente/);
    assert.ok(buttonLabels(first).some((row) => row.join() === '◀️,1/2,▶️'));
    const calls = await bot.press(user, 'l.page:1');
    const second = calls.find((c) => c.method === 'editMessageText');
    assert.match(textOf(second), /Ancien guide/);
    assert.match(textOf(second), /retiré ce produit de la vente/);
    assert.match(textOf(second), /Acheté 26,49\s\$US le /);
    assert.match(textOf(second), /📦 guide\.pdf • 2,4\sMo\n📥 0 téléchargement/);
    assert.ok(callbackDataOf(second as never).includes(`l.dl:${removedOrder}`), 'still downloadable');
    assertCallbacksFit(bot);
  } finally {
    await db.exec(`UPDATE products SET status = 'active', deleted_at = NULL WHERE id = $1`, [removed]);
  }
});

test('Download gives a one-time link to the public URL, bound to the buyer and the order, in their language', async () => {
  const bot = await harness();
  const { user, keptOrder } = await buyerWithPurchases();
  await bot.sendText(user, '/library');
  const calls = await bot.press(user, `l.dl:${keptOrder}`);
  const link = calls.find((c) => c.method === 'sendMessage');
  const markup = link?.payload.reply_markup as { inline_keyboard: { url: string }[][] } | undefined;
  const url = markup?.inline_keyboard[0]?.[0]?.url;
  assert.match(String(url), new RegExp(`^${PUBLIC_URL}/download/[A-Za-z0-9_-]+\\?lang=fr$`));
  const token = new URL(String(url)).pathname.split('/').at(-1) as string;
  const row = await db.one<{ order: string; buyer: number }>(
    'SELECT order_id AS order, buyer_id::float8 AS buyer FROM download_tokens WHERE token_hash = $1',
    [hashDownloadToken(token)],
  );
  assert.deepEqual(row, { order: keptOrder, buyer: user.id });
});

test("a forged button with someone else's order is refused, whatever the action", async () => {
  const bot = await harness();
  const { keptOrder } = await buyerWithPurchases();
  const intruder = telegramUser(nextUser++);
  await bot.sendText(intruder, '/library');
  for (const data of [
    `l.dl:${keptOrder}`,
    `l.rs:${keptOrder}`,
    `l.rt:${keptOrder}:1`,
    `l.cs:${keptOrder}`,
    `l.rp:${keptOrder}`,
  ]) {
    const calls = await bot.press(intruder, data);
    assert.equal(calls.length, 1, data);
    assert.equal(calls[0]?.method, 'answerCallbackQuery');
    assert.match(String(calls[0]?.payload.text), /ne vous appartient pas/);
  }
  const reviews = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM reviews WHERE buyer_id = $1', [
    intruder.id,
  ]);
  assert.equal(reviews.n, 0);
});

const toSeller = (calls: { method: string; payload: Record<string, unknown> }[]) =>
  calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === SELLER);

test('a buyer rates with stars, then adds a text (too short first, kept prompt); the seller hears of it once, with the comment', async () => {
  const bot = await harness();
  const { user, keptOrder } = await buyerWithPurchases();
  await bot.sendText(user, '/library');
  const stars = await bot.press(user, `l.rs:${keptOrder}`);
  assert.deepEqual(buttonLabels(stars.find((c) => c.method === 'editMessageText'))[0], [
    '1⭐',
    '2⭐',
    '3⭐',
    '4⭐',
    '5⭐',
  ]);
  const rated = await bot.press(user, `l.rt:${keptOrder}:4`);
  assert.deepEqual(toSeller(rated), [], 'nothing goes to the seller before the review is complete');
  const [tooShort] = await bot.sendText(user, 'Bien');
  assert.match(textOf(tooShort), /entre 10 et 1.000 caractères/u);
  const sent = await bot.sendText(user, 'Très <b>clair</b> et utile, merci !');
  assert.match(textOf(sent[0]), /Votre avis est publié/);
  const notices = toSeller(sent);
  assert.equal(notices.length, 1);
  assert.equal(
    textOf(notices[0]),
    '⭐ <b>Nouvel avis</b> sur <b>Guide toujours en vente</b> : ⭐⭐⭐⭐\n\n« Très &lt;b&gt;clair&lt;/b&gt; et utile, merci ! »',
  );
  const review = await db.one<{ rating: number; body: string }>(
    'SELECT rating::int, body FROM reviews WHERE buyer_id = $1 AND product_id = $2',
    [user.id, kept],
  );
  assert.deepEqual(review, { rating: 4, body: 'Très <b>clair</b> et utile, merci !' });
  // The prompt is over: the next text is a search again.
  const [search] = await bot.sendText(user, 'guide toujours');
  assert.match(textOf(search), /résultat/);
});

test('editing a review keeps its comment unless replaced, and tells the seller again, in their language', async () => {
  const bot = await harness();
  const { user, keptOrder } = await buyerWithPurchases();
  await db.exec(`UPDATE users SET language = 'en' WHERE id = $1`, [SELLER]);
  try {
    await bot.sendText(user, '/library');
    await bot.press(user, `l.rs:${keptOrder}`);
    await bot.press(user, `l.rt:${keptOrder}:2`);
    const first = await bot.press(user, `l.rk:${keptOrder}`);
    assert.deepEqual(
      toSeller(first).map((c) => textOf(c)),
      ['⭐ <b>New review</b> of <b>Guide toujours en vente</b>: ⭐⭐'],
      'published without a comment: the notice says just the stars',
    );
    await bot.sendText(user, '/library');
    await bot.press(user, `l.rs:${keptOrder}`);
    await bot.press(user, `l.rt:${keptOrder}:3`);
    const changed = await bot.sendText(user, 'Mieux après la mise à jour du chapitre 2.');
    assert.deepEqual(
      toSeller(changed).map((c) => textOf(c)),
      [
        '✏️ <b>Review updated</b> on <b>Guide toujours en vente</b>: ⭐⭐⭐\n\n« Mieux après la mise à jour du chapitre 2. »',
      ],
    );
    // Re-rated without a new text: the comment stays, and the seller is told with it.
    await bot.sendText(user, '/library');
    await bot.press(user, `l.rs:${keptOrder}`);
    const rerated = await bot.press(user, `l.rt:${keptOrder}:5`);
    const prompt = rerated.find((c) => c.method === 'editMessageText');
    assert.match(textOf(prompt), /Votre commentaire actuel : <i>Mieux après/);
    assert.deepEqual(buttonLabels(prompt), [['✅ Garder mon commentaire']]);
    const kept5 = await bot.press(user, `l.rk:${keptOrder}`);
    assert.match(textOf(toSeller(kept5)[0]), /Review updated[\s\S]*⭐⭐⭐⭐⭐\n\n« Mieux après/);
    const review = await db.one<{ rating: number; body: string }>(
      'SELECT rating::int, body FROM reviews WHERE buyer_id = $1 AND product_id = $2',
      [user.id, kept],
    );
    assert.deepEqual(review, { rating: 5, body: 'Mieux après la mise à jour du chapitre 2.' });
    // A stale "keep" button, once the review flow is over, publishes nothing more.
    const stale = await bot.press(user, `l.rk:${keptOrder}`);
    assert.deepEqual(toSeller(stale), []);
  } finally {
    await db.exec(`UPDATE users SET language = 'fr' WHERE id = $1`, [SELLER]);
  }
});

test('contact the seller and report a problem open tickets linked to the order; the seller is told', async () => {
  const bot = await harness();
  const { user, keptOrder } = await buyerWithPurchases();
  // Ids past a thousand read as ids, not amounts: no digit grouping ("12,345" or "12 345").
  await db.exec(`SELECT setval(pg_get_serial_sequence('tickets', 'id'), 12344)`);
  await bot.sendText(user, '/library');
  await bot.press(user, `l.cs:${keptOrder}`);
  const calls = await bot.sendText(user, 'Bonjour, le chapitre 3 est-il à jour ?');
  assert.match(
    textOf(calls.find((c) => c.payload.chat_id === user.id)),
    /Message transmis au vendeur.*\b12345\b/,
  );
  const relay = calls.find((c) => c.method === 'sendMessage' && c.payload.chat_id === SELLER);
  assert.match(textOf(relay), /le chapitre 3 est-il à jour/);
  assert.match(textOf(relay), /ticket n° 12345\b/);
  assert.doesNotMatch(textOf(relay), new RegExp(String(user.id)), "the buyer's Telegram id is not revealed");

  await bot.press(user, `l.rp:${keptOrder}`);
  const [reported] = await bot.sendText(user, 'Le fichier ne s’ouvre pas sur mon téléphone.');
  assert.match(textOf(reported), /Problème signalé/);
  const tickets = await db.many<{ seller: number | null }>(
    'SELECT seller_id::float8 AS seller FROM tickets WHERE order_id = $1 ORDER BY id',
    [keptOrder],
  );
  assert.deepEqual(
    tickets.map((t) => t.seller),
    [SELLER, null],
  );
});
