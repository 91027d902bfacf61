// The bot works in private chats only: in a group, commands and presses reveal nothing and change
// no shared message; /start points to the private chat.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Chat } from 'grammy/types';
import { formatMoney } from '../../src/bot/ui/format.ts';
import {
  addPaidOrder,
  addProduct,
  addSeller,
  addUser,
  buyerDatabase,
  buyerHarness,
} from './browse-fixtures.ts';
import { BOT_INFO, buttonLabels, telegramUser, textOf } from './harness.ts';

const db = await buyerDatabase();
const SELLER = 7100;
const BUYER = 7101;
await addSeller(db, SELLER, 'Atelier Public');
await addUser(db, BUYER);
const productId = await addProduct(db, { sellerId: SELLER, priceCents: 12_345 });
await addPaidOrder(db, BUYER, productId);

const seller = telegramUser(SELLER, { language_code: 'en' });
const group: Chat.SupergroupChat = { id: -1001234567890, type: 'supergroup', title: 'Makers' };

test('/stats shows the revenue in private, and nothing in a group', async () => {
  const bot = await buyerHarness(db);
  const revenue = formatMoney('en', 12_345);
  const [dashboard] = await bot.sendText(seller, '/stats');
  assert.ok(textOf(dashboard).includes(revenue), 'the private dashboard shows the sale');

  for (const command of ['/stats', `/stats@${BOT_INFO.username}`, '/library', '/sell', 'P-7K3M9QXD4T']) {
    const calls = await bot.sendText(seller, command, group);
    assert.deepEqual(calls, [], `${command} in a group calls nothing`);
  }
});

test('/start in a group answers with a button that opens the bot in private', async () => {
  const bot = await buyerHarness(db);
  const [reply, ...rest] = await bot.sendText(seller, `/start@${BOT_INFO.username}`, group);
  assert.equal(rest.length, 0);
  assert.equal(reply?.method, 'sendMessage');
  assert.equal(reply?.payload.chat_id, group.id);
  assert.match(textOf(reply), /private chat/);
  assert.deepEqual(buttonLabels(reply), [['💬 Open Agora']]);
  const markup = reply?.payload.reply_markup as { inline_keyboard: { url?: string }[][] };
  assert.equal(markup.inline_keyboard[0]?.[0]?.url, `https://t.me/${BOT_INFO.username}`);

  // A product link typed in the group opens that product in private.
  const [linked] = await bot.sendText(seller, `/start product_${productId}`, group);
  const linkedMarkup = linked?.payload.reply_markup as { inline_keyboard: { url?: string }[][] };
  assert.equal(
    linkedMarkup.inline_keyboard[0]?.[0]?.url,
    `https://t.me/${BOT_INFO.username}?start=product_${productId}`,
  );
});

test('a press on a message in a group is answered and edits nothing', async () => {
  const bot = await buyerHarness(db);
  const [shared] = await bot.sendText(seller, '/start', group);
  assert.ok(shared);
  const message = bot.lastMessage(group.id);
  for (const data of ['sd', 'menu.library', 'sa:30']) {
    const calls = await bot.press(seller, data, message);
    assert.deepEqual(
      calls.map((c) => c.method),
      ['answerCallbackQuery'],
      `${data} pressed in a group only stops the spinner`,
    );
    assert.match(String(calls[0]?.payload.text), /private chat/);
    assert.notEqual(calls[0]?.payload.show_alert, true);
  }
  assert.equal(bot.lastMessage(group.id).text, message.text, 'the shared message is unchanged');
});
