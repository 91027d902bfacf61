// The backup round trip, measured (not part of npm test): `npx node test/backup/bench.ts`.
// Starts a throwaway PostgreSQL, then for each data set, in a fresh child process so memory
// figures do not carry over: fills a database (the seed:demo marketplace, or synthetic paid
// orders each with a payment, a payout and a provider notification), backs it up to a local
// storage folder, drops and recreates the database, restores it, and checks the row counts.
// Prints a table and the JSON: tables, rows, bytes, seconds, and the child's peak RSS growth
// above its level just before each phase. BENCH_ORDERS="20000,200000" picks the synthetic sizes;
// BENCH_NODE_FLAGS passes V8 flags to the children (e.g. "--max-old-space-size=64": the run then
// fits in a 64 MB old generation, whatever the size). With default flags most of the growth is
// V8 enlarging its young generation under a high allocation rate, up to its cap (128 MB here).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedDemo } from '../../scripts/seed-demo.ts';
import { Database, migrate, poolSettings, startEmbeddedPostgres } from '../../src/db/index.ts';
import { createBackupService } from '../../src/services/backups.ts';
import { LocalFileStorage } from '../../src/storage/index.ts';
import { addSyntheticOrders, silentLog } from './support.ts';

interface Result {
  set: string;
  tables: number;
  rows: number;
  bytes: number;
  backupSeconds: number;
  restoreSeconds: number;
  backupRssMb: number;
  restoreRssMb: number;
}

const pool = (url: string) =>
  new Database({
    connection: { connectionString: url, ssl: false },
    settings: poolSettings({ min: 0, max: 4 }),
  });

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `fn`, sampling this process's RSS; returns seconds and the peak growth in MB. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; rssMb: number }> {
  globalThis.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = performance.now();
  const value = await fn();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { value, seconds, rssMb: (peak - base) / 2 ** 20 };
}

async function runSet(serverUrl: string, set: string): Promise<Result> {
  const admin = pool(serverUrl);
  const name = `bench_backup_${set.replace(/\W/g, '_')}`;
  await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  const dir = await mkdtemp(join(tmpdir(), 'agora-bench-backup-'));
  const storage = new LocalFileStorage({
    dir,
    publicUrl: 'http://localhost:3000',
    signingSecret: 's'.repeat(32),
  });
  try {
    let db = pool(url);
    await migrate(db);
    if (set === 'demo') await seedDemo(db, storage);
    else
      for (let done = 0, total = Number(set); done < total; done += 50_000) {
        await addSyntheticOrders(db, Math.min(50_000, total - done), done);
      }
    await db.exec('VACUUM ANALYZE');
    const backup = await measured(() => createBackupService({ db, storage, log: silentLog }).backup());
    await db.close();
    await admin.exec(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE ${name}`);
    db = pool(url);
    const restore = await measured(() =>
      createBackupService({ db, storage, log: silentLog }).restore({ key: backup.value.key }),
    );
    if (restore.value.rows !== backup.value.rows) throw new Error('the restore lost rows');
    await db.close();
    return {
      set: set === 'demo' ? 'seed:demo' : `${Number(set).toLocaleString('en')} orders`,
      tables: backup.value.tables,
      rows: backup.value.rows,
      bytes: backup.value.bytes,
      backupSeconds: backup.seconds,
      restoreSeconds: restore.seconds,
      backupRssMb: backup.rssMb,
      restoreRssMb: restore.rssMb,
    };
  } finally {
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const [mode, set] = process.argv.slice(2);
if (mode === '--child' && set) {
  console.log(JSON.stringify(await runSet(process.env.BENCH_SERVER_URL as string, set)));
} else {
  const sizes = (process.env.BENCH_ORDERS ?? '20000,200000').split(',');
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const server = await startEmbeddedPostgres();
  const results: Result[] = [];
  try {
    for (const one of ['demo', ...sizes]) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--expose-gc', ...flags, import.meta.filename, '--child', one],
        { env: { ...process.env, BENCH_SERVER_URL: server.url }, maxBuffer: 1 << 20 },
      );
      results.push(JSON.parse(stdout.trim().split('\n').at(-1) as string));
    }
  } finally {
    await server.stop();
  }
  console.log(
    '| data set | tables | rows | snapshot | backup s | restore s | backup RSS +MB | restore RSS +MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const size =
      r.bytes >= 2 ** 20 ? `${(r.bytes / 2 ** 20).toFixed(1)} MB` : `${(r.bytes / 1024).toFixed(0)} KB`;
    console.log(
      `| ${r.set} | ${r.tables} | ${r.rows.toLocaleString('en')} | ${size} | ${r.backupSeconds.toFixed(2)} | ` +
        `${r.restoreSeconds.toFixed(2)} | ${r.backupRssMb.toFixed(1)} | ${r.restoreRssMb.toFixed(1)} |`,
    );
  }
  console.log(JSON.stringify(results));
}
