// The local chat page answers only to this machine, and only when no Telegram token is set and
// PUBLIC_URL is loopback: the app as `npm start` runs it (startApp), reached over real sockets.
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { startStack } from '../ops/stack.ts';

/** An address of this machine that is not loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

test('without a token: /dev/chat on loopback, 403 from another address or through a proxy', async () => {
  const stack = await startStack({ HOST: '0.0.0.0' });
  const local = await fetch(`http://127.0.0.1:${stack.port}/dev/chat`);
  assert.equal(local.status, 200);
  assert.match(await local.text(), /<title>Agora · local chat<\/title>/);
  const people = await fetch(`http://127.0.0.1:${stack.port}/dev/chat/api/people`);
  assert.equal(people.status, 200);

  const proxied = await fetch(`http://127.0.0.1:${stack.port}/dev/chat/api/people`, {
    headers: { 'x-forwarded-for': '203.0.113.7' },
  });
  assert.equal(proxied.status, 403);
  assert.equal(((await proxied.json()) as { error: { code: string } }).error.code, 'forbidden');

  if (outsideAddress) {
    const remote = await fetch(`http://${outsideAddress}:${stack.port}/dev/chat`);
    assert.equal(remote.status, 403, `from ${outsideAddress}`);
  }
  const line = stack.logs.find((l) => String(l.chat ?? '').endsWith('/dev/chat'));
  assert.ok(line, 'the log says where the chat page is');
});

test('with a token the page does not exist', async () => {
  const stack = await startStack({ TELEGRAM_BOT_TOKEN: `123456:${'A'.repeat(35)}` });
  assert.equal((await fetch(`${stack.url}/dev/chat`)).status, 404);
  assert.equal((await fetch(`${stack.url}/dev/chat/api/people`)).status, 404);
});

test('with a public PUBLIC_URL the page is off, and the log says why', async () => {
  const stack = await startStack({ PUBLIC_URL: 'https://shop.example.com', NOWPAYMENTS_MODE: 'simulator' });
  assert.equal((await fetch(`${stack.url}/dev/chat`)).status, 404);
  const readiness = (await (await fetch(`${stack.url}/readyz`)).json()) as { bot: string };
  assert.equal(readiness.bot, 'off');
  assert.ok(
    stack.logs.some((l) => /local chat page \/dev\/chat needs a loopback PUBLIC_URL/.test(String(l.msg))),
  );
});
