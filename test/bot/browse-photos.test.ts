// A cover Telegram refuses to show although it passed our checks (it answers sendPhoto or
// editMessageMedia with a 400 such as IMAGE_PROCESS_FAILED): the buyer gets the card as text,
// the old card stays until the new one is sent, and the cover is not offered to Telegram again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addProduct,
  addSeller,
  buyerDatabase,
  buyerHarness,
  categoryId,
  tempStorage,
} from './browse-fixtures.ts';
import { type ApiCall, callbackDataOf, telegramUser, textOf } from './harness.ts';

const db = await buyerDatabase();
const storage = await tempStorage();
const SELLER = 7101;
await addSeller(db, SELLER, 'Studio Lumière');
const design = await categoryId(db, 'design-creative');
const poster = await addProduct(db, {
  sellerId: SELLER,
  title: 'Affiche géante',
  category: 'design-creative',
  cover: storage,
  salesCount: 10,
});
const icons = await addProduct(db, {
  sellerId: SELLER,
  title: 'Pack d’icônes',
  description: `Des icônes pour tout. ${'Chaque icône existe en trois tailles. '.repeat(25)}`,
  category: 'design-creative',
  cover: storage,
  salesCount: 5,
});

const refusedAt = async (productId: string) =>
  (
    await db.one<{ refusedAt: Date | null }>(
      `SELECT f.photo_refused_at AS "refusedAt" FROM products p JOIN stored_files f ON f.id = p.cover_file_id
       WHERE p.id = $1`,
      [productId],
    )
  ).refusedAt;

const methods = (calls: ApiCall[]) => calls.map((c) => c.method).filter((m) => m !== 'answerCallbackQuery');

test('a refused cover shows a text card, the old card deleted only after the new one is sent', async () => {
  const bot = await buyerHarness(db, { storage });
  const user = telegramUser(8101);
  await bot.sendText(user, '/achat');
  const menu = bot.lastMessage(user.id);

  bot.failNext('sendPhoto', 'Bad Request: IMAGE_PROCESS_FAILED');
  const first = await bot.press(user, `b.cat:${design}:0`);
  // The photo failed: the menu itself becomes the text card (nothing was deleted).
  assert.deepEqual(methods(first), ['sendPhoto', 'editMessageText']);
  assert.match(textOf(first.at(-1)), /Affiche géante[\s\S]*10 ventes/);
  assert.equal(bot.lastMessage(user.id).messageId, menu.messageId);
  assert.ok((await refusedAt(poster)) instanceof Date, 'the refusal is remembered');

  // The next product's cover is fine: the photo is sent, then the text card goes.
  const second = await bot.press(user, `b.cat:${design}:1`);
  assert.deepEqual(methods(second), ['sendPhoto', 'deleteMessage']);
  assert.equal(second.at(-1)?.payload.message_id, menu.messageId);
  const photoCard = bot.lastMessage(user.id);
  assert.equal(photoCard.photo, true);

  // Back to the refused cover: Telegram is not asked again; the text card comes before the delete.
  const third = await bot.press(user, `b.cat:${design}:0`, photoCard);
  assert.deepEqual(methods(third), ['sendMessage', 'deleteMessage']);
  assert.match(textOf(third[1]), /Affiche géante/);
  assert.equal(third.at(-1)?.payload.message_id, photoCard.messageId);
});

test('a photo refused while editing in place shows the detail as text, with the whole description', async () => {
  const bot = await buyerHarness(db, { storage });
  const user = telegramUser(8102, { language_code: 'en' });
  await bot.sendText(user, '/buy');
  await bot.press(user, `b.cat:${design}:1`);
  const card = bot.lastMessage(user.id);
  assert.equal(card.photo, true);
  const detail = card.keyboard.flat().flatMap((b) => ('callback_data' in b ? [b.callback_data] : []));
  const open = detail.find((d) => d.startsWith(`b.pd:${icons}`));
  assert.ok(open, detail.join(' | '));

  bot.failNext('editMessageMedia', 'Bad Request: PHOTO_INVALID_DIMENSIONS');
  const calls = await bot.press(user, open, card);
  assert.deepEqual(methods(calls), ['editMessageMedia', 'sendMessage', 'deleteMessage']);
  const text = textOf(calls.find((c) => c.method === 'sendMessage'));
  // A caption holds 1024 characters; as a message the description is no longer cut.
  assert.ok(text.includes('Chaque icône existe en trois tailles. '.repeat(25).trim()), text);
  assert.ok((await refusedAt(icons)) instanceof Date);
  assert.ok(callbackDataOf(calls[1] as ApiCall).some((d) => d.startsWith('b.')));
});

test('other Telegram errors are not taken for a refused picture', async () => {
  const bot = await buyerHarness(db, { storage });
  const other = await addProduct(db, {
    sellerId: SELLER,
    title: 'Police de caractères',
    category: 'professional-training',
    cover: storage,
  });
  const user = telegramUser(8103);
  await bot.sendText(user, `/start product_${other}`);
  bot.failNext('sendPhoto', 'Bad Request: chat not found');
  await bot.sendText(user, `/start product_${other}`);
  assert.equal(await refusedAt(other), null);
});

test('a refused preview is answered in the chat, then the Preview button says there is none', async () => {
  const bot = await buyerHarness(db, { storage });
  const product = await addProduct(db, {
    sellerId: SELLER,
    title: 'Maquettes de sites',
    category: 'professional-training',
    cover: storage,
  });
  await db.exec('UPDATE products SET preview_file_id = cover_file_id WHERE id = $1', [product]);
  const user = telegramUser(8104, { language_code: 'en' });
  await bot.sendText(user, '/buy');

  bot.failNext('sendPhoto', 'Bad Request: IMAGE_PROCESS_FAILED');
  const first = await bot.press(user, `b.pp:${product}`);
  assert.deepEqual(methods(first), ['sendPhoto', 'sendMessage']);
  assert.match(textOf(first.at(-1)), /no preview/);
  assert.ok((await refusedAt(product)) instanceof Date);

  const again = await bot.press(user, `b.pp:${product}`);
  assert.deepEqual(methods(again), [], 'Telegram is not asked again');
  assert.match(String(again[0]?.payload.text), /no preview/);
});
