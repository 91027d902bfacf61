// GET /health and GET /metrics, through the real server and a real database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { Database, poolSettings } from '../../src/db/index.ts';
import { buildServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthService } from '../../src/services/health.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

const url = await freshDatabase();
const log = createLogger('silent');
const TOKEN = 'metrics-token-for-the-tests';
const METRICS = { authorization: `Bearer ${TOKEN}` };

function serverFor(db: Database, healthTimeoutMs = 1_000): FastifyInstance {
  const health = createHealthService({ db, timeoutMs: healthTimeoutMs });
  const metrics = createMetrics(db);
  const app = buildServer({
    log,
    settings: loadConfig({}).http,
    publicUrl: 'http://localhost:3000',
    metrics,
    health: {
      health,
      bot: () => 'off',
      details: 'loopback',
      metrics: { registry: metrics.registry, access: 'token', token: TOKEN },
    },
  });
  test.after(() => app.close());
  return app;
}

test('health is 200 with the pool state when the database answers', async () => {
  const db = testDatabase(url);
  await db.initialize();
  const response = await serverFor(db).inject({ method: 'GET', url: '/health' });
  assert.equal(response.statusCode, 200);
  const body = response.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.database, 'up');
  assert.equal(body.pool.initialized, true);
  assert.equal(body.pool.max, 10);
  assert.equal(body.pool.active, 0);
});

test('health is 503 when the database is unreachable', async () => {
  const db = new Database({
    connection: { connectionString: 'postgres://nobody@127.0.0.1:1/none', ssl: false },
    settings: poolSettings({ min: 0, acquireTimeoutMs: 500 }),
  });
  test.after(() => db.close());
  const response = await serverFor(db).inject({ method: 'GET', url: '/health' });
  assert.equal(response.statusCode, 503);
  assert.equal(response.json().database, 'down');
  assert.equal(response.json().error, 'db_connection_failed');
});

test('health is 503 when the pool cannot serve in time', async () => {
  const db = testDatabase(url, { max: 1, acquireTimeoutMs: 5_000 });
  let release = () => {};
  const holder = db.withConnection(
    () =>
      new Promise<void>((resolve) => {
        release = resolve;
      }),
  );
  while (db.status().active === 0) await new Promise((r) => setTimeout(r, 5));
  const response = await serverFor(db, 200).inject({ method: 'GET', url: '/health' });
  assert.equal(response.statusCode, 503);
  assert.equal(response.json().database, 'saturated');
  release();
  await holder;
});

test('health is 503 once the pool is closed', async () => {
  const db = testDatabase(url);
  const app = serverFor(db);
  await db.close();
  const response = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(response.statusCode, 503);
  assert.equal(response.json().database, 'closed');
});

test('metrics expose the pool gauges and counters in Prometheus format', async () => {
  const db = testDatabase(url, { max: 3 });
  const server = serverFor(db);
  await db.one('SELECT 1');
  await db.withConnection(async (conn) => {
    await conn.exec('BEGIN');
  });
  const response = await server.inject({ method: 'GET', url: '/metrics', headers: METRICS });
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /text\/plain/);
  const text = response.body;
  assert.match(text, /^agora_db_pool_connections\{state="max"\} 3$/m);
  assert.match(text, /^agora_db_pool_connections\{state="idle"\} 1$/m);
  assert.match(text, /^agora_db_pool_acquired_total 2$/m);
  assert.match(text, /^agora_db_pool_dirty_returns_total 1$/m);
  assert.match(text, /^# TYPE agora_db_pool_leaks_total counter$/m);
  // Buckets in seconds (0.005 is 5 ms); how long these acquires took depends on the machine.
  assert.match(text, /^agora_db_pool_acquire_wait_seconds_bucket\{le="0.005"\} \d+$/m);
  assert.match(text, /^agora_db_pool_acquire_wait_seconds_bucket\{le="\+Inf"\} [1-9]/m);
  assert.match(text, /^agora_db_pool_acquire_wait_seconds_count [1-9]/m);
});

test('metrics count payment notifications by outcome, and the business events they are told', async () => {
  const db = testDatabase(url, { max: 1 });
  const metrics = createMetrics(db);
  metrics.countIpn('completed');
  metrics.countIpn('duplicate');
  metrics.countIpn('duplicate');
  metrics.events.orderPaid();
  metrics.events.payoutsPaid(3);
  const text = await metrics.registry.metrics();
  assert.match(text, /^agora_ipn_notifications_total\{result="completed"\} 1$/m);
  assert.match(text, /^agora_ipn_notifications_total\{result="duplicate"\} 2$/m);
  assert.match(text, /^agora_orders_paid_total 1$/m);
  assert.match(text, /^agora_payouts_paid_total 3$/m);
});
