// Bodies are read only after the cheap checks (issue 15, item 1): an IPN without its signature
// header, or a mini-app call without its initData header, is refused as soon as its headers
// arrive, its body unread and its connection closed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawSocket, startStack } from './stack.ts';

const stack = await startStack({}, { telegram: true });

/** Sends only the headers of a request announcing a large body, and waits for the answer. */
async function headersOnly(head: string) {
  const { socket, closed, received } = await rawSocket(stack.port);
  socket.write(`${head}Host: agora\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n`);
  const after = await closed;
  return { after, response: received() };
}

test('an IPN without x-nowpayments-sig is refused before its body', { timeout: 20_000 }, async () => {
  const { after, response } = await headersOnly('POST /ipn/nowpayments HTTP/1.1\r\n');
  assert.match(response, /^HTTP\/1\.1 401 /);
  assert.match(response, /"code":"invalid_signature"/);
  assert.match(response, /connection: close/i);
  assert.ok(after < 5_000, `answered and closed after ${after} ms, without waiting for 5 MB`);
});

test('a mini-app call without Authorization: tma is refused before its body', {
  timeout: 20_000,
}, async () => {
  const { after, response } = await headersOnly('POST /api/downloads HTTP/1.1\r\n');
  assert.match(response, /^HTTP\/1\.1 401 /);
  assert.match(response, /www-authenticate: tma/i);
  assert.match(response, /"code":"auth_required"/);
  assert.ok(after < 5_000, `answered and closed after ${after} ms`);
});

test('with the header, the body is read and judged as before', async () => {
  const response = await fetch(`${stack.url}/ipn/nowpayments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-nowpayments-sig': 'f'.repeat(128) },
    body: JSON.stringify({ payment_id: 1, payment_status: 'finished' }),
  });
  assert.equal(response.status, 401);
  assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'invalid_signature');
  const metrics = await stack.app.metrics.registry.metrics();
  assert.match(metrics, /^agora_ipn_notifications_total\{result="unauthorized"\} 2$/m);
});
