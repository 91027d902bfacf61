// Settings are validated at start, with one clear line per problem, named by variable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

test('defaults need no variable at all', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.pool.max, 10);
  assert.equal(config.bot.token, undefined, 'no token: the bot is off');
  assert.equal(config.payments.mode, 'simulator');
  assert.equal(config.storage.publicUrl, 'http://localhost:3000');
});

test('admin ids, bot and public URL are parsed', () => {
  const config = loadConfig({
    ADMIN_IDS: '111, 222',
    TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi',
    PUBLIC_URL: 'https://shop.example.com',
    NOWPAYMENTS_MODE: 'simulator',
    PORT: '8080',
  });
  assert.deepEqual([...config.bot.adminIds], [111, 222]);
  assert.equal(config.storage.publicUrl, 'https://shop.example.com');
  assert.equal(config.port, 8080);
});

test('every problem is reported at once, by variable name', () => {
  const error = (() => {
    try {
      loadConfig({
        PORT: 'eighty',
        DB_POOL_MAX: '0',
        ADMIN_IDS: 'alice',
        WEBHOOK_URL: 'http://insecure.example.com',
        NOWPAYMENTS_API_KEY: 'live-key-without-secret',
      });
    } catch (e) {
      return e;
    }
  })();
  assert.ok(error instanceof ConfigError);
  const text = error.problems.join('\n');
  for (const name of ['PORT', 'DB_POOL_MAX', 'ADMIN_IDS', 'WEBHOOK_URL', 'NOWPAYMENTS_IPN_SECRET']) {
    assert.match(text, new RegExp(name), `${name} is named`);
  }
  assert.doesNotMatch(text, /live-key-without-secret/, 'secrets are not echoed back');
});

test('an https WEBHOOK_URL must use a port Telegram delivers to: 443, 80, 88 or 8443', () => {
  for (const url of [
    'https://bot.example',
    'https://bot.example:443/x',
    'https://bot.example:88',
    'https://bot.example:8443',
  ]) {
    assert.equal(loadConfig({ WEBHOOK_URL: url }).bot.webhookUrl, url);
  }
  assert.throws(
    () => loadConfig({ WEBHOOK_URL: 'https://bot.example:3000' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.problems.length === 1 &&
      /^WEBHOOK_URL: .*443, 80, 88, 8443/.test(error.problems[0] ?? ''),
  );
});

test('polling keeps a webhook found registered unless TELEGRAM_REPLACE_WEBHOOK=true; the Bot API root can be self-hosted', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.bot.replaceWebhook, false);
  assert.equal(defaults.bot.apiUrl, 'https://api.telegram.org');
  const set = loadConfig({ TELEGRAM_REPLACE_WEBHOOK: 'true', TELEGRAM_API_URL: 'http://bot-api:8081/' });
  assert.equal(set.bot.replaceWebhook, true);
  assert.equal(set.bot.apiUrl, 'http://bot-api:8081');
});
