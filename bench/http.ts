// `npm run bench:http`: the real server (a child process on embedded PostgreSQL) under load:
// signed `finished` IPNs for distinct waiting orders, offered open loop at a steady rate (a
// warm-up at 100/s, then 200/s with every sale on one product and what each statement cost read
// from pg_stat_statements, then the rate stepped up until p99 passes 100 ms or a request fails),
// GET /health flat out, then one 1 GB file downloaded through a one-time token while the
// server's RSS is sampled.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { Database, migrate, poolSettings, startEmbeddedPostgres } from '../src/db/index.ts';
import { startNowPaymentsSimulator } from '../src/dev/nowpayments-simulator/index.ts';
import { newProductId } from '../src/domain/index.ts';
import { createNowPaymentsClient } from '../src/integrations/nowpayments/index.ts';
import { createCheckoutService } from '../src/services/checkout.ts';
import { createDownloadService } from '../src/services/downloads.ts';
import { LocalFileStorage } from '../src/storage/index.ts';
import { finishedIpn } from './finished-ipn.ts';
import { openLoop } from './open-loop.ts';
import { cpuTicks, othersMark, othersSince, stolenSince } from './steal.ts';

const IPN_RATE = 200;
const WARM_UP_RATE = 100;
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 20);
const IPN_SECONDS = Number(process.env.BENCH_IPN_SECONDS ?? 10);
// The ramp: offered rates tried one after another (each for RAMP_SECONDS, fresh orders each).
const RAMP_RATES = (process.env.BENCH_RAMP_RATES ?? '300,400,500,600,700,800,900,1000,1100,1200')
  .split(',')
  .map(Number);
const RAMP_SECONDS = Number(process.env.BENCH_RAMP_SECONDS ?? 5);
/** A rate is held when nothing failed, p99 stayed under this and at least 95 % of it was served. */
const RAMP_P99_MS = 100;
// Sales spread over this many products (1 = every sale updates the same product row).
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 1);
const DOWNLOAD_BYTES = Number(process.env.BENCH_DOWNLOAD_MB ?? 1024) * 1024 * 1024;
const API_KEY = 'bench-api-key';
const IPN_SECRET = 'bench-ipn-secret';
const METRICS_TOKEN = 'bench-metrics-token';
const SELLER = 7_000_000;
const log = pino({ level: 'warn' });
/** Buyers are numbered from 1; each run of IPNs takes the next ones. */
let lastBuyer = 0;

const work = await mkdtemp(join(tmpdir(), 'agora-bench-http-'));
const postgres = await startEmbeddedPostgres({
  settings: {
    fsync: 'off',
    shared_preload_libraries: 'pg_stat_statements',
    'pg_stat_statements.track_planning': 'on',
  },
});
const sim = await startNowPaymentsSimulator({ apiKey: API_KEY, ipnSecret: IPN_SECRET, log });
const databaseUrl = postgres.url.replace(/\/postgres$/, '/agora');
const bootstrap = new Database({
  connection: { connectionString: postgres.url, ssl: false },
  settings: poolSettings({ min: 0, max: 1 }),
});
await bootstrap.exec('CREATE DATABASE agora');
await bootstrap.close();

const port = 30_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${port}`;
const storageDir = join(work, 'files');
const server = await startServer();
process.once('exit', () => server.kill('SIGKILL')); // never leave the server behind on a failure
const db = new Database({
  connection: { connectionString: databaseUrl, ssl: false },
  settings: poolSettings({ min: 0, max: 4, applicationName: 'bench_client' }),
});
await migrate(db);
await db.exec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
// Orders and payments are made the way the bot makes them: through checkout, against the simulator.
const checkout = createCheckoutService({
  db,
  nowPayments: createNowPaymentsClient({ baseUrl: sim.baseUrl, apiKey: API_KEY }),
  enqueueDelivery: async () => {},
  log,
  ipnCallbackUrl: `${base}/ipn/nowpayments`,
  payCurrencies: ['sol'],
});

const products = await prepareCatalog();
// A freshly started server answers its first requests slowly (V8 compiles the code; each of the
// pool's connections, opened at start-up, fills its caches on its first statements): a warm-up
// first, reported on its own line and left out of the rates held.
const warmUp = WARM_UP_SECONDS > 0 ? await measureIpn(WARM_UP_RATE, WARM_UP_SECONDS, false) : undefined;
const ipn = await measureIpn(IPN_RATE, IPN_SECONDS, true);
const ramp = [];
for (const rate of RAMP_RATES) {
  const step = await measureIpn(rate, RAMP_SECONDS, false);
  ramp.push(step);
  if (!step.held) break;
}
const health = await measureHealth();
const download = await measureDownload();

const highestHeldRate = Math.max(
  0,
  ...[ipn, ...ramp].filter((step) => step.held).map((step) => step.offered),
);
// Held at the ramp's last rate: the server may hold more than the bench asked.
const rampTopHeld = ramp.length === RAMP_RATES.length && ramp.at(-1)?.held === true;
const report = { products: PRODUCTS, warmUp, ipn, ramp, highestHeldRate, rampTopHeld, health, download };
const out = process.env.BENCH_OUT ?? 'http.json';
await writeFile(new URL(`./results/${out}`, import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
printReport(report);
console.log(`Written to bench/results/${out}`);

server.kill('SIGTERM');
await once(server, 'exit');
await db.close();
await sim.close();
await postgres.stop();
await rm(work, { recursive: true, force: true });

async function startServer(): Promise<ChildProcess> {
  // BENCH_CPU_PROF=<folder>: the server writes a V8 CPU profile there when it exits.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, 'src/main.ts'], {
    cwd: new URL('..', import.meta.url),
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: base,
      LOG_LEVEL: 'warn',
      NOWPAYMENTS_API_KEY: API_KEY,
      NOWPAYMENTS_IPN_SECRET: IPN_SECRET,
      NOWPAYMENTS_BASE_URL: sim.baseUrl,
      STORAGE_DIR: storageDir,
      TELEGRAM_BOT_TOKEN: '',
      METRICS_TOKEN,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

/** The seller and the products every sale goes to. */
async function prepareCatalog(): Promise<string[]> {
  await db.exec('INSERT INTO users (id, first_name) VALUES ($1, $2)', [SELLER, 'Bench seller']);
  await db.exec(
    `INSERT INTO seller_profiles (user_id, name, email, payout_address) VALUES ($1, 'Bench', 'bench@example.com', $2)`,
    [SELLER, 'So11111111111111111111111111111111111111112'],
  );
  const ids: string[] = [];
  for (let i = 0; i < PRODUCTS; i++) ids.push(await addProduct(1999, `guide-${i}.pdf`, 1000));
  return ids;
}

/**
 * `count` new buyers with a waiting order each, paid in SOL through the simulator; returns their
 * id range and the signed `finished` bodies.
 */
async function prepareWaitingOrders(count: number) {
  const first = lastBuyer + 1;
  lastBuyer += count;
  await db.exec(
    `INSERT INTO users (id, first_name) SELECT g, 'Buyer ' || g FROM generate_series($1::int, $2::int) g`,
    [first, lastBuyer],
  );
  const providerIds = new Set<string>();
  for (let from = first; from <= lastBuyer; from += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, lastBuyer - from + 1) }, async (_, i) => {
        const buyer = from + i;
        const { order } = await checkout.startOrder(buyer, products[buyer % PRODUCTS] as string);
        providerIds.add((await checkout.payOrder(buyer, order.id, 'sol')).paymentId);
      }),
    );
  }
  const bodies = sim
    .payments()
    .filter((payment) => providerIds.has(String(payment.payment_id)))
    .map((payment) => finishedIpn(payment, IPN_SECRET));
  return { first, last: lastBuyer, bodies };
}

async function addProduct(priceCents: number, fileName: string, sizeBytes: number, storageKey?: string) {
  const id = newProductId();
  const key = storageKey ?? `products/${SELLER}/${id}/file/bench-${fileName}`;
  const file = await db.one<{ id: string }>(
    `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
     VALUES ($1, 'file', $2, $3, $4, 'application/octet-stream') RETURNING id::text`,
    [SELLER, key, fileName, sizeBytes],
  );
  const category = await db.one<{ id: number }>('SELECT id FROM categories ORDER BY position LIMIT 1');
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, price_cents, status, main_file_id)
     VALUES ($1, $2, $3, $4, $5, 'active', $6)`,
    [id, SELLER, category.id, `Bench ${fileName}`, priceCents, file.id],
  );
  return id;
}

/** Samples the server's checked-out connections (non-idle sessions of its pool) while `work` runs. */
async function withPeakConnections<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { n } = await db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'agora' AND state <> 'idle'`,
      );
      peak = Math.max(peak, n);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const result = await work();
  sampling = false;
  await sampler;
  return { result, peak };
}

function summary(result: autocannon.Result) {
  return {
    requestsPerSec: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * Signed `finished` IPNs for `rate × seconds` fresh waiting orders at `rate`/s, then the check
 * that every order was paid exactly once. With `statements`, pg_stat_statements is reset first
 * and read after: what each statement of the run cost.
 */
async function measureIpn(rate: number, seconds: number, statements: boolean) {
  console.log(`Preparing ${rate * seconds} waiting orders with provider payments…`);
  const { first, last, bodies } = await prepareWaitingOrders(rate * seconds);
  console.log(`IPN: ${bodies.length} signed finished notifications at ${rate}/s…`);
  if (statements) await db.exec('SELECT pg_stat_statements_reset()');
  const cpuBefore = await serverCpuMs();
  const { gcMs: gcBefore } = await serverMetrics(); // also starts the step's event-loop maximum afresh
  const ticks = cpuTicks();
  const othersFrom = othersMark();
  const { startedAt } = await db.one<{ startedAt: Date }>('SELECT clock_timestamp() AS "startedAt"');
  const { result: figures, peak } = await withPeakConnections(() =>
    openLoop({
      base,
      rate,
      // Enough connections to keep offering the rate while answers take up to 100 ms.
      maxSockets: Math.max(20, Math.ceil(rate / 10)),
      requests: bodies.map(({ body, signature }) => ({
        method: 'POST',
        path: '/ipn/nowpayments',
        headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signature },
        body,
      })),
    }),
  );
  const steal = Math.round(stolenSince(ticks) * 1000) / 10;
  const others = Math.round(othersSince(othersFrom) * 1000) / 10;
  const { eventLoopDelayMs, gcMs: gcAfter } = await serverMetrics();
  const gcMs = Object.fromEntries(
    ['major', 'incremental', 'minor'].map((kind) => [
      kind,
      Math.round((gcAfter[kind] ?? 0) - (gcBefore[kind] ?? 0)),
    ]),
  );
  const serverCpuMsPerIpn = Math.round((((await serverCpuMs()) - cpuBefore) / bodies.length) * 100) / 100;
  const perStatement = statements ? await statementCosts(bodies.length) : undefined;
  const { paid, payouts } = await db.one<{ paid: number; payouts: number }>(
    `SELECT count(*)::int AS paid, count(po.id)::int AS payouts
     FROM orders o LEFT JOIN payouts po ON po.order_id = o.id
     WHERE o.status = 'paid' AND o.buyer_id BETWEEN $1 AND $2`,
    [first, last],
  );
  if (paid !== bodies.length || payouts !== paid) {
    throw new Error(`${bodies.length} IPNs sent, ${paid} orders paid, ${payouts} payouts`);
  }
  // The server delivers paid orders (oldest first) while the notifications come: how many it did.
  const { delivered } = await db.one<{ delivered: number }>(
    'SELECT count(*)::int AS delivered FROM orders WHERE delivered_at >= $1',
    [startedAt],
  );
  const held =
    figures.errors === 0 && figures.latencyMs.p99 < RAMP_P99_MS && figures.requestsPerSec >= rate * 0.95;
  return {
    ...figures,
    held,
    ordersPaid: paid,
    peakActiveConnections: peak,
    serverCpuMsPerIpn,
    eventLoopDelayMs,
    gcMs,
    stealPercent: steal,
    otherProcessesPercent: others,
    delivered,
    perStatement,
  };
}

/**
 * From the server's /metrics: the longest gap between two ticks of its event-loop monitor (its
 * metrics tick every 10 ms and start afresh at each read) since the last read, in ms, and the
 * time its garbage collector has taken so far, in ms by kind (major, minor, incremental marking).
 * A stall in the server itself shows in the gap; GC work spread over many short steps does not,
 * yet leaves less CPU for the requests (and for PostgreSQL) while it runs.
 */
async function serverMetrics(): Promise<{ eventLoopDelayMs: number; gcMs: Record<string, number> }> {
  const text = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then(
    (r) => r.text(),
  );
  const seconds = Number(/^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
  const gcMs: Record<string, number> = {};
  for (const [, kind = '', sum = '0'] of text.matchAll(
    /^nodejs_gc_duration_seconds_sum\{kind="(\w+)"\} (\S+)$/gm,
  )) {
    gcMs[kind] = Number(sum) * 1000;
  }
  return { eventLoopDelayMs: Math.round(seconds * 1000), gcMs };
}

/** CPU time the server process used so far (user + system), in ms. */
async function serverCpuMs(): Promise<number> {
  // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses; in clock ticks (100/s).
  const fields = (await readFile(`/proc/${server.pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The statements called at least once per two IPNs of the run (the IPN path), costliest first. */
async function statementCosts(ipns: number) {
  const rows = await db.many<{ query: string; calls: number; execMs: number; planMs: number; rows: number }>(
    `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls::int,
            round(mean_exec_time::numeric, 3)::float8 AS "execMs", round((total_plan_time / calls)::numeric, 3)::float8 AS "planMs",
            round(rows::numeric / calls, 2)::float8 AS rows
     FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND calls >= $1
     ORDER BY total_exec_time DESC`,
    [Math.ceil(ipns / 2)],
  );
  return rows.map((row) => ({ ...row, perIpn: Math.round((row.calls / ipns) * 100) / 100 }));
}

async function measureHealth() {
  console.log('GET /health for 10 s, 10 connections…');
  return summary(await autocannon({ url: `${base}/health`, connections: 10, duration: 10 }));
}

async function measureDownload() {
  console.log(`Download: ${DOWNLOAD_BYTES / 1024 / 1024} MB through a one-time token…`);
  const storage = new LocalFileStorage({ dir: storageDir, publicUrl: base, signingSecret: 'x'.repeat(32) });
  const productId = newProductId();
  const key = `products/${SELLER}/${productId}/file/0123456789abcdef0123-big.bin`;
  const chunk = Buffer.alloc(1024 * 1024, 7);
  await storage.put(
    key,
    Readable.from(
      (function* () {
        for (let sent = 0; sent < DOWNLOAD_BYTES; sent += chunk.length) yield chunk;
      })(),
    ),
    { contentType: 'application/octet-stream', size: DOWNLOAD_BYTES },
  );
  const buyer = ++lastBuyer;
  await db.exec('INSERT INTO users (id, first_name) VALUES ($1, $2)', [buyer, 'Downloader']);
  const id = await addProduct(0, 'big.bin', DOWNLOAD_BYTES, key);
  const { order } = await checkout.startOrder(buyer, id); // free: paid at once
  const { token } = await createDownloadService({ db, storage }).createLink(buyer, order.id);

  const rssOf = async () =>
    Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const before = await rssOf();
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssOf());
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const started = performance.now();
  const response = await fetch(`${base}/download/${token}`);
  if (!response.ok || !response.body) throw new Error(`download answered ${response.status}`);
  let bytes = 0;
  for await (const part of response.body) bytes += (part as Uint8Array).byteLength;
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  if (bytes !== DOWNLOAD_BYTES) throw new Error(`downloaded ${bytes} of ${DOWNLOAD_BYTES} bytes`);
  return {
    bytes,
    seconds: Math.round(seconds * 100) / 100,
    rssGrowthMB: Math.round((peak - before) * 10) / 10,
  };
}

type Report = {
  products: number;
  warmUp: Awaited<ReturnType<typeof measureIpn>> | undefined;
  ipn: Awaited<ReturnType<typeof measureIpn>>;
  ramp: Awaited<ReturnType<typeof measureIpn>>[];
  highestHeldRate: number;
  rampTopHeld: boolean;
  health: ReturnType<typeof summary>;
  download: Awaited<ReturnType<typeof measureDownload>>;
};

function printReport({ warmUp, ipn, ramp, highestHeldRate, rampTopHeld, health, download }: Report) {
  const line = (cells: (string | number)[]) => console.log(`| ${cells.join(' | ')} |`);
  console.log(`\nIPN path at ${ipn.offered}/s, statements from pg_stat_statements (ms per call):`);
  line(['statement', 'per IPN', 'exec ms', 'plan ms', 'rows']);
  line(['---', '---', '---', '---', '---']);
  for (const s of ipn.perStatement ?? []) {
    line([s.query.length > 90 ? `${s.query.slice(0, 90)}…` : s.query, s.perIpn, s.execMs, s.planMs, s.rows]);
  }
  console.log('');
  line(['', 'offered/s', 'served/s', 'p50 ms', 'p99 ms', 'errors', 'held', 'other']);
  line(['---', '---', '---', '---', '---', '---', '---', '---']);
  for (const step of [...(warmUp ? [warmUp] : []), ipn, ...ramp]) {
    const other = `${step.ordersPaid} orders paid once, ${step.delivered} orders delivered meanwhile, peak ${step.peakActiveConnections} busy connections, server CPU ${step.serverCpuMsPerIpn} ms/IPN, longest event-loop gap ${step.eventLoopDelayMs} ms, server GC ${step.gcMs.major} ms major + ${step.gcMs.incremental} ms incremental marking + ${step.gcMs.minor} ms minor, hypervisor steal ${step.stealPercent} %, other processes of the machine ${step.otherProcessesPercent} %`;
    line([
      step === warmUp ? 'IPN warm-up' : 'IPN',
      step.offered,
      step.requestsPerSec,
      step.latencyMs.p50,
      step.latencyMs.p99,
      step.errors,
      step === warmUp ? '' : step.held ? 'yes' : 'no',
      other,
    ]);
  }
  line([
    '/health',
    '',
    health.requestsPerSec,
    health.latencyMs.p50,
    health.latencyMs.p99,
    health.errors,
    '',
    '',
  ]);
  line([
    '1 GB download',
    '',
    '',
    '',
    '',
    '',
    '',
    `${download.seconds} s, server RSS growth ${download.rssGrowthMB} MB`,
  ]);
  const top = rampTopHeld ? ' (the last rate tried: BENCH_RAMP_RATES can go higher)' : '';
  console.log(`\nHighest IPN rate held (0 errors, p99 < ${RAMP_P99_MS} ms): ${highestHeldRate}/s${top}`);
}
