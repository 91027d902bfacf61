// With a bot token and Telegram unreachable at start, the bot start is retried with backoff while
// the rest serves, and /readyz says so (issue 15, finding 7). Telegram is a local HTTP server
// speaking the Bot API (grammY's `client.apiRoot`), or a closed port.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { Bot } from 'grammy';
import type { BotContext } from '../../src/bot/context.ts';
import { startBotWithRetries } from '../../src/bot/run.ts';
import { loadConfig } from '../../src/config.ts';
import { buildServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthService } from '../../src/services/health.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

const TOKEN = '123456:TEST-token-for-the-bot-start-tests';
const log = createLogger('silent');
const RETRY = { firstDelayMs: 50, maxDelayMs: 400, attemptTimeoutMs: 2_000 };
const WEBHOOK = {
  mode: 'webhook',
  url: 'https://agora.example/telegram/webhook',
  secretToken: 's'.repeat(32),
} as const;

const ME = {
  id: 42,
  is_bot: true,
  first_name: 'Agora',
  username: 'agora_test_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

/** A Bot API that answers `status` to the first `failures` calls, then serves getMe and the webhook calls. */
async function telegramApi(failures: number, status = 502) {
  const calls: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const method = request.url?.split('/').at(-1) ?? '';
    calls.push(method);
    request.resume();
    response.setHeader('content-type', 'application/json');
    if (calls.length <= failures) {
      response.statusCode = status;
      return response.end(JSON.stringify({ ok: false, error_code: status, description: 'Bad Gateway' }));
    }
    response.end(JSON.stringify({ ok: true, result: method === 'getMe' ? ME : true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const botOn = (apiRoot: string) => new Bot<BotContext>(TOKEN, { client: { apiRoot } });

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    assert.ok(Date.now() < deadline, 'in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('Telegram failing at start: retried with growing delays, then the bot runs', async () => {
  const api = await telegramApi(3);
  const starting = startBotWithRetries(botOn(api.apiRoot), { ...WEBHOOK, concurrency: 2, log }, RETRY);
  after(() => starting.stop());
  assert.equal(starting.state(), 'starting');
  await until(() => starting.state() === 'retrying');
  await until(() => starting.state() === 'running');
  assert.deepEqual(api.calls.slice(0, 4), ['getMe', 'getMe', 'getMe', 'getMe']);
  assert.ok(api.calls.includes('setWebhook'));
});

test('Telegram unreachable: /readyz is 503 with the bot retrying, /livez 200; a stop ends the retries', async () => {
  const db = testDatabase(await freshDatabase(), { max: 2 });
  const starting = startBotWithRetries(botOn(await closedPort()), { ...WEBHOOK, concurrency: 2, log }, RETRY);
  const metrics = createMetrics(db);
  const http = buildServer({
    log,
    settings: loadConfig({}).http,
    publicUrl: 'http://localhost:3000',
    metrics,
    health: {
      health: createHealthService({ db, timeoutMs: 1_000 }),
      bot: () => starting.state(),
      details: 'loopback',
    },
  });
  after(() => http.close());
  await until(() => starting.state() === 'retrying');
  const ready = await http.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  assert.deepEqual(ready.json(), { status: 'unavailable', database: 'up', bot: 'retrying' });
  assert.equal((await http.inject({ method: 'GET', url: '/livez' })).statusCode, 200);

  await starting.stop();
  const state = starting.state();
  await new Promise((resolve) => setTimeout(resolve, RETRY.maxDelayMs * 2));
  assert.equal(starting.state(), state, 'no attempt after the stop');
});

test('a token Telegram refuses is not retried: failed', async () => {
  const api = await telegramApi(1_000, 401);
  const starting = startBotWithRetries(botOn(api.apiRoot), { ...WEBHOOK, concurrency: 2, log }, RETRY);
  after(() => starting.stop());
  await until(() => starting.state() === 'failed');
  await new Promise((resolve) => setTimeout(resolve, RETRY.maxDelayMs));
  assert.deepEqual(api.calls, ['getMe']);
});
