// /livez, /readyz and /health on the running product: liveness says the process answers,
// readiness that the database does, and /health keeps the pool's internals for the operators.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminDatabase } from '../support/database.ts';
import { startStack } from './stack.ts';

const stack = await startStack();
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.url}${path}`, { headers });

test('ready and alive while the database answers; without a token the bot runs on the local Telegram', async () => {
  const live = await get('/livez');
  assert.equal(live.status, 200);
  assert.deepEqual(await live.json(), { status: 'ok' });
  const ready = await get('/readyz');
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready', database: 'up', bot: 'running' });
});

test('/health shows the pool to a caller on this machine, only the status through a proxy', async () => {
  const local = (await (await get('/health')).json()) as Record<string, unknown>;
  assert.equal(local.status, 'ok');
  assert.equal((local.pool as { max: number }).max, 4);
  const proxied = await get('/health', { 'x-forwarded-for': '203.0.113.7' });
  assert.equal(proxied.status, 200);
  assert.deepEqual(await proxied.json(), { status: 'ok' });
});

test('/readyz is 503 while the database is unreachable, /livez stays 200', async () => {
  const { name } = await stack.app.db.one<{ name: string }>('SELECT current_database() AS name');
  const admin = adminDatabase();
  try {
    // No new connection is accepted, and the pool's are cut: the server is gone as far as we know.
    await admin.exec(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.exec('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    const ready = await get('/readyz');
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), { status: 'unavailable', database: 'down', bot: 'running' });
    const live = await get('/livez');
    assert.equal(live.status, 200);
    const proxied = await get('/health', { 'x-forwarded-for': '203.0.113.7' });
    assert.equal(proxied.status, 503);
    assert.deepEqual(await proxied.json(), { status: 'unavailable' });
  } finally {
    await admin.exec(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    await admin.close();
  }
  const back = await get('/readyz');
  assert.equal(back.status, 200, 'ready again once the database is back');
});
