import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nowPaymentsSettingsSchema } from '../../src/integrations/nowpayments/index.ts';

test('no API key: simulator mode with the defaults', () => {
  assert.deepEqual(nowPaymentsSettingsSchema.parse({ NOWPAYMENTS_API_KEY: '  ' }), {
    mode: 'simulator',
    apiKey: undefined,
    ipnSecret: undefined,
    baseUrl: 'https://api.nowpayments.io/v1',
    timeoutMs: 10_000,
    payCurrencies: ['btc', 'eth', 'sol', 'usdtsol', 'usdcsol'],
  });
});

test('an API key: live mode, which needs the IPN secret', () => {
  const live = nowPaymentsSettingsSchema.parse({
    NOWPAYMENTS_API_KEY: 'ABCDEFG-1234567',
    NOWPAYMENTS_IPN_SECRET: 'ipn-secret-value',
    NOWPAYMENTS_BASE_URL: 'https://api-sandbox.nowpayments.io/v1/',
    NOWPAYMENTS_TIMEOUT_MS: '5000',
    PAY_CURRENCIES: ' BTC, sol,,sol ',
  });
  assert.equal(live.mode, 'live');
  assert.equal(live.apiKey, 'ABCDEFG-1234567');
  assert.equal(live.baseUrl, 'https://api-sandbox.nowpayments.io/v1');
  assert.equal(live.timeoutMs, 5000);
  assert.deepEqual(live.payCurrencies, ['btc', 'sol']);

  const missing = nowPaymentsSettingsSchema.safeParse({ NOWPAYMENTS_API_KEY: 'ABCDEFG-1234567' });
  assert.equal(missing.success, false);
  assert.deepEqual(missing.error?.issues[0]?.path, ['NOWPAYMENTS_IPN_SECRET']);
});

test('bad values are refused by variable name', () => {
  for (const [name, value] of [
    ['NOWPAYMENTS_BASE_URL', 'ftp://api.example'],
    ['NOWPAYMENTS_TIMEOUT_MS', '10'],
    ['PAY_CURRENCIES', 'btc;eth'],
    ['PAY_CURRENCIES', ','],
  ] as const) {
    const result = nowPaymentsSettingsSchema.safeParse({ [name]: value });
    assert.equal(result.success, false, `${name}=${value}`);
    assert.equal(result.error?.issues[0]?.path[0], name);
  }
});
