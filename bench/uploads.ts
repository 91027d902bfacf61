// `npm run bench:uploads`: a seller lists a 1 GB file through the upload page and a buyer
// downloads it from the library page, in Debian's chromium, on the local folder and on the S3
// double, side by side in one run. The server (the page, upload, mini-app and download plugins
// on an embedded PostgreSQL) runs as a child process whose RSS is sampled throughout.
//   BENCH_UPLOAD_MB=1024 (file size)
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { Database, migrate, poolSettings, startEmbeddedPostgres } from '../src/db/index.ts';
import { FAKE_BOT_INFO, FakeTelegram } from '../src/dev/telegram/fake-telegram.ts';
import { newOrderId, newProductId } from '../src/domain/index.ts';
import { signInitData } from '../src/http/telegram-auth.ts';
import { createLogger } from '../src/log.ts';
import { startS3Double } from '../test/storage/s3-double.ts';

const MiB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_UPLOAD_MB ?? 1024) * MiB;
const BOT_TOKEN = '777:bench-uploads-token';
const S3 = {
  bucket: 'agora-bench',
  region: 'auto',
  accessKeyId: 'AKIDBENCH',
  secretAccessKey: 'bench-secret',
};
const SELLER = 9_100_001;
const BUYER = 9_100_002;

type Backend = 'local' | 's3';

/** Child mode: the server alone, so its RSS is its own, built by the composition root. */
async function serve(): Promise<void> {
  const backend = process.env.BENCH_BACKEND as Backend;
  const env = {
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    UPLOAD_SIGNING_SECRET: 'b'.repeat(32),
    ...(backend === 'local'
      ? { STORAGE_DRIVER: 'local', STORAGE_DIR: process.env.BENCH_STORAGE_DIR }
      : {
          STORAGE_DRIVER: 's3',
          S3_ENDPOINT: process.env.BENCH_S3_ENDPOINT,
          S3_REGION: S3.region,
          S3_BUCKET: S3.bucket,
          S3_ACCESS_KEY_ID: S3.accessKeyId,
          S3_SECRET_ACCESS_KEY: S3.secretAccessKey,
          S3_FORCE_PATH_STYLE: 'true',
        }),
  };
  // The bot's token signs the pages' launch data; Telegram itself is played locally.
  const telegram = new FakeTelegram();
  const app = await startApp({
    config: loadConfig(env),
    env,
    log: createLogger('warn'),
    doubles: {
      telegram: {
        token: BOT_TOKEN,
        botInfo: FAKE_BOT_INFO,
        fileBaseUrl: await telegram.start(),
        attach: (bot) => telegram.attach(bot, new Map()),
      },
    },
  });
  process.stdout.write(`${JSON.stringify({ port: new URL(app.url).port })}\n`);
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [import.meta.filename, '--serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (data: Buffer) => resolve(data.toString()));
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` };
}

/** Peak RSS of a process (MB) while `work` runs, and the RSS before it. */
async function sampled<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; beforeMB: number; peakMB: number }> {
  const rss = async () =>
    Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const beforeMB = await rss();
  let peakMB = beforeMB;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakMB = Math.max(peakMB, await rss());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    return { result: await work(), beforeMB, peakMB };
  } finally {
    sampling = false;
    await sampler;
  }
}

function launchUrl(base: string, path: string, userId: number): string {
  const initData = signInitData(
    {
      auth_date: String(Math.floor(Date.now() / 1000)),
      user: JSON.stringify({ id: userId, first_name: 'Bench', language_code: 'en' }),
    },
    BOT_TOKEN,
  );
  const hash = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: '7.10',
    tgWebAppPlatform: 'tdesktop',
  });
  return `${base}${path}#${hash}`;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

if (process.argv.includes('--serve')) {
  await serve();
} else {
  const work = await mkdtemp(join(tmpdir(), 'agora-bench-uploads-'));
  const postgres = await startEmbeddedPostgres({ settings: { fsync: 'off' } });
  const double = await startS3Double({ ...S3, corsOrigins: ['*'] });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const db = new Database({
    connection: { connectionString: postgres.url, ssl: false },
    settings: poolSettings({ min: 0, max: 2 }),
  });
  try {
    await migrate(db);
    await db.exec(`INSERT INTO users (id, first_name) VALUES ($1, 'Seller'), ($2, 'Buyer')`, [SELLER, BUYER]);
    await db.exec(
      `INSERT INTO seller_profiles (user_id, name, email, payout_address)
       VALUES ($1, 'Bench shop', 'bench@example.com', 'So11111111111111111111111111111111111111112')`,
      [SELLER],
    );
    const file = join(work, 'bench-1GB.bin');
    const out = createWriteStream(file);
    for (let i = 0; i < SIZE / MiB; i++) {
      if (!out.write(randomBytes(MiB)))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const original = await sha256Of(file);

    const rows: Record<string, unknown>[] = [];
    for (const backend of ['local', 's3'] as const) {
      const storageDir = join(work, `files-${backend}`);
      await mkdir(storageDir);
      const { child, base } = await startServer({
        BENCH_BACKEND: backend,
        BENCH_DATABASE_URL: postgres.url,
        BENCH_STORAGE_DIR: storageDir,
        BENCH_S3_ENDPOINT: double.endpoint,
      });
      const productId = newProductId();
      await db.exec(
        `INSERT INTO products (id, seller_id, category_id, title, price_cents)
         VALUES ($1, $2, (SELECT id FROM categories ORDER BY position LIMIT 1), $3, 4900)`,
        [productId, SELLER, `Bench product (${backend})`],
      );
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        acceptDownloads: true,
      });
      const page: Page = await context.newPage();
      await page.goto(launchUrl(base, `/app/upload?product=${productId}`, SELLER));
      await page.locator('[data-step="pick"]').waitFor();
      const upload = await sampled(child.pid as number, async () => {
        const started = performance.now();
        await page.setInputFiles('[data-input]', file);
        // The last bytes sent, the page waits for the server's check (S3: a read-back of the object).
        await page
          .locator('[data-status]')
          .filter({ hasText: 'Checking the file' })
          .waitFor({ timeout: 600_000 });
        const sent = performance.now();
        await page.locator('[data-step="done"]').waitFor({ timeout: 600_000 });
        const done = performance.now();
        return { seconds: (done - started) / 1000, verifySeconds: (done - sent) / 1000 };
      });
      const stored = await db.one<{ sha256: string; size: number }>(
        `SELECT f.sha256, f.size_bytes::float8 AS size FROM products p JOIN stored_files f ON f.id = p.main_file_id
         WHERE p.id = $1`,
        [productId],
      );
      if (stored.sha256 !== original || stored.size !== SIZE)
        throw new Error(`${backend}: stored file differs`);
      await db.exec(`UPDATE products SET status = 'active' WHERE id = $1`, [productId]);
      await db.exec(
        `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents, status, paid_at)
         VALUES ($1, $2, $3, $4, 'Bench', 4900, 0, 4900, 'paid', now())`,
        [newOrderId(), BUYER, productId, SELLER],
      );

      await page.goto(launchUrl(base, '/app/library', BUYER));
      const item = page.locator('.item').filter({ hasText: `Bench product (${backend})` });
      await item.waitFor();
      const download = await sampled(child.pid as number, async () => {
        const started = performance.now();
        const [event] = await Promise.all([
          page.waitForEvent('download'),
          item.locator('[data-download]').click(),
        ]);
        const path = await event.path();
        return { seconds: (performance.now() - started) / 1000, path };
      });
      if ((await sha256Of(download.result.path)) !== original)
        throw new Error(`${backend}: downloaded file differs`);
      await context.close();
      child.kill('SIGTERM');
      await rm(storageDir, { recursive: true, force: true });
      double.objects.clear();

      const mb = SIZE / 1e6;
      rows.push({
        backend,
        bytes: SIZE,
        uploadSeconds: round(upload.result.seconds, 2),
        uploadMBps: round(mb / upload.result.seconds),
        ofWhichCheckSeconds: round(upload.result.verifySeconds, 2),
        uploadServerRssMB: `${round(upload.beforeMB)} → ${round(upload.peakMB)}`,
        uploadRssGrowthMB: round(upload.peakMB - upload.beforeMB),
        downloadSeconds: round(download.result.seconds, 2),
        downloadMBps: round(mb / download.result.seconds),
        downloadRssGrowthMB: round(download.peakMB - download.beforeMB),
      });
    }
    console.table(rows);
    await mkdir(new URL('./results/', import.meta.url), { recursive: true });
    await writeFile(new URL('./results/uploads.json', import.meta.url), `${JSON.stringify(rows, null, 2)}\n`);
    console.log(JSON.stringify(rows));
  } finally {
    await browser.close();
    await db.close();
    await double.close();
    await postgres.stop();
    await rm(work, { recursive: true, force: true });
  }
}
