// Two instances of the real bot on one database, as two webhook replicas behind a load balancer
// (issue 12 item 3): one user presses FR on one and EN on the other at the same moment. With chat
// leases (webhook mode) the presses run one after the other and both land; without them the
// sessions' compare-and-set still refuses the later write and says so, rather than losing it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Update } from 'grammy/types';
import { createBot } from '../../src/bot/create-bot.ts';
import { migrate } from '../../src/db/index.ts';
import { FAKE_BOT_INFO } from '../../src/dev/telegram/fake-telegram.ts';
import { createLogger } from '../../src/log.ts';
import { readSession, writeSession } from '../../src/repositories/sessions.ts';
import { API_BOT_INFO, BotApiServer } from '../support/bot-api.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { testServices } from '../support/services.ts';

const TOKEN = '123456:TEST-token-for-the-two-instance-tests';
const db = testDatabase(await freshDatabase(), { max: 4 });
await migrate(db);
const services = await testServices(db);

async function instances(chatLeases: boolean) {
  const api = await BotApiServer.start();
  // Each press waits on Telegram while the other instance handles its own.
  api.slow.set('answerCallbackQuery', 300);
  const bot = () =>
    createBot({
      token: TOKEN,
      botInfo: { ...FAKE_BOT_INFO, id: API_BOT_INFO.id },
      apiRoot: api.url,
      services,
      log: createLogger('silent'),
      settings: { publicUrl: 'https://agora.example', payCurrencies: [] },
      chatLeases,
    });
  return { api, a: bot(), b: bot() };
}

let nextUpdate = 1;
const press = (userId: number, data: string): Update =>
  ({
    update_id: nextUpdate++,
    callback_query: {
      id: `q${nextUpdate}`,
      from: { id: userId, is_bot: false, first_name: 'Ana', language_code: 'fr' },
      chat_instance: 'ci',
      data,
      message: {
        message_id: 5,
        date: 0,
        chat: { id: userId, type: 'private', first_name: 'Ana' },
        text: 'menu',
      },
    },
  }) as Update;

const shown = (api: BotApiServer) =>
  api.calls.flatMap((c) => [String(c.payload.text ?? '')]).filter((text) => text.length > 0);

test('with chat leases, simultaneous presses on two instances both land, one after the other', async () => {
  const { api, a, b } = await instances(true);
  const userId = 8101;
  await Promise.all([a.handleUpdate(press(userId, 'lang:fr')), b.handleUpdate(press(userId, 'lang:en'))]);
  assert.ok(!shown(api).some((text) => /au même moment|same moment/.test(text)), 'no conflict');
  const language = (await readSession<{ language?: string }>(db, `user:${userId}`))?.language;
  assert.ok(language === 'fr' || language === 'en');
  assert.equal(await db.maybeOne('SELECT name FROM bot_leases'), null);
});

test('without them, the later write is refused and the user is told, never silently overwritten', async () => {
  const { api, a, b } = await instances(false);
  const userId = 8102;
  await writeSession(db, `user:${userId}`, {});
  await Promise.all([a.handleUpdate(press(userId, 'lang:en')), b.handleUpdate(press(userId, 'lang:fr'))]);
  const conflicts = shown(api).filter((text) => /au même moment|same moment/.test(text));
  assert.equal(conflicts.length, 1, 'one of the two presses was refused, and said so');
  const language = (await readSession<{ language?: string }>(db, `user:${userId}`))?.language;
  assert.ok(language === 'fr' || language === 'en', 'the other press stays');
});
