// Request logs name the route pattern, never the URL: one-time tokens, upload signatures and
// query strings stay out of them, and the line still says what was asked (issue 14).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { purchase, startStack } from './stack.ts';

const stack = await startStack();

const requestLines = (route: string | null) =>
  stack.logs.filter((line) => {
    const part = (line.req ?? line.res) as { route?: unknown } | undefined;
    return part !== undefined && part.route === route;
  });

test('a download is logged as /download/:token, with its status, and the token appears nowhere', async () => {
  const { token } = await purchase(stack);
  assert.equal((await fetch(`${stack.url}/download/${token}`)).status, 200);
  assert.equal((await fetch(`${stack.url}/download/${token}?lang=en`)).status, 410);

  const lines = requestLines('/download/:token');
  const incoming = lines.filter((line) => line.msg === 'incoming request');
  const completed = lines.filter((line) => line.msg === 'request completed');
  assert.equal(incoming.length, 2);
  assert.deepEqual(
    completed.map((line) => (line.res as { statusCode: number }).statusCode),
    [200, 410],
  );
  assert.deepEqual(incoming[0]?.req, {
    method: 'GET',
    route: '/download/:token',
    remoteAddress: '127.0.0.1',
  });
  const text = JSON.stringify(stack.logs);
  assert.ok(!text.includes(token), 'the token is in no log line');
  assert.ok(!text.includes('lang=en'), 'nor the query string');
});

test('a request no route matches is logged without its path', async () => {
  const secret = 'zZ9-not-a-route-but-a-secret';
  assert.equal((await fetch(`${stack.url}/uploads-old/${secret}`)).status, 404);
  const lines = requestLines(null);
  assert.ok(lines.some((line) => line.msg === 'request completed'));
  assert.ok(!JSON.stringify(stack.logs).includes(secret));
});

test('TRUST_PROXY decides whose address the logs show: the proxy’s, or the client it names', async () => {
  const behind = await startStack({ TRUST_PROXY: '127.0.0.1' });
  const relayed = { headers: { 'x-forwarded-for': '203.0.113.7' } };
  await fetch(`${stack.url}/openapi.json`, relayed);
  await fetch(`${behind.url}/openapi.json`, relayed);
  const addressIn = (logs: Record<string, unknown>[]) =>
    logs
      .filter((line) => line.msg === 'incoming request')
      .map((line) => line.req as { route: string; remoteAddress: string })
      .find((req) => req.route === '/openapi.json')?.remoteAddress;
  assert.equal(addressIn(stack.logs), '127.0.0.1', 'not trusted: the header is ignored');
  assert.equal(addressIn(behind.logs), '203.0.113.7');
});
