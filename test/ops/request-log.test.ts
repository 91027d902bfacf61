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
