// `npm run bench:cluster`: three instances of the real server (child processes of src/main.ts)
// behind one PgBouncer in transaction mode (default_pool_size = 10) in front of an embedded
// PostgreSQL. Signed `finished` IPNs for waiting orders, each sent twice to two different
// instances, at a fixed rate; one instance is killed with SIGKILL half-way, and every IPN not
// answered 200 is replayed to the survivors, as NOWPayments does. Writes bench/results/cluster.json.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Database, poolSettings, startEmbeddedPostgres } from '../src/db/index.ts';
import { startNowPaymentsSimulator } from '../src/dev/nowpayments-simulator/index.ts';
import { newProductId } from '../src/domain/index.ts';
import { createNowPaymentsClient } from '../src/integrations/nowpayments/index.ts';
import { createCheckoutService } from '../src/services/checkout.ts';
import { startPgBouncer } from '../test/support/pgbouncer.ts';
import { finishedIpn } from './finished-ipn.ts';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000);
const IPN_RATE = Number(process.env.BENCH_IPN_RATE ?? 100); // sent per second, replays on top
const INSTANCES = 3;
const POOL_SIZE = 10; // PgBouncer's default_pool_size: the server connections for the whole fleet
const REPLAY_DELAY_MS = 500; // NOWPayments waits longer; the bench compresses time
// A load balancer keeps sending to a dead instance until its health check notices: this long.
const DETECTION_MS = 1_000;
const MAX_ATTEMPTS = 20; // past this an IPN counts as lost
const ATTEMPT_TIMEOUT_MS = 10_000;
const API_KEY = 'bench-api-key';
const IPN_SECRET = 'bench-ipn-secret';
const SELLER = 7_000_000;
const log = pino({ level: 'warn' });

// Other work on the machine shows in the latencies: the load is part of the result.
const loadAtStart = loadavg().map((l) => Math.round(l * 10) / 10);
const work = await mkdtemp(join(tmpdir(), 'agora-bench-cluster-'));
const postgres = await startEmbeddedPostgres({ settings: { fsync: 'off' } });
const sampler = new Database({
  connection: { connectionString: postgres.url, ssl: false },
  settings: poolSettings({ min: 0, max: 1, applicationName: 'bench_sampler' }),
});
await sampler.exec('CREATE DATABASE agora');
// As compose.yaml's deploy/postgres/role-timeouts.sql: the role carries the pool's timeouts.
const { statementTimeoutMs, idleInTransactionTimeoutMs } = poolSettings();
await sampler.exec(`ALTER ROLE CURRENT_USER IN DATABASE agora SET statement_timeout = ${statementTimeoutMs}`);
await sampler.exec(
  `ALTER ROLE CURRENT_USER IN DATABASE agora SET idle_in_transaction_session_timeout = ${idleInTransactionTimeoutMs}`,
);
const bouncer = await startPgBouncer({
  serverUrl: postgres.url,
  poolSize: POOL_SIZE,
  settings: { max_client_conn: '1000' },
});
const sim = await startNowPaymentsSimulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET, log });

// Server connections to the app's database, sampled all along (the bench's own are named bench_*).
let peakServerConnections = 0;
// Samples above PgBouncer's pool, kept to tell what they were (backends, how old, doing what).
const overPool: { msAfterKill: number | null; backends: { state: string; age: number; query: string }[] }[] =
  [];
let killedAt: number | undefined;
let sampling = true;
const sampling$ = (async () => {
  while (sampling) {
    const rows = await sampler.many<{ pid: number; state: string; age: number; query: string }>(
      `SELECT pid, state, extract(epoch FROM now() - backend_start)::float8 AS age, left(query, 60) AS query
       FROM pg_stat_activity
       WHERE datname = 'agora' AND backend_type = 'client backend' AND application_name NOT LIKE 'bench%'`,
    );
    if (rows.length > POOL_SIZE && overPool.length < 5) {
      const msAfterKill = killedAt === undefined ? null : Math.round(performance.now() - killedAt);
      overPool.push({ msAfterKill, backends: rows.map(({ pid: _pid, ...row }) => row) });
    }
    peakServerConnections = Math.max(peakServerConnections, rows.length);
    await sleep(20);
  }
})();

interface Instance {
  name: string;
  base: string;
  child: ChildProcess;
  /** Still sent IPNs (by the load balancer): until DETECTION_MS after it was killed. */
  inRotation: boolean;
}

console.log(
  `Starting ${INSTANCES} instances through PgBouncer (pool of ${POOL_SIZE}); they migrate at once…`,
);
const instances = await Promise.all(Array.from({ length: INSTANCES }, (_, i) => startInstance(i)));
process.once('exit', () => {
  for (const instance of instances) instance.child.kill('SIGKILL'); // never leave one behind on a failure
});

const db = new Database({
  connection: { connectionString: postgres.url.replace(/\/postgres$/, '/agora'), ssl: false },
  settings: poolSettings({ min: 0, max: 4, applicationName: 'bench_client' }),
});
const checkout = createCheckoutService({
  db,
  nowPayments: createNowPaymentsClient({ baseUrl: sim.baseUrl, apiKey: API_KEY }),
  enqueueDelivery: async () => {},
  log,
  ipnCallbackUrl: `${instances[0]?.base}/ipn/nowpayments`,
  payCurrencies: ['sol'],
});
console.log(`Preparing ${ORDERS} waiting orders with provider payments…`);
const bodies = await prepareWaitingOrders();

console.log(
  `Sending ${bodies.length * 2} signed finished IPNs at ${IPN_RATE}/s, SIGKILL of ${instances[0]?.name} half-way…`,
);
const started = performance.now();
const sent = await sendAll(bodies);
const seconds = (performance.now() - started) / 1000;
sampling = false;
await sampling$;

const outcome = await tally();
const serverErrors = await loggedErrors();
const report = {
  setup: {
    instances: INSTANCES,
    pgbouncerPoolSize: POOL_SIZE,
    poolMode: 'transaction',
    appPoolMaxPerInstance: 10,
    orders: ORDERS,
    ipnsSent: bodies.length * 2,
    ipnRatePerSec: IPN_RATE,
    killed: `${instances[0]?.name}: SIGKILL after ${bodies.length} IPNs, out of the rotation ${DETECTION_MS} ms later`,
  },
  ...outcome,
  peakServerConnections,
  samplesOverPool: overPool,
  serverErrorsLogged: serverErrors,
  loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((l) => Math.round(l * 10) / 10) },
  ipn: { ...sent, seconds: Math.round(seconds * 10) / 10 },
};
console.log(JSON.stringify(report, null, 2));
await writeFile(new URL('./results/cluster.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
console.log('Written to bench/results/cluster.json');

const problems = [
  outcome.ordersPaid !== ORDERS && `${outcome.ordersPaid} of ${ORDERS} orders paid`,
  outcome.payouts !== ORDERS && `${outcome.payouts} payouts`,
  outcome.ordersWithTwoPayouts > 0 && `${outcome.ordersWithTwoPayouts} orders with two payouts`,
  outcome.deliveryJobs !== ORDERS && `${outcome.deliveryJobs} delivery jobs`,
  peakServerConnections > POOL_SIZE && `${peakServerConnections} server connections`,
  sent.lost > 0 && `${sent.lost} IPNs lost`,
].filter(Boolean);

// The instance killed half-way has a signal code and no exit code: it is not waited for again.
const running = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
for (const instance of running) instance.child.kill('SIGTERM');
await Promise.all(running.map((i) => once(i.child, 'exit')));
await db.close();
await sampler.close();
await sim.close();
await bouncer.stop();
await postgres.stop();
await rm(work, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(`NOT DONE: ${problems.join('; ')}`);
  process.exitCode = 1;
}

async function startInstance(index: number): Promise<Instance> {
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  const name = `instance-${index + 1}`;
  const logFile = join(work, `${name}.log`);
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: new URL('..', import.meta.url),
    env: {
      ...process.env,
      DATABASE_URL: bouncer.url('agora'),
      DB_TRANSACTION_POOLER: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: base,
      LOG_LEVEL: 'warn',
      NOWPAYMENTS_API_KEY: API_KEY,
      NOWPAYMENTS_IPN_SECRET: IPN_SECRET,
      NOWPAYMENTS_BASE_URL: sim.baseUrl,
      STORAGE_DIR: join(work, 'files'),
      // The same secret on every instance (start refuses several instances without one).
      UPLOAD_SIGNING_SECRET: 'bench-upload-signing-secret-shared-by-all',
      // No bot: deliveries wait in the queue, which is what is counted.
      TELEGRAM_BOT_TOKEN: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.pipe(createWriteStream(logFile));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode}:\n${await readFile(logFile, 'utf8')}`);
    }
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { name, base, child, inRotation: true };
    await sleep(100);
  }
  throw new Error(`${name} did not start`);
}

/** Distinct buyers with a waiting order each, paid in SOL through the simulator; returns signed `finished` bodies. */
async function prepareWaitingOrders(): Promise<{ body: string; signature: string }[]> {
  await db.exec('INSERT INTO users (id, first_name) VALUES ($1, $2)', [SELLER, 'Bench seller']);
  await db.exec(
    `INSERT INTO seller_profiles (user_id, name, email, payout_address) VALUES ($1, 'Bench', 'bench@example.com', $2)`,
    [SELLER, 'So11111111111111111111111111111111111111112'],
  );
  const productId = newProductId();
  const file = await db.one<{ id: string }>(
    `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
     VALUES ($1, 'file', $2, 'guide.pdf', 1000, 'application/pdf') RETURNING id::text`,
    [SELLER, `products/${SELLER}/${productId}/file/bench-guide.pdf`],
  );
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, price_cents, status, main_file_id)
     VALUES ($1, $2, (SELECT id FROM categories ORDER BY position LIMIT 1), 'Bench guide', 1999, 'active', $3)`,
    [productId, SELLER, file.id],
  );
  await db.exec(
    `INSERT INTO users (id, first_name) SELECT g, 'Buyer ' || g FROM generate_series(1, $1::int) g`,
    [ORDERS],
  );
  for (let from = 1; from <= ORDERS; from += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, ORDERS - from + 1) }, async (_, i) => {
        const { order } = await checkout.startOrder(from + i, productId);
        await checkout.payOrder(from + i, order.id, 'sol');
      }),
    );
  }
  return sim.payments().map((payment) => finishedIpn(payment, IPN_SECRET));
}

/**
 * Each body twice, one after the other to two different instances, at IPN_RATE; once half are
 * sent the first instance is killed, and DETECTION_MS later taken out of the rotation. A send not
 * answered 200 (refused connection, reset, timeout, 5xx) is replayed after REPLAY_DELAY_MS to an
 * instance in the rotation, again and again.
 */
async function sendAll(notifications: { body: string; signature: string }[]) {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let replays = 0;
  let lost = 0;
  const living = () => instances.filter((i) => i.inRotation);

  const deliver = async (ipn: { body: string; signature: string }, to: Instance): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      const at = performance.now();
      const status = await fetch(`${to.base}/ipn/nowpayments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-nowpayments-sig': ipn.signature },
        body: ipn.body,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      }).then(
        async (response) => {
          await response.arrayBuffer();
          return String(response.status);
        },
        (error: Error) => (error.cause as { code?: string } | undefined)?.code ?? error.name,
      );
      if (status === '200') {
        latencies.push(performance.now() - at);
        return;
      }
      failures[status] = (failures[status] ?? 0) + 1;
      if (attempt >= MAX_ATTEMPTS) {
        lost++;
        return;
      }
      replays++;
      await sleep(REPLAY_DELAY_MS);
      const survivors = living();
      to = survivors[replays % survivors.length] as Instance;
    }
  };

  const sends: Promise<void>[] = [];
  const total = notifications.length * 2;
  const begin = performance.now();
  for (let n = 0; n < total; n++) {
    const due = begin + (n * 1000) / IPN_RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (n === notifications.length) {
      const victim = instances[0] as Instance;
      victim.child.kill('SIGKILL');
      killedAt = performance.now();
      setTimeout(() => {
        victim.inRotation = false;
      }, DETECTION_MS);
    }
    const targets = living();
    sends.push(
      deliver(
        notifications[Math.floor(n / 2)] as { body: string; signature: string },
        targets[n % targets.length] as Instance,
      ),
    );
  }
  await Promise.all(sends);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(
      (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0) * 10,
    ) / 10;
  return {
    answered200: latencies.length,
    replays,
    lost,
    errors: failures,
    latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: pct(100) },
  };
}

/** The instances' error log lines, counted by message and error code. */
async function loggedErrors(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const instance of instances) {
    const text = await readFile(join(work, `${instance.name}.log`), 'utf8');
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as {
        level: number;
        msg: string;
        err?: { code?: string; type?: string };
      };
      if (entry.level < 50) continue;
      const key = `${entry.msg} (${entry.err?.code ?? entry.err?.type ?? 'no error code'})`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}

/** What the database says happened. */
async function tally() {
  const orders = await db.one<{ paid: number; notPaid: number }>(
    `SELECT count(*) FILTER (WHERE status = 'paid')::int AS paid, count(*) FILTER (WHERE status <> 'paid')::int AS "notPaid"
     FROM orders WHERE buyer_id <= $1`,
    [ORDERS],
  );
  const payouts = await db.one<{ payouts: number; twice: number }>(
    `SELECT count(*)::int AS payouts,
       (SELECT count(*)::int FROM (SELECT order_id FROM payouts GROUP BY order_id HAVING count(*) > 1) d) AS twice
     FROM payouts`,
  );
  const jobs = await db.one<{ jobs: number; orders: number }>(
    `SELECT count(*)::int AS jobs, count(DISTINCT data->>'orderId')::int AS orders
     FROM pgboss.job WHERE name = 'deliver_order'`,
  );
  const notifications = await db.one<{ stored: number }>(
    `SELECT count(*)::int AS stored FROM payment_notifications`,
  );
  return {
    ordersPaid: orders.paid,
    ordersNotPaid: orders.notPaid,
    payouts: payouts.payouts,
    ordersWithTwoPayouts: payouts.twice,
    deliveryJobs: jobs.jobs,
    ordersWithDeliveryJob: jobs.orders,
    notificationsStored: notifications.stored,
  };
}
