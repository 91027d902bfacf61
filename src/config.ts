import { z } from 'zod';
import { poolSettingsSchema } from './db/index.ts';

const appSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where the embedded PostgreSQL keeps its data when no database is configured. */
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  HEALTH_TIMEOUT_MS: z.coerce.number().int().min(1).default(1_000),
});

export type AppConfig = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and validates every setting; throws one `ConfigError` listing each problem by variable name. */
export function loadConfig(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const app = appSchema.safeParse(env);
  const pool = poolSettingsSchema.safeParse(env);
  for (const result of [app, pool]) {
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push(`${issue.path.join('.') || '(env)'}: ${issue.message}`);
    }
  }
  if (!app.success || !pool.success) throw new ConfigError(problems);
  const { data } = app;
  return {
    logLevel: data.LOG_LEVEL,
    port: data.PORT,
    host: data.HOST,
    embeddedPgDir: data.EMBEDDED_PG_DIR,
    shutdownTimeoutMs: data.SHUTDOWN_TIMEOUT_MS,
    healthTimeoutMs: data.HEALTH_TIMEOUT_MS,
    pool: pool.data,
  };
}
