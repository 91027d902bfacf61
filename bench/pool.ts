// `npm run bench:pool`: the guide's "expected impact" table, measured. Starts its own PostgreSQL
// with max_connections = 20, then runs, interleaved in one process: a new connection per call
// (the guide's "avant"), our pool, a bare pg.Pool and postgres.js, on a burst and a sustained load.
import { writeFile } from 'node:fs/promises';
import pg from 'pg';
import postgres from 'postgres';
import { Database, poolSettings, startEmbeddedPostgres } from '../src/db/index.ts';

const MAX = 10;
const CONCURRENCY = 50;
const BURST_CALLS = 100;
const SUSTAINED_CALLS = Number(process.env.BENCH_SUSTAINED_CALLS ?? 20_000);
// A new connection per call manages a few dozen calls a second here: a sample is enough.
const BEFORE_SUSTAINED_CALLS = Math.min(SUSTAINED_CALLS, 2_000);
const ROUNDS = 4;
const SQL = 'SELECT * FROM users WHERE user_id = $1';

type VariantName = 'before' | 'pool' | 'bare' | 'peer';
interface Variant {
  name: VariantName;
  call(id: number): Promise<unknown>;
  acquireWaits?(): { p50: number; p99: number } | null;
  close(): Promise<void>;
}
interface Tally {
  waits: { p50: number; p99: number }[];
  calls: number;
  errors: number;
  elapsedMs: number;
  latencies: number[];
  peak: number;
  errorSamples: Set<string>;
}

const server = await startEmbeddedPostgres({ settings: { max_connections: '20', fsync: 'off' } });
const admin = new pg.Client({ connectionString: server.url, application_name: 'bench_sampler' });
await admin.connect();
await admin.query(`
  CREATE TABLE users (user_id bigint PRIMARY KEY, username text NOT NULL, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  INSERT INTO users (user_id, username, email) SELECT g, 'user' || g, 'user' || g || '@example.com' FROM generate_series(1, 10000) g;
  ANALYZE users;
`);
const { rows: versionRows } = await admin.query<{ v: string }>(
  "SELECT current_setting('server_version') AS v",
);

function makeVariant(name: VariantName): Variant {
  const app = `bench_${name}`;
  switch (name) {
    case 'before':
      return {
        name,
        async call(id) {
          const client = new pg.Client({ connectionString: server.url, application_name: app });
          try {
            await client.connect();
            return (await client.query(SQL, [id])).rows[0];
          } finally {
            await client.end().catch(() => {});
          }
        },
        acquireWaits: () => null,
        close: async () => {},
      };
    case 'pool': {
      const db = new Database({
        connection: { connectionString: server.url, ssl: false },
        settings: poolSettings({
          max: MAX,
          applicationName: app,
          acquireTimeoutMs: 30_000,
          maxWaiters: 1_000,
        }),
      });
      return {
        name,
        call: (id) => db.maybeOne(SQL, [id]),
        acquireWaits: () => {
          const { p50, p99 } = db.status().acquireWaitMs;
          return { p50, p99 };
        },
        close: () => db.close(),
      };
    }
    case 'bare': {
      const pool = new pg.Pool({ connectionString: server.url, max: MAX, application_name: app });
      pool.on('error', () => {});
      return {
        name,
        call: async (id) => (await pool.query(SQL, [id])).rows[0],
        acquireWaits: () => null,
        close: () => pool.end(),
      };
    }
    case 'peer': {
      const sql = postgres(server.url, {
        max: MAX,
        connection: { application_name: app },
        onnotice: () => {},
      });
      return {
        name,
        call: async (id) => (await sql.unsafe(SQL, [id]))[0],
        acquireWaits: () => null,
        close: () => sql.end(),
      };
    }
  }
}

/** Runs `calls` calls, `CONCURRENCY` at a time, sampling the variant's server connections meanwhile. */
async function run(variant: Variant, calls: number, tally: Tally): Promise<void> {
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [`bench_${variant.name}`],
      );
      tally.peak = Math.max(tally.peak, rows[0]?.n ?? 0);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < calls) {
        next++;
        const t = performance.now();
        try {
          await variant.call(1 + Math.floor(Math.random() * 10_000));
          tally.latencies.push(performance.now() - t);
          tally.calls++;
        } catch (error) {
          tally.errors++;
          if (tally.errorSamples.size < 3) tally.errorSamples.add((error as Error).message);
        }
      }
    }),
  );
  tally.elapsedMs += performance.now() - started;
  sampling = false;
  await sampler;
}

function summarise(tally: Tally) {
  // The pool's own acquire-wait percentiles, averaged over the rounds.
  const mean = (pick: (w: { p50: number; p99: number }) => number) =>
    round(tally.waits.reduce((sum, w) => sum + pick(w), 0) / tally.waits.length);
  const waits = tally.waits.length ? { p50: mean((w) => w.p50), p99: mean((w) => w.p99) } : null;
  const sorted = tally.latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) : 0;
  return {
    calls: tally.calls + tally.errors,
    errors: tally.errors,
    callsPerSec: Math.round((tally.calls / tally.elapsedMs) * 1000),
    latencyMs: { p50: at(0.5), p99: at(0.99) },
    acquireWaitMs: waits,
    peakServerConnections: tally.peak,
    ...(tally.errorSamples.size ? { sampleErrors: [...tally.errorSamples] } : {}),
  };
}
const round = (n: number) => Math.round(n * 100) / 100;
const newTally = (): Tally => ({
  waits: [],
  calls: 0,
  errors: 0,
  elapsedMs: 0,
  latencies: [],
  peak: 0,
  errorSamples: new Set(),
});

/** Waits until the variant's sessions have left the server, so the next variant starts alone. */
async function drained(name: VariantName): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [`bench_${name}`],
    );
    if (rows[0]?.n === 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const names: VariantName[] = ['before', 'pool', 'bare', 'peer'];
const results: Record<string, Record<VariantName, ReturnType<typeof summarise>>> = {};
for (const [workload, calls, rounds] of [
  ['burst', BURST_CALLS, 1],
  ['sustained', SUSTAINED_CALLS, ROUNDS],
] as const) {
  const tallies = Object.fromEntries(names.map((n) => [n, newTally()])) as Record<VariantName, Tally>;
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so no variant always runs first or last; each runs alone on
    // the server (four pools of 10 would not fit in max_connections = 20 together).
    const order = names.map((_, i) => names[(i + r) % names.length] as VariantName);
    for (const name of order) {
      const variant = makeVariant(name);
      const total = name === 'before' && workload === 'sustained' ? BEFORE_SUSTAINED_CALLS : calls;
      await run(variant, Math.round(total / rounds), tallies[name]);
      const waits = variant.acquireWaits?.();
      if (waits) tallies[name].waits.push(waits);
      await variant.close();
      await drained(name);
    }
  }
  results[workload] = Object.fromEntries(names.map((n) => [n, summarise(tallies[n])])) as Record<
    VariantName,
    ReturnType<typeof summarise>
  >;
}

const report = {
  postgres: { version: versionRows[0]?.v ?? 'unknown', maxConnections: 20 },
  poolMax: MAX,
  workloads: results,
};
await admin.end();
await server.stop();

console.log(
  `PostgreSQL ${report.postgres.version}, max_connections 20, pool max ${MAX}, ${CONCURRENCY} callers at a time\n`,
);
console.log('workload   variant  calls   errors  calls/s  p50 ms  p99 ms  wait p50  wait p99  peak conns');
for (const [workload, byVariant] of Object.entries(results)) {
  for (const [name, v] of Object.entries(byVariant)) {
    console.log(
      [
        workload.padEnd(10),
        name.padEnd(8),
        String(v.calls).padStart(6),
        String(v.errors).padStart(7),
        String(v.callsPerSec).padStart(8),
        String(v.latencyMs.p50).padStart(7),
        String(v.latencyMs.p99).padStart(7),
        String(v.acquireWaitMs?.p50 ?? '-').padStart(9),
        String(v.acquireWaitMs?.p99 ?? '-').padStart(9),
        String(v.peakServerConnections).padStart(11),
      ].join(' '),
    );
  }
}
const s = results.sustained as Record<VariantName, ReturnType<typeof summarise>>;
console.log(
  `\npool / bare (sustained): ${Math.round((s.pool.callsPerSec / s.bare.callsPerSec) * 100)} %; ` +
    `pool / before: ${(s.pool.callsPerSec / Math.max(1, s.before.callsPerSec)).toFixed(1)}x; ` +
    `pool / peer: ${Math.round((s.pool.callsPerSec / s.peer.callsPerSec) * 100)} %`,
);
await writeFile(new URL('./results/pool.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
console.log('Written to bench/results/pool.json');
