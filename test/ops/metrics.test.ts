// Prometheus metrics as an operator scrapes them: behind METRICS_TOKEN on the public listener (or
// only on the operators' listener with METRICS_PORT), HTTP durations as a histogram in seconds by
// route pattern, Node's process metrics under their usual names, business counters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { purchase, startStack } from './stack.ts';

const TOKEN = 'a-long-metrics-token-1234';
const stack = await startStack({ METRICS_TOKEN: TOKEN });

const scrape = (headers: Record<string, string> = {}) => fetch(`${stack.url}/metrics`, { headers });

test('/metrics on the public listener is refused without its token, or with another', async () => {
  const none = await scrape();
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'metrics_unauthorized');
  const wrong = await scrape({ authorization: 'Bearer a-long-metrics-token-9999' });
  assert.equal(wrong.status, 401);
  assert.doesNotMatch(await wrong.text(), /agora_/);
});

test('request durations are a histogram in seconds by route pattern; process metrics keep their names', async () => {
  const { token } = await purchase(stack);
  const download = await fetch(`${stack.url}/download/${token}`);
  assert.equal(download.status, 200);
  await download.arrayBuffer();
  await (await fetch(`${stack.url}/livez`)).text();

  // A request is counted once its response has finished on the server, a moment after the client
  // read the last byte: scrape until the download shows, for a second at most.
  let text = '';
  for (let attempt = 0; attempt < 20 && !text.includes('route="/download/:token"'); attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await scrape({ authorization: `Bearer ${TOKEN}` });
    assert.equal(response.status, 200);
    text = await response.text();
  }
  assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
  assert.match(
    text,
    /^http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/livez",status_code="200"\} \d+$/m,
  );
  assert.match(
    text,
    /^http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/download\/:token",status_code="200"\} 1$/m,
  );
  assert.doesNotMatch(text, new RegExp(token), 'no URL, no token in the labels');
  const sum =
    /^http_request_duration_seconds_sum\{method="GET",route="\/download\/:token",status_code="200"\} (\S+)$/m.exec(
      text,
    );
  assert.ok(
    sum && Number(sum[1]) > 0 && Number(sum[1]) < 30,
    `a download of a few bytes in seconds: ${sum?.[1]}`,
  );

  for (const name of [
    'process_cpu_user_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_seconds',
  ]) {
    assert.match(text, new RegExp(`^${name} `, 'm'), name);
  }
  assert.doesNotMatch(text, /^agora_process_/m, 'no prefix on the process metrics');
  assert.match(text, /^agora_db_pool_acquire_wait_seconds_bucket\{le="\+Inf"\} [1-9]/m);
  assert.match(text, /^agora_downloads_total 1$/m);
  assert.match(text, /^agora_orders_paid_total 0$/m);
});

test('with METRICS_PORT, /metrics leaves the public listener for the operators’ one', async () => {
  const ops = await startStack({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
  assert.ok(ops.app.opsUrl);
  assert.equal((await fetch(`${ops.url}/metrics`)).status, 404);
  const scraped = await fetch(`${ops.app.opsUrl}/metrics`);
  assert.equal(scraped.status, 200);
  assert.match(await scraped.text(), /^agora_db_pool_connections\{state="max"\} 4$/m);
  const health = (await (
    await fetch(`${ops.app.opsUrl}/health`, { headers: { 'x-forwarded-for': '203.0.113.7' } })
  ).json()) as { pool?: unknown };
  assert.ok(health.pool, 'the operators listener shows the pool to anyone who reaches it');
  assert.equal((await fetch(`${ops.app.opsUrl}/docs`)).status, 404, 'no API docs there');
});

test('a user seen for the first time is counted once, however often they come back', async () => {
  const before = async () =>
    Number(
      /^agora_users_new_total (\d+)$/m.exec(
        await (await scrape({ authorization: `Bearer ${TOKEN}` })).text(),
      )?.[1],
    );
  const start = await before();
  const { accounts } = stack.app.services;
  await accounts.registerUser({ id: 990_001, first_name: 'Nina' });
  await accounts.registerUser({ id: 990_001, first_name: 'Nina' });
  await accounts.registerUser({ id: 990_001, first_name: 'Nina B.' });
  await accounts.registerUser({ id: 990_002, first_name: 'Omar' });
  assert.equal((await before()) - start, 2);
});
