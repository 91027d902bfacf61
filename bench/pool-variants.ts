// The variants `bench:pool` compares, each used the way its own users use it, and the load that
// times one. Each variant runs in a process of its own (`bench/pool-client.ts`), as it would in an
// application: one driver's code, its own heap and garbage, V8's optimisations for it alone.
import pg from 'pg';
import postgres from 'postgres';
import { Database, poolSettings, type TimeoutEnforcement } from '../src/db/index.ts';

export const MAX = 10;
export const CALLERS = 50;
export const ROWS = 10_000;
export const ROLE_TIMEOUTS_DB = 'bench_role_timeouts';
const READ = 'SELECT * FROM users WHERE user_id = $1';
const LOCK = 'SELECT balance FROM accounts WHERE id = $1 FOR UPDATE';
const CREDIT = 'UPDATE accounts SET balance = balance + 1 WHERE id = $1';

export type Workload = 'reads' | 'transactions';

interface Variant {
  read(id: number): Promise<unknown>;
  transact(id: number): Promise<unknown>;
  close(): Promise<void>;
}

/** Where the variants connect: the server, and PgBouncer's two databases when there is one. */
export interface Targets {
  direct: string;
  bouncer?: { plain: string; roleTimeouts: string };
}

async function ourPool(
  url: string,
  overrides: Parameters<typeof poolSettings>[0] = {},
  expectedTimeouts?: TimeoutEnforcement,
): Promise<Variant> {
  const db = new Database({
    connection: { connectionString: url, ssl: false },
    settings: poolSettings({ max: MAX, acquireTimeoutMs: 30_000, maxWaiters: 1_000, ...overrides }),
  });
  await db.initialize(); // as the application does: it also looks for the server's own timeouts
  if (expectedTimeouts && db.status().timeouts !== expectedTimeouts) {
    throw new Error(`Expected timeouts '${expectedTimeouts}', the pool has '${db.status().timeouts}'`);
  }
  return {
    read: (id) => db.maybeOne(READ, [id]),
    transact: (id) =>
      db.transaction(async (tx) => {
        await tx.one(LOCK, [id]);
        await tx.exec(CREDIT, [id]);
      }),
    close: () => db.close(),
  };
}

function barePool(url: string, named: boolean): Variant {
  const pool = new pg.Pool({ connectionString: url, max: MAX });
  pool.on('error', () => {});
  const query = (client: pg.Pool | pg.PoolClient, name: string, text: string, id: number) =>
    client.query(named ? { name, text, values: [id] } : { text, values: [id] });
  return {
    read: async (id) => (await query(pool, 'read', READ, id)).rows[0],
    transact: async (id) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await query(client, 'lock', LOCK, id);
        await query(client, 'credit', CREDIT, id);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function postgresJs(url: string, tagged: boolean): Variant {
  const sql = postgres(url, { max: MAX, onnotice: () => {} });
  if (tagged) {
    return {
      read: async (id) => (await sql`SELECT * FROM users WHERE user_id = ${id}`)[0],
      transact: (id) =>
        sql.begin(async (tx) => {
          await tx`SELECT balance FROM accounts WHERE id = ${id} FOR UPDATE`;
          await tx`UPDATE accounts SET balance = balance + 1 WHERE id = ${id}`;
        }),
      close: () => sql.end(),
    };
  }
  return {
    read: async (id) => (await sql.unsafe(READ, [id]))[0],
    transact: (id) =>
      sql.begin(async (tx) => {
        await tx.unsafe(LOCK, [id]);
        await tx.unsafe(CREDIT, [id]);
      }),
    close: () => sql.end(),
  };
}

export const BARE = 'bare pg.Pool';
export const PEER = 'postgres.js, tagged templates';
const BARE_VIA_BOUNCER = 'bare pg.Pool via PgBouncer';
const BARE_VIA_BOUNCER_ROLE = 'bare pg.Pool via PgBouncer, timeouts from the role';
/** Through PgBouncer, each of our rows against bare pg through the same PgBouncer (and database). */
export const POOLER_PEERS: Record<string, string> = {
  'our layer via PgBouncer (DB_TRANSACTION_POOLER)': BARE_VIA_BOUNCER,
  'our layer via PgBouncer, timeouts off': BARE_VIA_BOUNCER,
  'our layer via PgBouncer, timeouts from the role': BARE_VIA_BOUNCER_ROLE,
};

/** The variants by name, in the order of the printed table (the PgBouncer ones only with one). */
export function variants({ direct, bouncer }: Targets): Record<string, () => Variant | Promise<Variant>> {
  return {
    'our layer (defaults: pipelined, prepared)': () => ourPool(direct),
    'our layer, unnamed statements': () => ourPool(direct, { preparedStatements: false }),
    // Leak detection records the stack of every scope's caller: its cost, shown apart.
    'our layer, DB_LEAK_THRESHOLD_MS=0': () => ourPool(direct, { leakThresholdMs: 0 }),
    [BARE]: () => barePool(direct, false),
    'pg.Pool, named statements': () => barePool(direct, true),
    [PEER]: () => postgresJs(direct, true),
    'postgres.js unsafe()': () => postgresJs(direct, false),
    ...(bouncer
      ? {
          'our layer via PgBouncer (DB_TRANSACTION_POOLER)': () =>
            ourPool(bouncer.plain, { transactionPooler: true }),
          // Through a pooler each transaction sets its two timeouts (one statement more for the
          // server); bare pg sets none: the same layer without them, for a like-for-like view.
          'our layer via PgBouncer, timeouts off': () =>
            ourPool(bouncer.plain, {
              transactionPooler: true,
              statementTimeoutMs: 0,
              idleInTransactionTimeoutMs: 0,
            }),
          'our layer via PgBouncer, timeouts from the role': () =>
            ourPool(bouncer.roleTimeouts, { transactionPooler: true }, 'server defaults'),
          [BARE_VIA_BOUNCER]: () => barePool(bouncer.plain, false),
          // The same role timeouts: the server arms a timer per statement, for bare pg too.
          [BARE_VIA_BOUNCER_ROLE]: () => barePool(bouncer.roleTimeouts, false),
        }
      : {}),
  };
}

export interface Sample {
  perSecond: number;
  /** The variant's process's CPU time per call: the client side's own cost. */
  cpuMicros: number;
  /** Calls that failed, counted apart from the rest. */
  errors: number;
  /** The first few different messages among them. */
  errorMessages: string[];
}

/** `calls` calls, `CALLERS` at a time. */
export async function load(variant: Variant, workload: Workload, calls: number): Promise<Sample> {
  let next = 0;
  let errors = 0;
  const errorMessages = new Set<string>();
  const started = performance.now();
  const cpu = process.cpuUsage();
  let ok = 0;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < calls) {
        next++;
        const id = 1 + Math.floor(Math.random() * ROWS);
        try {
          await (workload === 'reads' ? variant.read(id) : variant.transact(id));
          ok++;
        } catch (error) {
          errors++;
          if (errorMessages.size < 3) errorMessages.add((error as Error).message);
        }
      }
    }),
  );
  const { user, system } = process.cpuUsage(cpu);
  return {
    perSecond: (ok / (performance.now() - started)) * 1000,
    cpuMicros: (user + system) / calls,
    errors,
    errorMessages: [...errorMessages],
  };
}
