// Calls to Telegram are retried within bounds (issue 17 item 9): network failures only for
// methods that can be repeated, a few times; a send whose answer was lost is not sent again;
// flood waits a few times. Telegram is a local HTTP server (grammY's apiRoot).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { Bot, GrammyError, HttpError } from 'grammy';
import { apiRetries } from '../../src/bot/api-retry.ts';
import { createBot } from '../../src/bot/create-bot.ts';
import { migrate } from '../../src/db/index.ts';
import { createLogger } from '../../src/log.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { testServices } from '../support/services.ts';
import { BOT_INFO } from './harness.ts';

const TOKEN = '123456:TEST-token-for-the-api-retry-tests';
const log = createLogger('silent');
// Before the first test: a test that ends while the file still awaits its set-up lets the runner
// close the pools under it.
const db = testDatabase(await freshDatabase(), { min: 0, max: 2 });
await migrate(db);

/** A Bot API that drops the connection (no answer at all), or answers `status`, counting calls per method. */
async function failingApi(failure: 'drop' | { status: number; retryAfter?: number }) {
  const calls = new Map<string, number>();
  const server = createServer((request, response) => {
    const method = request.url?.split('/').at(-1) ?? '';
    calls.set(method, (calls.get(method) ?? 0) + 1);
    request.resume();
    if (failure === 'drop') return void request.socket.destroy();
    response.statusCode = failure.status;
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        ok: false,
        error_code: failure.status,
        description: 'failure',
        ...(failure.retryAfter === undefined ? {} : { parameters: { retry_after: failure.retryAfter } }),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

test('a network failure is retried a bounded number of times for a repeatable method, never for a send', async () => {
  const api = await failingApi('drop');
  const bot = new Bot(TOKEN, { botInfo: BOT_INFO, client: { apiRoot: api.apiRoot } });
  bot.api.config.use(apiRetries(log, { maxRetryAttempts: 3, maxDelaySeconds: 30, networkDelayMs: 10 }));
  await assert.rejects(bot.api.getChat(7), HttpError);
  assert.equal(api.calls.get('getChat'), 4, 'the first try and 3 retries');
  await assert.rejects(bot.api.sendMessage(7, 'hello'), HttpError);
  assert.equal(api.calls.get('sendMessage'), 1, 'it may have arrived: not sent twice');
});

test("the bot's own settings: a send failing with 5xx or no answer fails at once; flood waits end after 3 retries", async () => {
  const services = await testServices(db);
  const botOn = (apiRoot: string) =>
    createBot({
      token: TOKEN,
      botInfo: BOT_INFO,
      apiRoot,
      services,
      log,
      settings: { publicUrl: 'https://x', payCurrencies: [] },
    });

  const dropping = await failingApi('drop');
  await assert.rejects(botOn(dropping.apiRoot).api.sendMessage(7, 'hello'), HttpError);
  assert.equal(dropping.calls.get('sendMessage'), 1);

  const failing = await failingApi({ status: 502 });
  await assert.rejects(botOn(failing.apiRoot).api.sendMessage(7, 'hello'), GrammyError);
  assert.equal(failing.calls.get('sendMessage'), 1);

  const flooded = await failingApi({ status: 429, retryAfter: 0 });
  await assert.rejects(botOn(flooded.apiRoot).api.sendMessage(7, 'hello'), (error: unknown) => {
    return error instanceof GrammyError && error.error_code === 429;
  });
  assert.equal(flooded.calls.get('sendMessage'), 4, 'the first try and 3 retries, then the error');
});
