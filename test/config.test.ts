// Settings are validated at start, with one clear line per problem, named by variable.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { deriveWebhookSecret } from '../src/bot/run.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createStorage } from '../src/storage/index.ts';

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

test('upload URLs signed by one instance are accepted by another: the key comes from the bot token', async () => {
  const token = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi';
  const dir = await mkdtemp(join(tmpdir(), 'agora-config-uploads-'));
  after(() => rm(dir, { recursive: true, force: true }));
  const env = { TELEGRAM_BOT_TOKEN: token, STORAGE_DIR: dir, DB_TRANSACTION_POOLER: 'true' };
  const [first, second] = [loadConfig(env), loadConfig(env)];
  const secret = first.storage.uploadSigningSecret;
  assert.ok(secret && secret.length >= 32);
  assert.ok(!secret.includes(token) && secret !== deriveWebhookSecret(token), 'a key of its own');
  const key = 'products/1/P-7K3M9QXD4T/file/0123456789abcdef0123-guide.pdf';
  const target = await createStorage(first.storage).uploadUrl(key, {
    contentType: 'application/pdf',
    size: 3,
    expiresInSec: 600,
  });
  const signed = target.url.split('/uploads/')[1] as string;
  const other = createStorage(second.storage);
  assert.ok(other.driver === 'local');
  assert.equal(other.verifyUploadToken(signed).key, key);
  const configured = loadConfig({ ...env, UPLOAD_SIGNING_SECRET: 's'.repeat(40) });
  assert.equal(configured.storage.uploadSigningSecret, 's'.repeat(40), 'a configured secret wins');
});

test('several instances (a transaction pooler) with local storage and no secret to sign uploads with are refused', () => {
  for (const env of [
    { DB_TRANSACTION_POOLER: 'true' },
    { DATABASE_URL: 'postgres://agora@127.0.0.1:6432/agora?pgbouncer=true' },
  ]) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((p) => /^UPLOAD_SIGNING_SECRET: required with several instances/.test(p)),
    );
  }
  assert.equal(loadConfig({}).storage.uploadSigningSecret, undefined, 'one instance may use a random key');
  const s3 = {
    DB_TRANSACTION_POOLER: 'true',
    STORAGE_DRIVER: 's3',
    S3_BUCKET: 'agora',
    S3_REGION: 'eu-west-1',
    S3_ACCESS_KEY_ID: 'key',
    S3_SECRET_ACCESS_KEY: 'secret',
  };
  assert.equal(loadConfig(s3).storage.driver, 's3', 'S3 signs its own URLs');
});
