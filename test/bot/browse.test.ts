// Browsing as a buyer does it: categories, the carousel edited in place, the detail view (one
// view counted), search typed anywhere, deep links and storefronts. Real PostgreSQL, Telegram
// faked by the harness.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputFile } from 'grammy';
import { TELEGRAM_LIMITS, visibleLength } from '../../src/bot/ui/text.ts';
import {
  addProduct,
  addSeller,
  addUser,
  assertCallbacksFit,
  buyerDatabase,
  buyerHarness,
  categoryId,
  tempStorage,
} from './browse-fixtures.ts';
import { buttonLabels, callbackDataOf, telegramUser, textOf } from './harness.ts';

const db = await buyerDatabase();
const storage = await tempStorage();

const SELLER = 7001;
await addSeller(db, SELLER, 'Maison <Crypto> & Co', 'Guides <b>pratiques</b> depuis 2019.');
const design = await categoryId(db, 'design-creative');
await addProduct(db, {
  sellerId: SELLER,
  title: 'Logo <b>&</b> identité visuelle',
  category: 'design-creative',
  cover: storage,
  salesCount: 60,
});
await addProduct(db, {
  sellerId: SELLER,
  title: 'Palette de couleurs',
  category: 'design-creative',
  salesCount: 5,
  createdDaysAgo: 1,
});
const thermo = await addProduct(db, {
  sellerId: SELLER,
  title: 'Stratégie Été Crème Brûlée',
  description: 'Le guide complet du référencement.',
  category: 'business',
  priceCents: 4999,
});
await addProduct(db, { sellerId: SELLER, title: 'Brouillon caché', category: 'business', status: 'draft' });

/**
 * Telegram's file ids of covers are shared by every instance (the database): a harness without
 * the storage shows text cards only once the ids earlier tests got are gone.
 */
const forgetCoverIds = () => db.exec('DELETE FROM telegram_file_cache');

let nextUser = 8000;
const newBuyer = (overrides = {}) => telegramUser(nextUser++, overrides);

test('the buy menu lists every category in the user language with its count of products for sale', async () => {
  const bot = await buyerHarness(db, { storage });
  const [reply] = await bot.sendText(newBuyer({ language_code: 'en' }), '/buy');
  assert.match(textOf(reply), /<b>Catalog<\/b>/);
  const labels = buttonLabels(reply).flat();
  assert.ok(labels.includes('🎨 Design & Creative (2)'), labels.join(' | '));
  assert.ok(labels.includes('📊 Business (1)'), 'the draft is not counted');
  assert.ok(labels.includes('💻 Development (0)'));
  const [french] = await bot.sendText(newBuyer(), '/achat');
  assert.ok(buttonLabels(french).flat().includes('🎨 Design & Créatif (2)'));
});

test('a category opens a carousel edited in place: cover photo, then a text card, then back', async () => {
  const bot = await buyerHarness(db, { storage });
  const user = newBuyer();
  await bot.sendText(user, '/achat');
  const menu = bot.lastMessage(user.id);

  // Best sellers first: the product with a cover and 60 sales.
  const first = await bot.press(user, `b.cat:${design}:0`);
  const photo = first.find((c) => c.method === 'sendPhoto');
  assert.ok(photo, 'a product with a cover is shown as a photo');
  assert.ok(photo.payload.photo instanceof InputFile);
  assert.ok(first.some((c) => c.method === 'deleteMessage' && c.payload.message_id === menu.messageId));
  const caption = textOf(photo);
  assert.match(caption, /🔥 Meilleure vente/);
  assert.match(caption, /<b>Logo &lt;b&gt;&amp;&lt;\/b&gt; identité visuelle<\/b>/, 'the title is escaped');
  assert.match(caption, /par Maison &lt;Crypto&gt; &amp; Co/);
  assert.match(caption, /60 ventes/);
  assert.match(caption, /🎨 Design &amp; Créatif • 📦 2,4\sMo/);
  assert.match(caption, /🏷️ 19,99\s\$US/);
  const labels = buttonLabels(photo);
  assert.deepEqual(labels[0], ['💳 Acheter – 19,99\u00a0$US']);
  assert.ok(labels.some((row) => row.join() === '◀️,1/2,▶️'));
  const card = bot.lastMessage(user.id);
  assert.equal(card.photo, true);

  // Next: no cover, so the photo is replaced by a text card.
  const second = await bot.press(user, `b.cat:${design}:1`);
  assert.ok(second.some((c) => c.method === 'deleteMessage' && c.payload.message_id === card.messageId));
  const text = second.find((c) => c.method === 'sendMessage');
  assert.match(textOf(text), /Palette de couleurs/);
  assert.match(textOf(text), /🆕 Nouveau/);
  const textCard = bot.lastMessage(user.id);

  // Previous from the text card wraps to the photo; from photo to photo it is editMessageMedia.
  await bot.press(user, `b.cat:${design}:0`, textCard);
  const photoCard = bot.lastMessage(user.id);
  const again = await bot.press(user, `b.cat:${design}:0`, photoCard);
  const edit = again.find((c) => c.method === 'editMessageMedia');
  assert.ok(edit, 'photo to photo is edited in place');
  assert.equal(edit.payload.message_id, photoCard.messageId);
  assert.equal(bot.lastMessage(user.id).messageId, photoCard.messageId);

  assertCallbacksFit(bot);
});

test('text cards are edited in place with the same message id', async () => {
  const bot = await buyerHarness(db); // no storage: every card is text
  await forgetCoverIds();
  const user = newBuyer();
  await bot.sendText(user, '/achat');
  const menu = bot.lastMessage(user.id);
  const first = await bot.press(user, `b.cat:${design}:0`);
  const edit = first.find((c) => c.method === 'editMessageText');
  assert.equal(edit?.payload.message_id, menu.messageId);
  const second = await bot.press(user, `b.cat:${design}:1`);
  const edit2 = second.find((c) => c.method === 'editMessageText');
  assert.equal(edit2?.payload.message_id, menu.messageId);
  assert.match(textOf(edit2), /Palette de couleurs/);
  // The category switch names the neighbours, never puts a name in the data.
  const data = callbackDataOf(edit2 as never);
  assert.ok(data.every((d) => !d.includes('Design')));
});

test('the detail view shows description, id and views, and counts one view per opening', async () => {
  const bot = await buyerHarness(db);
  const user = newBuyer({ language_code: 'en' });
  await bot.sendText(user, '/buy');
  const calls = await bot.press(user, `b.pd:${thermo}:x`);
  const shown = calls.find((c) => c.method === 'editMessageText');
  assert.match(textOf(shown), /Le guide complet du référencement\./);
  assert.match(textOf(shown), new RegExp(`<code>${thermo}</code> • 👁 1 view\\n`));
  await bot.press(user, `b.pb:${thermo}:x`); // back from the reviews: not a new view
  await bot.press(user, `b.pd:${thermo}:x`);
  const views = await db.one<{ n: number }>('SELECT views_count AS n FROM products WHERE id = $1', [thermo]);
  assert.equal(views.n, 2);
});

test('search typed anywhere finds words without accents or case, and product ids as typed', async () => {
  const bot = await buyerHarness(db);
  const user = newBuyer();
  const [words] = await bot.sendText(user, 'creme brulee STRATEGIE');
  assert.match(textOf(words), /1 résultat/);
  assert.deepEqual(buttonLabels(words)[0], ['Stratégie Été Crème Brûlée – 49,99\u00a0$US']);
  assert.deepEqual(callbackDataOf(words as never)[0], `b.pd:${thermo}:x`);

  const typedId = thermo.toLowerCase().replace('-', ' ');
  const [byId] = await bot.sendText(user, typedId);
  assert.match(textOf(byId), /1 résultat/);
  assert.deepEqual(callbackDataOf(byId as never)[0], `b.pd:${thermo}:x`);

  const [none] = await bot.sendText(user, 'Brouillon caché');
  assert.match(textOf(none), /Aucun résultat pour « Brouillon caché »/, 'a draft is not found');

  const [escaped] = await bot.sendText(user, '<i>rien</i>');
  assert.match(textOf(escaped), /« &lt;i&gt;rien&lt;\/i&gt; »/);
});

test('search stays quiet while a feature waits for typed input', async () => {
  const bot = await buyerHarness(db);
  const user = newBuyer();
  await bot.sendText(user, '/start');
  // Someone opens "contact the seller" on an order that is not theirs: refused, no prompt set.
  await bot.press(user, 'l.cs:O-23456789AB');
  const [reply] = await bot.sendText(user, 'creme brulee');
  assert.match(textOf(reply), /résultat/);
});

test('deep links open a product card or a storefront; unknown ones are answered politely', async () => {
  const bot = await buyerHarness(db);
  const user = newBuyer();
  const [product] = await bot.sendText(user, `/start product_${thermo.toLowerCase()}`);
  assert.match(textOf(product), /Stratégie Été Crème Brûlée/);
  assert.match(textOf(product), /🔖 ID/);

  const [shop] = await bot.sendText(user, `/start shop_${SELLER}`);
  assert.match(textOf(shop), /🏪 <b>Maison &lt;Crypto&gt; &amp; Co<\/b> • 3 produits • 65 ventes/);
  assert.match(
    textOf(shop),
    /<i>Guides &lt;b&gt;pratiques&lt;\/b&gt; depuis 2019\.<\/i>/,
    'bio on the first card',
  );
  assert.ok(buttonLabels(shop).some((row) => row.join() === '◀️,1/3,▶️'));

  const [gone] = await bot.sendText(user, '/start product_P-23456789AB');
  assert.match(textOf(gone), /n'est pas disponible/);
  const [noShop] = await bot.sendText(user, '/start shop_123');
  assert.match(textOf(noShop), /Cette boutique n'existe pas/);
});

test('a shop whose bio would overflow its cover caption shows as much of it as fits, emoji whole', async () => {
  const seller = 7002;
  // 500 characters, as the bio allows; each emoji counts two UTF-16 units for Telegram.
  await addSeller(db, seller, 'Atelier du Monde', '🌍'.repeat(500));
  await addProduct(db, { sellerId: seller, title: 'Carte du monde'.padEnd(100, '!'), cover: storage });
  const bot = await buyerHarness(db, { storage });
  const user = newBuyer();
  const [shop] = await bot.sendText(user, `/start shop_${seller}`);
  assert.equal(shop?.method, 'sendPhoto', 'the card keeps its cover');
  assert.ok(bot.lastMessage(user.id).photo, 'Telegram accepted the photo and its caption');
  const caption = textOf(shop);
  assert.ok(visibleLength(caption) <= TELEGRAM_LIMITS.caption, `${visibleLength(caption)} units`);
  assert.ok(caption.isWellFormed(), 'no half emoji');
  assert.match(caption, /<i>(🌍)+…<\/i>/, 'the bio, cut with an ellipsis');
  assert.match(caption, /Carte du monde/, 'the card itself is whole');
});

test('the storefront carousel pages through the seller products and opens from a card', async () => {
  const bot = await buyerHarness(db);
  await forgetCoverIds();
  const user = newBuyer();
  const [detail] = await bot.sendText(user, `/start product_${thermo}`);
  assert.ok(callbackDataOf(detail as never).includes(`b.shop:${SELLER}:0`));
  const calls = await bot.press(user, `b.shop:${SELLER}:2`);
  const page = calls.find((c) => c.method === 'editMessageText');
  assert.match(textOf(page), /Maison/);
  assert.ok(buttonLabels(page).some((row) => row.join() === '◀️,3/3,▶️'));
  assert.doesNotMatch(textOf(page), /<i>Guides/, 'the bio is on the first card only');
  const [usage] = await bot.sendText(user, '/shop');
  assert.match(textOf(usage), /\/shop @pseudo/);
  const [byCommand] = await bot.sendText(user, `/shop ${SELLER}`);
  assert.match(textOf(byCommand), /Maison/);
});

test('/shop @username opens the storefront in any case; an unknown name gets a clear answer', async () => {
  const bot = await buyerHarness(db);
  const user = newBuyer();
  await db.exec(`UPDATE users SET username = 'MaisonCrypto' WHERE id = $1`, [SELLER]);
  // A buyer whose stale row holds the same name (usernames move between accounts) has no shop.
  await addUser(db, 7999);
  await db.exec(`UPDATE users SET username = 'maisoncrypto', updated_at = now() WHERE id = 7999`);
  try {
    for (const typed of ['/shop @maisoncrypto', '/shop MAISONCRYPTO', '/shop  @MaisonCrypto ']) {
      const [shop] = await bot.sendText(user, typed);
      assert.match(textOf(shop), /🏪 <b>Maison &lt;Crypto&gt; &amp; Co<\/b>/, typed);
      assert.ok(
        buttonLabels(shop).some((row) => row.join() === '◀️,1/3,▶️'),
        typed,
      );
    }
    for (const name of ['@nobody_here', '@ab', '@Maison-Crypto']) {
      const [unknown] = await bot.sendText(user, `/shop ${name}`);
      assert.equal(
        textOf(unknown),
        `🏪 Aucune boutique ne s'appelle <b>${name}</b>. Vérifiez l'orthographe, ou demandez au vendeur le lien de sa boutique.`,
      );
    }
    const english = newBuyer({ language_code: 'en' });
    const [answer] = await bot.sendText(english, '/shop @nobody_here');
    assert.match(textOf(answer), /^🏪 No shop goes by <b>@nobody_here<\/b>\./);
  } finally {
    await db.exec(`UPDATE users SET username = NULL WHERE id IN ($1, 7999)`, [SELLER]);
  }
});

test('a product taken off sale is refused from a stale button', async () => {
  const bot = await buyerHarness(db);
  const user = newBuyer();
  const hidden = await addProduct(db, { sellerId: SELLER, title: 'Retiré bientôt', category: 'tools-tech' });
  await bot.sendText(user, '/achat');
  await db.exec(`UPDATE products SET status = 'inactive' WHERE id = $1`, [hidden]);
  const calls = await bot.press(user, `b.pd:${hidden}:x`);
  const answer = calls.find((c) => c.method === 'answerCallbackQuery');
  assert.equal(answer?.payload.show_alert, true);
  assert.match(String(answer?.payload.text), /pas \(ou plus\) disponible/);
  assert.equal(calls.length, 1);
});
