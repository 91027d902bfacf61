// Slow clients cannot hold sockets (issue 15, finding 1): half-sent headers, a silent socket, an
// IPN body dripped byte by byte and an idle keep-alive connection are all closed within their
// configured time; connections past the cap are refused; a streamed upload whose chunks keep
// coming is not cut by the body deadline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawSocket, startStack } from './stack.ts';

const TIMEOUT_MS = 1_000;
const stack = await startStack({
  HTTP_HEADERS_TIMEOUT_MS: String(TIMEOUT_MS),
  HTTP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: String(TIMEOUT_MS),
  HTTP_IDLE_TIMEOUT_MS: '4000',
  HTTP_MAX_CONNECTIONS: '12',
});
// Generous against a busy machine, and far below "never" (190 s observed before).
const CLOSED_WITHIN_MS = 6_000;

/** Writes one byte every `everyMs` until the socket closes; returns how many went out. */
function drip(socket: import('node:net').Socket, text: string, everyMs: number): () => number {
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) return clearInterval(timer);
    socket.write(text[sent % text.length] as string);
    sent++;
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
  return () => sent;
}

test('half-sent headers, dripped a byte at a time, are cut at the headers timeout', {
  timeout: 20_000,
}, async () => {
  const { socket, closed } = await rawSocket(stack.port);
  socket.write('GET /livez HTTP/1.1\r\nHost: agora\r\nX-Slow: ');
  const sent = drip(socket, 'abcdefgh', 200);
  const after = await closed;
  assert.ok(after >= TIMEOUT_MS * 0.9, `closed after ${after} ms, not before the timeout`);
  assert.ok(after < CLOSED_WITHIN_MS, `closed after ${after} ms`);
  assert.ok(sent() >= 3, 'the client kept sending');
});

test('a connection that sends nothing is closed at the headers timeout', { timeout: 20_000 }, async () => {
  const { closed } = await rawSocket(stack.port);
  const after = await closed;
  assert.ok(after < CLOSED_WITHIN_MS, `closed after ${after} ms`);
});

test('an IPN body dripped byte by byte is cut at the request timeout with a 408', {
  timeout: 20_000,
}, async () => {
  const { socket, closed, received } = await rawSocket(stack.port);
  socket.write(
    'POST /ipn/nowpayments HTTP/1.1\r\nHost: agora\r\nContent-Type: application/json\r\n' +
      'x-nowpayments-sig: 00\r\nContent-Length: 400\r\n\r\n{',
  );
  const sent = drip(socket, '"payment_status":"finished",', 150);
  const after = await closed;
  assert.ok(after >= TIMEOUT_MS * 0.9, `closed after ${after} ms, not before the timeout`);
  assert.ok(after < CLOSED_WITHIN_MS, `closed after ${after} ms`);
  assert.ok(sent() >= 4, 'the body was still arriving');
  assert.match(received(), /^HTTP\/1\.1 408 /);
  assert.ok(
    stack.logs.some((line) => line.msg === 'Request body not received in time: connection closed'),
    'the operator sees why',
  );
});

test('an idle keep-alive connection is closed at the keep-alive timeout', { timeout: 20_000 }, async () => {
  const { socket, closed, received } = await rawSocket(stack.port);
  socket.write('GET /livez HTTP/1.1\r\nHost: agora\r\n\r\n');
  const after = await closed;
  assert.match(received(), /^HTTP\/1\.1 200 /);
  assert.ok(after < CLOSED_WITHIN_MS, `closed after ${after} ms`);
});

test('connections past HTTP_MAX_CONNECTIONS are closed as they arrive', async () => {
  const held = await Promise.all(Array.from({ length: 12 }, () => rawSocket(stack.port)));
  const extra = await rawSocket(stack.port);
  const refusedAfter = await extra.closed;
  const stillOpen = held.filter(({ socket }) => !socket.destroyed).length;
  assert.ok(refusedAfter < TIMEOUT_MS * 0.9, `the 13th was closed after ${refusedAfter} ms`);
  assert.equal(stillOpen, 12, 'the first twelve are served');
  await Promise.all(
    held.map(({ socket, closed }) => {
      socket.destroy();
      return closed;
    }),
  );
  // The server notices the closes a moment later; then new connections are served again.
  for (let tries = 0; ; tries++) {
    const probe = await rawSocket(stack.port);
    probe.socket.write('GET /livez HTTP/1.1\r\nHost: agora\r\nConnection: close\r\n\r\n');
    await probe.closed;
    if (/^HTTP\/1\.1 200 /.test(probe.received())) break;
    assert.ok(tries < 50, 'connections are served again once the others are gone');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});

test('a streamed upload slower than the request timeout goes through while its chunks keep coming', async () => {
  const size = 12;
  const key = 'products/1/P-UPLOAD/file/slow.bin';
  const target = await stack.storage.uploadUrl(key, {
    contentType: 'application/octet-stream',
    size,
    expiresInSec: 600,
  });
  const path = new URL(target.url).pathname;
  const { socket, closed, received } = await rawSocket(stack.port);
  socket.write(
    `PUT ${path} HTTP/1.1\r\nHost: agora\r\nContent-Type: application/octet-stream\r\n` +
      `Content-Length: ${size}\r\nConnection: close\r\n\r\n`,
  );
  for (let i = 0; i < size; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    socket.write('x');
  }
  const after = await closed;
  assert.ok(after > TIMEOUT_MS * 2, `the upload took ${after} ms`);
  assert.match(received(), /^HTTP\/1\.1 200 /);
  assert.equal((await stack.storage.stat(key))?.size, size);
});
