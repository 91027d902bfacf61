// The bot's life in the real app against a local Bot API server (TELEGRAM_API_URL): a shutdown
// finishes the updates being handled, a 409 from getUpdates is survived, polling neither
// replaces another deployment's webhook nor runs on two instances at once (issue 17 items 2,
// 3, 9; issue 12 item 3).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import Fastify from 'fastify';
import { Bot } from 'grammy';
import type { BotContext } from '../../src/bot/context.ts';
import { createBot } from '../../src/bot/create-bot.ts';
import { InFlightUpdates } from '../../src/bot/in-flight.ts';
import { SECRET_HEADER, startBot, telegramWebhookRoutes, WEBHOOK_PATH } from '../../src/bot/run.ts';
import { migrate } from '../../src/db/index.ts';
import { FAKE_BOT_INFO } from '../../src/dev/telegram/fake-telegram.ts';
import { createLogger } from '../../src/log.ts';
import { createLeaseService } from '../../src/services/leases.ts';
import { API_BOT_INFO, BotApiServer } from '../support/bot-api.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { testServices } from '../support/services.ts';
import { type Stack, startStack } from './stack.ts';

const TOKEN = '123456:TEST-token-for-the-bot-runtime-tests';

const user = (id: number) => ({ id, is_bot: false, first_name: `User${id}`, language_code: 'en' });

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, 'in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
after(() => assert.deepEqual(unhandled, [], 'no unhandled rejection'));

async function polling(api: BotApiServer, settings: Record<string, string> = {}): Promise<Stack> {
  return startStack({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_URL: api.url, ...settings });
}

const ready = async (stack: Stack) => (await fetch(`${stack.url}/readyz`)).json() as Promise<{ bot: string }>;
const logged = (stack: Stack, msg: string) => stack.logs.filter((line) => line.msg === msg);

test('a shutdown during a slow handler finishes it: its reply goes out, its session write lands', async () => {
  const api = await BotApiServer.start();
  const databaseUrl = await freshDatabase();
  const stack = await polling(api, { DATABASE_URL: databaseUrl });
  await until(async () => (await ready(stack)).bot === 'running');
  api.slow.set('sendMessage', 1_000);
  api.type(user(555), '/help');
  await until(() => api.callsTo('sendMessage').length > 0);

  await stack.app.close();
  assert.equal(
    api.callsTo('sendMessage')[0]?.answered,
    true,
    'the reply was answered before the close ended',
  );
  const db = testDatabase(databaseUrl, { max: 1 });
  after(() => db.close());
  const session = await db.maybeOne<{ value: { recorded?: string } }>(
    "SELECT value FROM bot_sessions WHERE key = 'user:555'",
  );
  assert.ok(session?.value.recorded, 'the session written after the reply is there');
  assert.equal(await db.maybeOne('SELECT name FROM bot_leases'), null, 'the poller lease is released');
});

test('409 Conflict from getUpdates is logged and polled again later; the HTTP server keeps serving', async () => {
  const api = await BotApiServer.start();
  api.conflicts = 2;
  const stack = await polling(api);
  await until(
    () =>
      logged(
        stack,
        'Telegram answered 409 Conflict: another process polls this bot (or set a webhook); polling again later',
      ).length === 1,
  );
  assert.equal((await fetch(`${stack.url}/livez`)).status, 200);
  await until(() => api.conflicts === 0);
  api.type(user(556), '/help');
  await until(() => api.callsTo('sendMessage').length === 1, 20_000);
  assert.equal((await fetch(`${stack.url}/livez`)).status, 200);
  assert.equal(
    logged(
      stack,
      'Telegram answered 409 Conflict: another process polls this bot (or set a webhook); polling again later',
    ).length,
    2,
  );
});

test("polling refuses to delete another deployment's webhook unless TELEGRAM_REPLACE_WEBHOOK=true", async () => {
  const api = await BotApiServer.start();
  api.webhookUrl = 'https://other.example/telegram/webhook';
  const refusing = await polling(api);
  await until(async () => (await ready(refusing)).bot === 'failed');
  const [refusal] = logged(refusing, 'Telegram refused the bot start: not retried');
  assert.match(
    String((refusal?.err as { message?: string } | undefined)?.message),
    /other\.example.*TELEGRAM_REPLACE_WEBHOOK=true/s,
  );
  assert.equal(api.callsTo('deleteWebhook').length, 0);
  assert.equal(api.webhookUrl, 'https://other.example/telegram/webhook');
  await refusing.app.close();

  const replacing = await polling(api, { TELEGRAM_REPLACE_WEBHOOK: 'true' });
  await until(async () => (await ready(replacing)).bot === 'running');
  assert.equal(api.callsTo('deleteWebhook').length, 1);
  assert.equal(api.webhookUrl, '');
});

test('a second instance polling the same bot waits for the lease, and takes over when the first stops', async () => {
  const api = await BotApiServer.start();
  const databaseUrl = await freshDatabase();
  const first = await polling(api, { DATABASE_URL: databaseUrl });
  await until(async () => (await ready(first)).bot === 'running');
  const second = await polling(api, { DATABASE_URL: databaseUrl });
  await until(async () => (await ready(second)).bot === 'retrying');
  const [waiting] = logged(second, 'Another instance polls this bot: waiting for its lease');
  assert.match(
    String((waiting?.err as { message?: string } | undefined)?.message),
    /already long-polls this bot/,
  );
  const polls = api.callsTo('getUpdates').length;
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  // Only the first polls: about two long polls of 500 ms each, not twice as many.
  assert.ok(api.callsTo('getUpdates').length - polls <= 4);

  await first.app.close();
  await until(async () => (await ready(second)).bot === 'running', 20_000);
  api.type(user(557), '/help');
  await until(() => api.callsTo('sendMessage').length === 1);
});

test('webhook mode: a handler still running after the webhook was answered is waited for', async () => {
  const api = await BotApiServer.start();
  api.slow.set('sendMessage', 800);
  const db = testDatabase(await freshDatabase(), { max: 2 });
  after(() => db.close());
  await migrate(db);
  const inFlight = new InFlightUpdates();
  const bot = createBot({
    token: TOKEN,
    botInfo: { ...API_BOT_INFO, ...FAKE_BOT_INFO, id: API_BOT_INFO.id },
    apiRoot: api.url,
    services: await testServices(db),
    log: createLogger('silent'),
    settings: { publicUrl: 'https://agora.example', payCurrencies: [] },
    inFlight,
  });
  const http = Fastify();
  after(() => http.close());
  const secretToken = 's'.repeat(32);
  await http.register(telegramWebhookRoutes(bot, { secretToken, timeoutMs: 100 }));
  const from = user(558);
  const response = await http.inject({
    method: 'POST',
    url: WEBHOOK_PATH,
    headers: { [SECRET_HEADER]: secretToken },
    payload: {
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: from.id, type: 'private', first_name: from.first_name },
        from,
        text: '/help',
        entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    },
  });
  assert.equal(response.statusCode, 200, 'Telegram got its answer in time');
  assert.equal(inFlight.count, 1, 'the handler still runs');
  await inFlight.drain(5_000, createLogger('silent'));
  assert.equal(api.callsTo('sendMessage')[0]?.answered, true);
  assert.ok(
    await db.maybeOne("SELECT 1 FROM bot_sessions WHERE key = 'user:558'"),
    'its session write landed',
  );
});

test('a poller that lost its lease stops polling, and polls again once it takes the lease back', async () => {
  const api = await BotApiServer.start();
  const db = testDatabase(await freshDatabase(), { max: 2 });
  after(() => db.close());
  await migrate(db);
  const lines: { msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const bot = new Bot<BotContext>(TOKEN, { client: { apiRoot: api.url } });
  const running = await startBot(bot, {
    mode: 'polling',
    concurrency: 2,
    log: createLogger('info', sink),
    leases: createLeaseService({ db }),
    leaseTtlMs: 300,
  });
  // Another instance took it while this one could not renew (say, the database was unreachable).
  await db.exec("UPDATE bot_leases SET holder = 'other-instance', expires_at = now() + interval '1 second'");
  await until(() =>
    lines.some((l) => l.msg.startsWith('The poller lease expired and another instance took it')),
  );
  const stoppedAt = api.callsTo('getUpdates').length;
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.ok(api.callsTo('getUpdates').length <= stoppedAt + 1, 'no polling without the lease');
  await until(() => lines.some((l) => l.msg === 'Poller lease taken again: polling resumes'));
  await until(() => api.callsTo('getUpdates').length > stoppedAt + 1);
  const holder = await db.one<{ holder: string }>('SELECT holder FROM bot_leases');
  assert.notEqual(holder.holder, 'other-instance');
  await running.stop();
  assert.equal(await db.maybeOne('SELECT holder FROM bot_leases'), null, 'given back at the stop');
});
