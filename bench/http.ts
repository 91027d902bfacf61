// `npm run bench:http`: the real server (a child process on embedded PostgreSQL) under load:
// signed `finished` IPNs for distinct waiting orders at a fixed 200 requests/s, GET /health flat
// out, then one 1 GB file downloaded through a one-time token while the server's RSS is sampled.
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
import { createNowPaymentsClient, signIpn } from '../src/integrations/nowpayments/index.ts';
import { createCheckoutService } from '../src/services/checkout.ts';
import { createDownloadService } from '../src/services/downloads.ts';
import { LocalFileStorage } from '../src/storage/index.ts';

const IPN_RATE = 200;
const IPN_SECONDS = Number(process.env.BENCH_IPN_SECONDS ?? 10);
const ORDERS = IPN_RATE * IPN_SECONDS;
// Sales spread over this many products (1 = every sale updates the same product row).
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 1);
const DOWNLOAD_BYTES = Number(process.env.BENCH_DOWNLOAD_MB ?? 1024) * 1024 * 1024;
const API_KEY = 'bench-api-key';
const IPN_SECRET = 'bench-ipn-secret';
const SELLER = 7_000_000;
const log = pino({ level: 'warn' });

const work = await mkdtemp(join(tmpdir(), 'agora-bench-http-'));
const postgres = await startEmbeddedPostgres({ settings: { fsync: 'off' } });
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
// Orders and payments are made the way the bot makes them: through checkout, against the simulator.
const checkout = createCheckoutService({
  db,
  nowPayments: createNowPaymentsClient({ baseUrl: sim.baseUrl, apiKey: API_KEY }),
  enqueueDelivery: async () => {},
  log,
  ipnCallbackUrl: `${base}/ipn/nowpayments`,
  payCurrencies: ['sol'],
});

console.log(`Preparing ${ORDERS} waiting orders with provider payments…`);
const ipnBodies = await prepareWaitingOrders();
const ipn = await measureIpn(ipnBodies);
const health = await measureHealth();
const download = await measureDownload();

const report = { ipn, health, download };
console.log(JSON.stringify(report, null, 2));
await writeFile(new URL('./results/http.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
console.log('Written to bench/results/http.json');

server.kill('SIGTERM');
await once(server, 'exit');
await db.close();
await sim.close();
await postgres.stop();
await rm(work, { recursive: true, force: true });

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['src/main.ts'], {
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

/** Distinct buyers with a waiting order each, paid in SOL through the simulator; returns signed `finished` bodies. */
async function prepareWaitingOrders(): Promise<{ body: string; signature: string }[]> {
  await db.exec('INSERT INTO users (id, first_name) VALUES ($1, $2)', [SELLER, 'Bench seller']);
  await db.exec(
    `INSERT INTO seller_profiles (user_id, name, email, payout_address) VALUES ($1, 'Bench', 'bench@example.com', $2)`,
    [SELLER, 'So11111111111111111111111111111111111111112'],
  );
  const products: string[] = [];
  for (let i = 0; i < PRODUCTS; i++) products.push(await addProduct(1999, `guide-${i}.pdf`, 1000));
  await db.exec(
    `INSERT INTO users (id, first_name) SELECT g, 'Buyer ' || g FROM generate_series(1, $1::int) g`,
    [ORDERS],
  );
  for (let from = 1; from <= ORDERS; from += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, ORDERS - from + 1) }, async (_, i) => {
        const buyer = from + i;
        const { order } = await checkout.startOrder(buyer, products[buyer % PRODUCTS] as string);
        await checkout.payOrder(buyer, order.id, 'sol');
      }),
    );
  }
  return sim.payments().map((payment) => {
    const { ipn_callback_url: _hidden, ...fields } = payment;
    const finished = {
      ...fields,
      payment_status: 'finished',
      actually_paid: fields.pay_amount,
      updated_at: new Date().toISOString(),
      parent_payment_id: null,
      payment_extra_ids: null,
      fee: { currency: fields.pay_currency, depositFee: 0, withdrawalFee: 0, serviceFee: 0 },
    };
    return { body: JSON.stringify(finished), signature: signIpn(finished, IPN_SECRET) };
  });
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

async function measureIpn(bodies: { body: string; signature: string }[]) {
  console.log(`IPN: ${bodies.length} signed finished notifications at ${IPN_RATE}/s…`);
  let next = 0;
  const { result, peak } = await withPeakConnections(() =>
    autocannon({
      url: base,
      connections: 20,
      overallRate: IPN_RATE,
      amount: bodies.length,
      requests: [
        {
          method: 'POST',
          path: '/ipn/nowpayments',
          setupRequest: (request) => {
            const { body, signature } = bodies[next++ % bodies.length] as { body: string; signature: string };
            return {
              ...request,
              body,
              headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signature },
            };
          },
        },
      ],
    }),
  );
  const { paid } = await db.one<{ paid: number }>(
    `SELECT count(*)::int AS paid FROM orders WHERE status = 'paid' AND buyer_id <= $1`,
    [ORDERS],
  );
  const { payouts } = await db.one<{ payouts: number }>('SELECT count(*)::int AS payouts FROM payouts');
  if (payouts !== paid) throw new Error(`${paid} orders paid but ${payouts} payouts`);
  return { ...summary(result), ordersPaid: paid, peakActiveConnections: peak };
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
  const buyer = ORDERS + 1;
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
