// `npm run bench:pool`: our pool against bare pg and postgres.js, each used the way its own users
// use it, on one-shot reads and on a short transaction, with pgbench's ceiling measured in the
// same run. Starts its own PostgreSQL (and a PgBouncer for the pooler rows when one is on PATH);
// each variant runs in a process of its own with at most 10 server connections and 50 callers;
// after a round that warms every variant up, rounds are interleaved in a new order each, one
// variant running at a time, and each number is their median.
import { type ChildProcess, execFile, fork } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { poolSettings, startEmbeddedPostgres } from '../src/db/index.ts';
import { findPgBouncer, type PgBouncer, startPgBouncer } from '../test/support/pgbouncer.ts';
import type { Request } from './pool-client.ts';
import {
  BARE,
  CALLERS,
  MAX,
  PEER,
  POOLER_PEERS,
  ROLE_TIMEOUTS_DB,
  ROWS,
  type Sample,
  type Targets,
  variants,
  type Workload,
} from './pool-variants.ts';
import { cpuTicks, stolenSince } from './steal.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const READS = Number(process.env.BENCH_READS ?? 20_000);
const TRANSACTIONS = Number(process.env.BENCH_TRANSACTIONS ?? 15_000);
const PGBENCH_SECONDS = Number(process.env.BENCH_PGBENCH_SECONDS ?? 5);
// Between variants: the closed pool's server processes exit before the next one is timed.
const SETTLE_MS = 500;
const WARM_UP_READS = Number(process.env.BENCH_WARM_UP_READS ?? 20_000);
// A sample during which the hypervisor gave more than this share of the machine's CPU time to
// other guests is taken again (at most RETAKES times, the least disturbed one kept).
const MAX_STEAL = Number(process.env.BENCH_MAX_STEAL ?? 0.05);
const RETAKES = 2;
const run = promisify(execFile);

const server = await startEmbeddedPostgres({ settings: { max_connections: '60', fsync: 'off' } });
const admin = new pg.Client({ connectionString: server.url, application_name: 'bench_admin' });
await admin.connect();
const TABLES = `
  CREATE TABLE users (user_id bigint PRIMARY KEY, username text NOT NULL, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  INSERT INTO users (user_id, username, email) SELECT g, 'user' || g, 'user' || g || '@example.com' FROM generate_series(1, ${ROWS}) g;
  CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL DEFAULT 0);
  INSERT INTO accounts (id) SELECT g FROM generate_series(1, ${ROWS}) g;
  ANALYZE users; ANALYZE accounts;
`;
await admin.query(TABLES);
// The same tables in a database whose sessions all start with our default timeouts, set on the
// role (ALTER ROLE … IN DATABASE … SET): through PgBouncer, our pool then sends no setup statement.
const { statementTimeoutMs, idleInTransactionTimeoutMs } = poolSettings();
await admin.query(`CREATE DATABASE ${ROLE_TIMEOUTS_DB}`);
await admin.query(
  `ALTER ROLE CURRENT_USER IN DATABASE ${ROLE_TIMEOUTS_DB} SET statement_timeout = ${statementTimeoutMs}`,
);
await admin.query(
  `ALTER ROLE CURRENT_USER IN DATABASE ${ROLE_TIMEOUTS_DB} SET idle_in_transaction_session_timeout = ${idleInTransactionTimeoutMs}`,
);
const roleDbUrl = new URL(server.url);
roleDbUrl.pathname = `/${ROLE_TIMEOUTS_DB}`;
const roleAdmin = new pg.Client({ connectionString: roleDbUrl.href });
await roleAdmin.connect();
await roleAdmin.query(TABLES);
await roleAdmin.end();
const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]
  ?.v;
const bouncer: PgBouncer | undefined = findPgBouncer()
  ? await startPgBouncer({ serverUrl: server.url, poolSize: MAX })
  : undefined;

const targets: Targets = {
  direct: server.url,
  ...(bouncer
    ? { bouncer: { plain: bouncer.url('postgres'), roleTimeouts: bouncer.url(ROLE_TIMEOUTS_DB) } }
    : {}),
};

/** A variant's own process (`bench/pool-client.ts`), answering one request at a time. */
class VariantProcess {
  readonly #child: ChildProcess;
  readonly #ready: Promise<unknown>;
  #pending: { resolve(result: unknown): void; reject(error: Error): void } | undefined;

  constructor(name: string) {
    this.#child = fork(new URL('./pool-client.ts', import.meta.url), {
      env: { ...process.env, BENCH_VARIANT: name, BENCH_TARGETS: JSON.stringify(targets) },
    });
    this.#child.on('message', (reply: { ok: boolean; result?: unknown; error?: string }) => {
      const pending = this.#pending;
      this.#pending = undefined;
      if (reply.ok) pending?.resolve(reply.result);
      else pending?.reject(new Error(`${name}: ${reply.error}`));
    });
    this.#child.on('exit', (code) =>
      this.#pending?.reject(new Error(`${name}: its process exited (${code})`)),
    );
    this.#ready = this.#answer();
  }

  #answer(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
    });
  }

  async ask(request: Request): Promise<unknown> {
    await this.#ready;
    const answer = this.#answer();
    this.#child.send(request);
    return answer;
  }

  load(workload: Workload, calls: number): Promise<Sample> {
    return this.ask({ op: 'load', workload, calls }) as Promise<Sample>;
  }

  stop(): void {
    this.#child.kill();
  }
}

interface Timed extends Sample {
  /** The share of the machine's CPU time stolen by the hypervisor meanwhile (0 when unknown). */
  steal: number;
}

/** A sample of `calls` calls, with the steal measured around it. */
async function timed(variant: VariantProcess, workload: Workload, calls: number): Promise<Timed> {
  const ticks = cpuTicks();
  const sample = await variant.load(workload, calls);
  return { ...sample, steal: stolenSince(ticks) };
}

/** pgbench on the same statements (prepared, 10 clients): what the server itself can do here. */
async function pgbench(workload: Workload): Promise<number | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'agora-pgbench-'));
  try {
    const script = join(dir, `${workload}.sql`);
    const body =
      workload === 'reads'
        ? `\\set id random(1, ${ROWS})\nSELECT * FROM users WHERE user_id = :id;\n`
        : `\\set id random(1, ${ROWS})\nBEGIN;\nSELECT balance FROM accounts WHERE id = :id FOR UPDATE;\nUPDATE accounts SET balance = balance + 1 WHERE id = :id;\nCOMMIT;\n`;
    await writeFile(script, body);
    const args = ['-n', '-M', 'prepared', '-c', String(MAX), '-j', '2', '-T', String(PGBENCH_SECONDS)];
    const { stdout } = await run('pgbench', [...args, '-f', script, server.url]);
    const tps = /tps = ([\d.]+)/.exec(stdout);
    return tps ? Number(tps[1]) : undefined;
  } catch {
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A new order of the variants each round (seeded, so runs repeat): rotating one order would keep
 * each variant behind the same neighbour, whose after-effects (its server processes exiting, its
 * garbage) it would pay in every round.
 */
function shuffled(items: readonly string[], seed: number): string[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as string, out[i] as string];
  }
  return out;
}

const hasPgbench = await run('pgbench', ['--version']).then(
  () => true,
  () => false,
);
// BENCH_ONLY=<regexp>: only the variants whose name matches (the peers used for ratios included).
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const all = Object.keys(variants(targets));
const picked = all.filter((name) => !only || only.test(name));
const names = all.filter(
  (name) =>
    picked.includes(name) ||
    name === BARE ||
    name === PEER ||
    picked.some((mine) => POOLER_PEERS[mine] === name),
);
const samples: Record<Workload, Record<string, Timed[]>> = { reads: {}, transactions: {} };
const ceilings: Record<Workload, number[]> = { reads: [], transactions: [] };
const errors = new Map(names.map((name) => [name, { count: 0, messages: new Set<string>() }]));
let retaken = 0;
const processes = new Map(names.map((name) => [name, new VariantProcess(name)]));
const processOf = (name: string) => processes.get(name) as VariantProcess;
// A first round, not counted, until V8 has optimised the code each variant runs (it takes
// thousands of calls); its process keeps that code for the rounds that follow.
for (const name of names) {
  const variant = processOf(name);
  await variant.ask({ op: 'open' });
  await variant.load('reads', WARM_UP_READS);
  await variant.load('transactions', WARM_UP_READS / 4);
  await variant.ask({ op: 'close' });
}
for (let round = 0; round < ROUNDS; round++) {
  for (const name of shuffled(names, round + 1)) {
    const variant = processOf(name);
    const timedAndCounted = async (workload: Workload, calls: number) => {
      const sample = await timed(variant, workload, calls);
      const met = errors.get(name);
      if (met) met.count += sample.errors;
      for (const message of sample.errorMessages) met?.messages.add(message);
      return sample;
    };
    await variant.ask({ op: 'open' });
    await variant.load('reads', 500); // warm: connections open, statements prepared
    await variant.load('transactions', 200);
    for (const workload of ['reads', 'transactions'] as const) {
      const calls = workload === 'reads' ? READS : TRANSACTIONS;
      let sample = await timedAndCounted(workload, calls);
      for (let retake = 0; retake < RETAKES && sample.steal > MAX_STEAL; retake++) {
        retaken++;
        const again = await timedAndCounted(workload, calls);
        if (again.steal < sample.steal) sample = again;
      }
      samples[workload][name] = [...(samples[workload][name] ?? []), sample];
    }
    await variant.ask({ op: 'close' });
    await sleep(SETTLE_MS);
  }
  if (hasPgbench) {
    for (const workload of ['reads', 'transactions'] as const) {
      const tps = await pgbench(workload);
      if (tps !== undefined) ceilings[workload].push(tps);
    }
  }
}
for (const variant of processes.values()) variant.stop();
await admin.end();
await bouncer?.stop();
await server.stop();

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.floor(sorted.length / 2)] as number) : Number.NaN;
};
const rate = (workload: Workload, name: string) =>
  median((samples[workload][name] ?? []).map((s) => s.perSecond));
const cpuMicros = (workload: Workload, name: string) =>
  Math.round(median((samples[workload][name] ?? []).map((s) => s.cpuMicros)));
const steal = (workload: Workload, name: string) =>
  median((samples[workload][name] ?? []).map((s) => s.steal));
const ceiling = { reads: median(ceilings.reads), transactions: median(ceilings.transactions) };
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null);
/** One of our rows through PgBouncer against bare pg through the same PgBouncer. */
const vsPoolerPeer = (name: string, peer: string) => ({
  peer,
  reads: ratio(rate('reads', name), rate('reads', peer)),
  transactions: ratio(rate('transactions', name), rate('transactions', peer)),
});
const rows = names.map((name) => ({
  variant: name,
  reads: {
    perSecond: Math.round(rate('reads', name)),
    vsBarePg: ratio(rate('reads', name), rate('reads', BARE)),
    vsPostgresJs: ratio(rate('reads', name), rate('reads', PEER)),
    vsPgbench: ratio(rate('reads', name), ceiling.reads),
    clientCpuMicrosPerCall: cpuMicros('reads', name),
    medianSteal: steal('reads', name),
  },
  transactions: {
    perSecond: Math.round(rate('transactions', name)),
    vsBarePg: ratio(rate('transactions', name), rate('transactions', BARE)),
    vsPostgresJs: ratio(rate('transactions', name), rate('transactions', PEER)),
    vsPgbench: ratio(rate('transactions', name), ceiling.transactions),
    clientCpuMicrosPerCall: cpuMicros('transactions', name),
    medianSteal: steal('transactions', name),
  },
  ...(POOLER_PEERS[name] ? { viaPgBouncer: vsPoolerPeer(name, POOLER_PEERS[name]) } : {}),
  errors: errors.get(name)?.count ?? 0,
  ...(errors.get(name)?.count ? { sampleErrors: [...(errors.get(name)?.messages ?? [])].slice(0, 3) } : {}),
}));

const fmt = (n: number | null) => (n === null ? '  -  ' : n.toFixed(2).padStart(5));
console.log(
  `PostgreSQL ${version}, ${MAX} server connections per variant, ${CALLERS} callers, ` +
    `median of ${ROUNDS} interleaved rounds (${READS} reads, ${TRANSACTIONS} transactions each)`,
);
console.log(
  hasPgbench
    ? `pgbench ceiling (-M prepared -c ${MAX}, same statements): ${Math.round(ceiling.reads)} reads/s, ${Math.round(ceiling.transactions)} transactions/s`
    : 'pgbench not installed: no ceiling (apt-get install postgresql-client)',
);
const kept = Object.values(samples).flatMap((byVariant) => Object.values(byVariant).flat());
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
console.log(
  `hypervisor steal: median ${percent(median(kept.map((s) => s.steal)))}, at most ${percent(Math.max(...kept.map((s) => s.steal)))} of the CPU in the samples kept; ` +
    `${retaken} samples retaken (over ${percent(MAX_STEAL)})`,
);
if (!bouncer) console.log('pgbouncer not installed: no pooler rows (apt-get install pgbouncer)');
console.log(
  `\n${'variant'.padEnd(52)} reads/s  ×bare  ×pg.js ×pgbench cpu µs |  tx/s  ×bare  ×pg.js ×pgbench cpu µs  errors`,
);
for (const row of rows) {
  const { reads: r, transactions: t } = row;
  console.log(
    `${row.variant.padEnd(52)} ${String(r.perSecond).padStart(7)} ${fmt(r.vsBarePg)}  ${fmt(r.vsPostgresJs)}   ${fmt(r.vsPgbench)} ${String(r.clientCpuMicrosPerCall).padStart(6)} | ` +
      `${String(t.perSecond).padStart(5)} ${fmt(t.vsBarePg)}  ${fmt(t.vsPostgresJs)}   ${fmt(t.vsPgbench)} ${String(t.clientCpuMicrosPerCall).padStart(6)}  ${String(row.errors).padStart(6)}`,
  );
}
const poolerRows = rows.flatMap(({ variant, viaPgBouncer }) =>
  viaPgBouncer ? [{ variant, ...viaPgBouncer }] : [],
);
if (poolerRows.length) {
  console.log(`\n${'through PgBouncer, against bare pg through it'.padEnd(52)}  reads     tx  peer`);
  for (const { variant, reads, transactions, peer } of poolerRows) {
    console.log(`${variant.padEnd(52)}  ${fmt(reads)}  ${fmt(transactions)}  ${peer}`);
  }
}
const report = {
  postgres: version,
  serverConnectionsPerVariant: MAX,
  callers: CALLERS,
  rounds: ROUNDS,
  maxSteal: MAX_STEAL,
  samplesRetaken: retaken,
  pgbenchCeiling: hasPgbench
    ? { reads: Math.round(ceiling.reads), transactions: Math.round(ceiling.transactions) }
    : null,
  variants: rows,
};
await writeFile(new URL('./results/pool.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
console.log('\nWritten to bench/results/pool.json');
