// The bot's foundation end to end: real createBot, real PostgreSQL sessions, Telegram faked
// by the harness.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { commandList, publishCommands } from '../../src/bot/commands.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { identityDigest } from '../../src/bot/create-bot.ts';
import { FAQ_ENTRIES } from '../../src/bot/features/support.ts';
import { createTranslator } from '../../src/bot/i18n.ts';
import { MAX_CALLBACK_BYTES } from '../../src/bot/ui/callback-data.ts';
import { migrate } from '../../src/db/index.ts';
import { createLogger } from '../../src/log.ts';
import { readSession } from '../../src/repositories/sessions.ts';
import { DEFAULT_RATE_LIMIT } from '../../src/services/rate-limits.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { testServices } from '../support/services.ts';
import { addProduct, addSeller } from './browse-fixtures.ts';
import { BotHarness, buttonLabels, type HarnessDeps, telegramUser, textOf } from './harness.ts';

const db = testDatabase(await freshDatabase(), { max: 4 });
await migrate(db);

const ADMIN = 9001;
let nextUserId = 1000;
const newUser = (overrides = {}) => telegramUser(nextUserId++, overrides);

const services = await testServices(db, { settings: { adminIds: new Set([ADMIN]) } });

function harness(overrides: Partial<HarnessDeps> = {}): BotHarness {
  return new BotHarness({ services, rateLimit: { burst: 1000, perMinute: 1000 }, ...overrides });
}

test('/start welcomes a French user in French with the four menu buttons and the language switch', async () => {
  const bot = harness();
  const user = newUser({ language_code: 'fr' });
  const [reply, ...rest] = await bot.sendText(user, '/start');
  assert.equal(rest.length, 0);
  assert.equal(reply?.method, 'sendMessage');
  assert.equal(reply?.payload.parse_mode, 'HTML');
  assert.match(textOf(reply), /Bienvenue sur <b>Agora<\/b>/);
  assert.deepEqual(buttonLabels(reply), [
    ['🛒 Acheter', '💼 Vendre'],
    ['📚 Ma bibliothèque'],
    ['💬 Support', '🇫🇷 FR', '🇬🇧 EN'],
  ]);
});

test('/start welcomes an English Telegram user in English; other languages get French', async () => {
  const bot = harness();
  const [english] = await bot.sendText(newUser({ language_code: 'en-GB' }), '/start');
  assert.match(textOf(english), /Welcome to <b>Agora<\/b>/);
  assert.deepEqual(buttonLabels(english)[0], ['🛒 Buy', '💼 Sell']);
  const [german] = await bot.sendText(newUser({ language_code: 'de' }), '/start');
  assert.match(textOf(german), /Bienvenue/);
});

test('the language switch is saved and survives a new bot instance', async () => {
  const first = harness();
  const user = newUser({ language_code: 'fr' });
  await first.sendText(user, '/start');
  const calls = await first.press(user, 'lang:en');
  const answer = calls.find((c) => c.method === 'answerCallbackQuery');
  assert.equal(answer?.payload.text, 'Language saved: English 🇬🇧');
  const edit = calls.find((c) => c.method === 'editMessageText');
  assert.match(textOf(edit), /Welcome to/, 'the menu is redrawn in place in the new language');
  const saved = await db.one<{ language: string }>('SELECT language FROM users WHERE id = $1', [user.id]);
  assert.equal(saved.language, 'en', 'notifications sent outside the chat find the choice');
  assert.deepEqual(await readSession(db, `user:${user.id}`), {
    language: 'en',
    recorded: identityDigest(user),
  });

  const second = harness();
  const [reply] = await second.sendText(user, '/help');
  assert.match(textOf(reply), /<b>Help<\/b>/, 'a French Telegram user who chose English stays in English');
});

test('the welcome escapes the user-supplied first name', async () => {
  const bot = harness();
  const [reply] = await bot.sendText(newUser({ first_name: '<b>&Bob' }), '/start');
  assert.match(textOf(reply), /, &lt;b&gt;&amp;Bob !/);
});

test('deep links open the product and the shop whatever the case typed; bad links show the menu', async () => {
  const bot = harness();
  const seller = 77;
  await addSeller(db, seller, 'Shop of 77');
  const product = await addProduct(db, { sellerId: seller, title: 'Deep-linked guide' });
  const user = newUser();
  const [detail] = await bot.sendText(user, `/start product_${product.toLowerCase()}`);
  assert.match(textOf(detail), /Deep-linked guide/);
  assert.match(textOf(detail), new RegExp(product));
  const [shop] = await bot.sendText(user, `/start shop_${seller}`);
  assert.match(textOf(shop), /Shop of 77/);

  const calls = await bot.sendText(user, '/start product_nope');
  assert.deepEqual(
    calls.map((c) => textOf(c).split('\n')[0]),
    ["🔗 Ce lien n'est pas valide. Voici l'accueil.", `👋 Bienvenue sur <b>Agora</b>, User${user.id} !`],
  );

  const [unknownShop] = await bot.sendText(user, '/start shop_78');
  assert.match(textOf(unknownShop), /Cette boutique n'existe pas/);
});

test('the FAQ carousel has 16 entries and is edited in place, wrapping around', async () => {
  const bot = harness();
  const user = newUser({ language_code: 'en' });
  await bot.sendText(user, '/start');
  const menu = bot.lastMessage(user.id);

  const open = await bot.press(user, 'sup');
  const first = open.find((c) => c.method === 'editMessageText');
  assert.equal(first?.payload.message_id, menu.messageId, 'the menu message itself becomes the FAQ');
  assert.match(textOf(first), /How do I buy a product\?/);
  assert.match(textOf(first), new RegExp(`Question 1 of ${FAQ_ENTRIES}`));
  assert.deepEqual(buttonLabels(first)[0], ['◀️', `1/${FAQ_ENTRIES}`, '▶️']);

  const next = (await bot.press(user, 'faq:1')).find((c) => c.method === 'editMessageText');
  assert.equal(next?.payload.message_id, menu.messageId);
  assert.match(textOf(next), /Which cryptocurrencies/);

  const wrapped = (await bot.press(user, 'faq:15')).find((c) => c.method === 'editMessageText');
  assert.match(textOf(wrapped), /Which commands can I use\?/);
  assert.equal(bot.textCalls().filter((c) => c.method === 'sendMessage').length, 1, 'one message, edited');

  const [counter] = await bot.press(user, 'noop');
  assert.deepEqual(counter, {
    method: 'answerCallbackQuery',
    payload: { callback_query_id: counter?.payload.callback_query_id },
  });

  const outOfRange = await bot.press(user, 'faq:99');
  assert.deepEqual(
    outOfRange.map((c) => c.method),
    ['answerCallbackQuery'],
  );
});

test('/support opens the FAQ as a new message', async () => {
  const bot = harness();
  const [reply] = await bot.sendText(newUser(), '/support');
  assert.equal(reply?.method, 'sendMessage');
  assert.match(textOf(reply), /Comment acheter un produit/);
});

test('a quick burst goes through; past it, messages get one friendly answer and presses a small alert', async () => {
  // One token a minute after the burst: nothing refills while the test runs.
  const bot = harness({ rateLimit: { burst: 5, perMinute: 1 } });
  const user = newUser();
  for (let i = 0; i < 5; i++) {
    const calls = await bot.sendText(user, '/help');
    assert.equal(calls.length, 1);
    assert.match(textOf(calls[0]), /Aide/);
  }
  const [refused, ...more] = await bot.sendText(user, '/help');
  assert.equal(more.length, 0);
  assert.match(
    textOf(refused),
    /^Doucement 🙂 Vous allez un peu vite : réessayez dans (une seconde|\d+ secondes)\.$/,
  );
  assert.deepEqual(await bot.sendText(user, '/help'), [], 'one answer per streak of refused messages');
  const pressed = await bot.press(user, 'faq:2');
  assert.equal(pressed.length, 1);
  assert.equal(pressed[0]?.method, 'answerCallbackQuery');
  assert.match(
    String(pressed[0]?.payload.text),
    /réessayez dans/,
    'a refused press is answered, not dropped',
  );
  const other = await bot.sendText(newUser(), '/help');
  assert.match(textOf(other[0]), /Aide/, 'other users are not affected');
});

test('the default limit lets a person page quickly through a carousel', async () => {
  const bot = harness({ rateLimit: DEFAULT_RATE_LIMIT });
  const user = newUser();
  await bot.sendText(user, '/start');
  for (let i = 0; i < 25; i++) {
    const calls = await bot.press(user, `faq:${i % 16}`);
    assert.ok(
      calls.some((c) => c.method === 'editMessageText'),
      `press ${i + 1} shows the next entry`,
    );
  }
});

test('a failing handler is logged without secrets and the user gets a polite answer', async () => {
  // The product screen's service fails with a message that quotes the bot token.
  const failing = async () => {
    throw new Error('boom from 123456789:TEST-TOKEN-NEVER-SENT-ANYWHERE-xyz');
  };
  const bot = harness({ services: { ...services, catalog: { ...services.catalog, viewProduct: failing } } });
  const user = newUser({ language_code: 'en' });
  const [reply] = await bot.sendText(user, '/start product_P-7K3M9QXD4T');
  assert.equal(
    textOf(reply),
    'Sorry, something went wrong on our side. Please try again in a moment; if it keeps happening, contact support.',
  );
  const line = bot.logs.find((l) => l.msg === 'Bot update failed');
  assert.ok(line);
  assert.equal(line.userId, user.id);
  assert.equal(line.updateType, 'message');
  const logged = JSON.stringify(bot.logs);
  assert.doesNotMatch(logged, /TEST-TOKEN/);
  assert.match(logged, /boom from \[redacted\]/);

  // A button press whose screen cannot be drawn after the button was answered.
  bot.failNext('editMessageText', 'Bad Request: chat not found');
  await bot.sendText(user, '/start');
  const calls = await bot.press(user, 'sup');
  assert.deepEqual(
    calls.map((c) => c.method),
    ['answerCallbackQuery', 'editMessageText', 'answerCallbackQuery', 'sendMessage'],
    'the button was already answered (Telegram refuses a second answer), so the apology goes to the chat',
  );
});

test('stale, unknown or forged buttons are answered politely and change nothing', async () => {
  const bot = harness();
  const user = newUser({ language_code: 'en' });
  for (const data of ['buy_product_P-1_Finance & Crypto_3', 'lang:de', 'old_menu']) {
    const calls = await bot.press(user, data);
    assert.deepEqual(calls, [
      {
        method: 'answerCallbackQuery',
        payload: {
          callback_query_id: calls[0]?.payload.callback_query_id,
          text: 'This button is no longer available. Please open the menu again.',
        },
      },
    ]);
  }
});

test('a non-admin pressing an admin button or typing /admin gets nothing about admin', async () => {
  const bot = harness();
  const admin = telegramUser(ADMIN, { language_code: 'en' });
  const [menu] = await bot.sendText(admin, '/admin');
  assert.match(textOf(menu), /Administration/);
  const refreshed = await bot.press(admin, 'adm');
  assert.ok(refreshed.some((c) => c.method === 'editMessageText' && /Administration/.test(textOf(c))));

  const intruder = newUser({ language_code: 'en' });
  const pressed = await bot.press(intruder, 'adm');
  assert.deepEqual(
    pressed.map((c) => c.method),
    ['answerCallbackQuery'],
  );
  assert.doesNotMatch(JSON.stringify(pressed), /Administration/);
  const typed = await bot.sendText(intruder, '/admin');
  assert.deepEqual(
    typed.map((c) => c.method),
    ['sendMessage'],
  );
  assert.doesNotMatch(textOf(typed[0]), /Administration/);
});

test('every callback data the bot sent is at most 64 bytes', async () => {
  const bot = harness();
  const user = newUser();
  await bot.sendText(user, '/start');
  await bot.sendText(user, '/help');
  await bot.press(user, 'sup');
  for (let i = 0; i < FAQ_ENTRIES; i++) await bot.press(user, `faq:${i}`);
  await bot.sendText(telegramUser(ADMIN), '/admin');
  const data = bot.allCallbackData();
  assert.ok(data.length > 20);
  for (const d of data) assert.ok(Buffer.byteLength(d) <= MAX_CALLBACK_BYTES, d);
});

test('commands are published per scope and language: private chats, /start in groups, /admin for admins', async () => {
  const bot = harness();
  await publishCommands(bot.bot.api, { adminIds: new Set([ADMIN]), log: createLogger('silent') });
  const published = bot.calls.filter((c) => c.method === 'setMyCommands');
  const menu = (type: string, language?: string, chatId?: number) => {
    const call = published.find((c) => {
      const scope = c.payload.scope as { type: string; chat_id?: number };
      return scope.type === type && c.payload.language_code === language && scope.chat_id === chatId;
    });
    assert.ok(call, `a ${type} menu in ${language ?? 'the default language'}`);
    return (call.payload.commands as { command: string }[]).map((c) => c.command);
  };
  const french = ['start', 'achat', 'vendre', 'library', 'stats', 'shop', 'help', 'support'];
  const english = ['start', 'buy', 'sell', 'library', 'stats', 'shop', 'help', 'support'];
  assert.deepEqual(menu('all_private_chats'), french, 'the default list is French');
  assert.deepEqual(menu('all_private_chats', 'fr'), french);
  assert.deepEqual(menu('all_private_chats', 'en'), english);
  assert.deepEqual(menu('all_group_chats'), ['start']);
  assert.deepEqual(menu('all_group_chats', 'en'), ['start']);
  assert.deepEqual(menu('chat', undefined, ADMIN), [...french, 'admin']);
  assert.deepEqual(menu('chat', 'en', ADMIN), [...english, 'admin']);
  assert.ok(
    published.every((c) => c.payload.scope !== undefined),
    'nothing in the default scope (every chat)',
  );
  for (const c of commandList(createTranslator(), 'en')) assert.ok(c.description.length <= 256);

  const descriptions = bot.calls.filter((c) => c.method === 'setMyDescription');
  const short = bot.calls.filter((c) => c.method === 'setMyShortDescription');
  assert.deepEqual(
    descriptions.map((c) => c.payload.language_code),
    [undefined, 'fr', 'en'],
  );
  assert.match(String(descriptions[2]?.payload.description), /marketplace/);
  assert.match(String(descriptions[0]?.payload.description), /place de marché/);
  assert.ok(descriptions.every((c) => String(c.payload.description).length <= 512));
  assert.ok(short.every((c) => String(c.payload.short_description).length <= 120));
  assert.equal(short.length, 3);
});

test('a menu Telegram refuses (an admin who never opened the bot: chat not found) is logged; the others still go', async () => {
  const bot = harness();
  bot.failNext('setMyCommands', 'Bad Request: chat not found');
  const lines: { msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  await publishCommands(bot.bot.api, { adminIds: new Set([ADMIN]), log: createLogger('info', sink) });
  assert.equal(bot.calls.filter((c) => c.method === 'setMyCommands').length, 9);
  assert.equal(lines.filter((l) => l.msg === 'Could not publish to Telegram').length, 1);
});

test('a session-less update (no sender) does not break the bot', async () => {
  const bot = harness();
  const calls = await bot.handle({
    channel_post: { message_id: 1, date: 0, chat: { id: -100, type: 'channel', title: 'c' }, text: 'hi' },
  } as never);
  assert.deepEqual(calls, []);
  assert.equal(bot.logs.filter((l) => l.level >= 50).length, 0);
});

// Keeps the compiler honest about the context type the features receive.
export type _Context = BotContext;
