// Webhook mode: Telegram POSTs updates to /telegram/webhook with the secret we registered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import {
  deriveWebhookSecret,
  secretMatches,
  startBot,
  telegramWebhookRoutes,
  WEBHOOK_PATH,
} from '../../src/bot/run.ts';
import { migrate } from '../../src/db/index.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { testServices } from '../support/services.ts';
import { BotHarness, telegramUser, textOf } from './harness.ts';

const db = testDatabase(await freshDatabase(), { max: 3 });
await migrate(db);

const SECRET = deriveWebhookSecret('123456789:TEST-TOKEN-NEVER-SENT-ANYWHERE-xyz');

async function server() {
  const harness = new BotHarness({ services: await testServices(db) });
  const app = Fastify();
  await app.register(telegramWebhookRoutes(harness.bot, { secretToken: SECRET }));
  return { harness, app };
}

const update = (user = telegramUser(7)) => ({
  update_id: 1,
  message: {
    message_id: 1,
    date: 0,
    chat: { id: user.id, type: 'private', first_name: user.first_name },
    from: user,
    text: '/help',
    entities: [{ type: 'bot_command', offset: 0, length: 5 }],
  },
});

test('the derived secret is stable, in Telegram alphabet, and compared exactly', () => {
  assert.equal(SECRET, deriveWebhookSecret('123456789:TEST-TOKEN-NEVER-SENT-ANYWHERE-xyz'));
  assert.match(SECRET, /^[A-Za-z0-9_-]{1,256}$/);
  assert.notEqual(SECRET, deriveWebhookSecret('other'));
  assert.equal(secretMatches(SECRET, SECRET), true);
  assert.equal(secretMatches(`${SECRET}x`, SECRET), false);
  assert.equal(secretMatches(undefined, SECRET), false);
  assert.equal(secretMatches(['a'], SECRET), false);
});

test('a wrong or missing secret token gets 401 and reaches no handler', async () => {
  const { harness, app } = await server();
  for (const headers of [{}, { 'x-telegram-bot-api-secret-token': 'wrong' }]) {
    const response = await app.inject({ method: 'POST', url: WEBHOOK_PATH, payload: update(), headers });
    assert.equal(response.statusCode, 401);
  }
  assert.deepEqual(harness.calls, []);
  await app.close();
});

test('the right secret token delivers the update to the bot', async () => {
  const { harness, app } = await server();
  const response = await app.inject({
    method: 'POST',
    url: WEBHOOK_PATH,
    payload: update(),
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
  });
  assert.equal(response.statusCode, 200);
  assert.match(textOf(harness.calls.find((c) => c.method === 'sendMessage')), /Aide/);
  await app.close();
});

test('webhook start registers the URL with the secret, bounded connections and the command menus', async () => {
  const harness = new BotHarness({ services: await testServices(db) });
  const running = await startBot(harness.bot, {
    mode: 'webhook',
    url: 'https://agora.example/telegram/webhook',
    secretToken: SECRET,
    concurrency: 20,
    log: (await import('pino')).pino({ level: 'silent' }),
  });
  const setWebhook = harness.calls.find((c) => c.method === 'setWebhook');
  assert.equal(setWebhook?.payload.url, 'https://agora.example/telegram/webhook');
  assert.equal(setWebhook?.payload.secret_token, SECRET);
  assert.equal(setWebhook?.payload.max_connections, 20);
  assert.deepEqual(setWebhook?.payload.allowed_updates, ['message', 'callback_query', 'my_chat_member']);
  assert.equal(
    harness.calls.filter((c) => c.method === 'setMyCommands').length,
    6,
    'private and group menus, default, fr and en',
  );
  await running.stop();
});
