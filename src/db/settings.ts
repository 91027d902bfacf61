import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const flag = (fallback: boolean) => z.stringbool().default(fallback);

/** Every pool setting, read from the environment (names in the README) and validated. */
export const poolSettingsSchema = z
  .object({
    DB_POOL_MIN: z.coerce.number().int().min(0).default(2),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
    DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
    DB_MAX_WAITERS: z.coerce.number().int().min(0).default(500),
    // Ten minutes, as HikariCP and psycopg_pool: a connection reopened under load costs the server
    // several ms of CPU (a new backend, cold caches, every statement prepared again).
    DB_IDLE_TIMEOUT_MS: ms(600_000),
    DB_MAX_LIFETIME_MS: ms(30 * 60_000),
    DB_MAX_LIFETIME_JITTER: z.coerce.number().min(0).max(0.5).default(0.1),
    DB_STATEMENT_TIMEOUT_MS: ms(30_000),
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: ms(60_000),
    DB_APPLICATION_NAME: z.string().min(1).max(63).default('agora'),
    DB_LEAK_THRESHOLD_MS: ms(10_000),
    // Unset: on for a direct connection, off through a transaction pooler.
    DB_PREPARED_STATEMENTS: z.preprocess((v) => (v === '' ? undefined : v), z.stringbool().optional()),
    DB_STATEMENT_CACHE_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
    DB_PIPELINE_DEPTH: z.coerce.number().int().min(1).max(1_000).default(100),
    DB_TRANSACTION_POOLER: flag(false),
  })
  .refine((s) => s.DB_POOL_MIN <= s.DB_POOL_MAX, {
    message: 'DB_POOL_MIN must not exceed DB_POOL_MAX',
    path: ['DB_POOL_MIN'],
  })
  .refine((s) => !(s.DB_PREPARED_STATEMENTS && s.DB_TRANSACTION_POOLER), {
    message:
      'DB_PREPARED_STATEMENTS cannot be used through a transaction-mode pooler (PgBouncer): ' +
      'named statements land on other server sessions',
    path: ['DB_PREPARED_STATEMENTS'],
  })
  .transform((s) => ({
    min: s.DB_POOL_MIN,
    max: s.DB_POOL_MAX,
    acquireTimeoutMs: s.DB_ACQUIRE_TIMEOUT_MS,
    maxWaiters: s.DB_MAX_WAITERS,
    idleTimeoutMs: s.DB_IDLE_TIMEOUT_MS,
    maxLifetimeMs: s.DB_MAX_LIFETIME_MS,
    maxLifetimeJitter: s.DB_MAX_LIFETIME_JITTER,
    statementTimeoutMs: s.DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: s.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    applicationName: s.DB_APPLICATION_NAME,
    leakThresholdMs: s.DB_LEAK_THRESHOLD_MS,
    /** `undefined`: automatic (named statements unless through a transaction pooler). */
    preparedStatements: s.DB_PREPARED_STATEMENTS,
    statementCacheSize: s.DB_STATEMENT_CACHE_SIZE,
    pipelineDepth: s.DB_PIPELINE_DEPTH,
    transactionPooler: s.DB_TRANSACTION_POOLER,
  }));

export type PoolSettings = z.output<typeof poolSettingsSchema>;

/** The defaults, with any field overridden (min follows a smaller max): for code that builds a pool. */
export function poolSettings(overrides: Partial<PoolSettings> = {}): PoolSettings {
  const defaults = poolSettingsSchema.parse({});
  const max = overrides.max ?? defaults.max;
  return { ...defaults, min: Math.min(defaults.min, max), ...overrides };
}
