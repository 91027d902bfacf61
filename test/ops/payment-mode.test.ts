// Payments run against the local simulator only by choice (issue 15, finding 2): a public
// PUBLIC_URL without NOWPayments keys is refused at start unless NOWPAYMENTS_MODE=simulator says
// so, and an IPN secret without its API key is a mistake, refused too.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

test('a public PUBLIC_URL without keys is refused, naming the way out', () => {
  const found = problems({ PUBLIC_URL: 'https://shop.example.com' });
  assert.equal(found.length, 1);
  assert.match(
    found[0] as string,
    /^NOWPAYMENTS_MODE: PUBLIC_URL \(https:\/\/shop\.example\.com\) is public/,
  );
  assert.match(found[0] as string, /NOWPAYMENTS_MODE=simulator/);
});

test('the simulator runs on a public URL when chosen, and by default only on loopback', () => {
  const chosen = loadConfig({ PUBLIC_URL: 'https://shop.example.com', NOWPAYMENTS_MODE: 'simulator' });
  assert.equal(chosen.payments.mode, 'simulator');
  assert.equal(chosen.payments.modeChosen, true);
  for (const publicUrl of [
    undefined,
    'http://localhost:8080',
    'http://127.0.0.1:3000',
    'http://[::1]:3000',
  ]) {
    const config = loadConfig(publicUrl ? { PUBLIC_URL: publicUrl } : {});
    assert.equal(config.payments.mode, 'simulator', String(publicUrl));
    assert.equal(config.payments.modeChosen, false);
  }
});

test('keys mean live payments; live without a key, or a secret without its key, is refused', () => {
  const live = loadConfig({
    PUBLIC_URL: 'https://shop.example.com',
    NOWPAYMENTS_API_KEY: 'live-key-12345',
    NOWPAYMENTS_IPN_SECRET: 'live-secret-12345',
  });
  assert.equal(live.payments.mode, 'live');
  assert.match(
    problems({ NOWPAYMENTS_MODE: 'live' }).join('\n'),
    /^NOWPAYMENTS_API_KEY: required with NOWPAYMENTS_MODE=live/m,
  );
  for (const mode of [{}, { NOWPAYMENTS_MODE: 'simulator' }] as Record<string, string>[]) {
    const found = problems({ NOWPAYMENTS_IPN_SECRET: 'secret-without-its-key', ...mode }).join('\n');
    assert.match(found, /^NOWPAYMENTS_IPN_SECRET: set without NOWPAYMENTS_API_KEY/m);
    assert.doesNotMatch(found, /secret-without-its-key/, 'the secret is not echoed');
  }
});

test('`npm start` with a public PUBLIC_URL and no keys stops before serving anything', async () => {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: new URL('../..', import.meta.url),
    env: { ...process.env, PUBLIC_URL: 'https://shop.example.com', PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const [code] = await once(child, 'exit');
  assert.equal(code, 1);
  assert.match(output, /NOWPAYMENTS_MODE: PUBLIC_URL \(https:\/\/shop\.example\.com\) is public/);
  assert.doesNotMatch(output, /Server listening/);
});
