import { z } from 'zod';
import { poolSettingsSchema } from './db/index.ts';
import { AppError } from './errors.ts';
import { nowPaymentsSettingsSchema } from './integrations/nowpayments/index.ts';
import { storageSettingsSchema } from './storage/index.ts';

const emptyAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const appSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where the embedded PostgreSQL keeps its data when no database is configured. */
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  HEALTH_TIMEOUT_MS: z.coerce.number().int().min(1).default(1_000),
  /** Where people and Telegram reach this server (download links, webhook). */
  PUBLIC_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/ }).optional()),
  TELEGRAM_BOT_TOKEN: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^\d+:[\w-]{30,}$/, 'expected the token BotFather gave, like 123456:ABC-DEF…')
      .optional(),
  ),
  /** Comma-separated Telegram user ids with admin rights. */
  ADMIN_IDS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.coerce.number<string>().int().positive('admin ids are Telegram user ids'))),
  WEBHOOK_URL: z.preprocess(
    emptyAsUnset,
    z.url({ protocol: /^https$/, message: 'WEBHOOK_URL must be https' }).optional(),
  ),
  WEBHOOK_SECRET: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/)
      .optional(),
  ),
  BOT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  BOT_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(30),
  /** Mini-app requests signed longer ago than this are refused. */
  INIT_DATA_MAX_AGE_SEC: z.coerce.number().int().min(60).default(3_600),
  DOWNLOAD_TOKEN_TTL_SEC: z.coerce.number().int().min(30).default(300),
  DOWNLOAD_MAX_PER_HOUR: z.coerce.number().int().min(1).default(10),
  UPLOAD_URL_TTL_SEC: z.coerce.number().int().min(60).default(900),
});

export type AppConfig = ReturnType<typeof loadConfig>;

export class ConfigError extends AppError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super({
      kind: 'internal',
      code: 'config_invalid',
      message: `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    });
    this.problems = problems;
  }
}

/** Reads and validates every setting; throws one `ConfigError` listing each problem by variable name. */
export function loadConfig(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const app = appSchema.safeParse(env);
  const pool = poolSettingsSchema.safeParse(env);
  const payments = nowPaymentsSettingsSchema.safeParse(env);
  const storage = storageSettingsSchema.safeParse(env);
  for (const result of [app, pool, payments, storage]) {
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push(`${issue.path.join('.') || '(env)'}: ${issue.message}`);
    }
  }
  if (!app.success || !pool.success || !payments.success || !storage.success) throw new ConfigError(problems);
  const { data } = app;
  return {
    bot: {
      token: data.TELEGRAM_BOT_TOKEN,
      adminIds: new Set(data.ADMIN_IDS),
      webhookUrl: data.WEBHOOK_URL,
      webhookSecret: data.WEBHOOK_SECRET,
      rateLimit: { perMinute: data.BOT_RATE_LIMIT_PER_MINUTE, burst: data.BOT_RATE_LIMIT_BURST },
    },
    initDataMaxAgeSec: data.INIT_DATA_MAX_AGE_SEC,
    uploadUrlTtlSec: data.UPLOAD_URL_TTL_SEC,
    downloads: {
      tokenTtlSec: data.DOWNLOAD_TOKEN_TTL_SEC,
      maxTokensPerWindow: data.DOWNLOAD_MAX_PER_HOUR,
      windowSec: 3_600,
    },
    payments: payments.data,
    storage: { ...storage.data, publicUrl: data.PUBLIC_URL ?? `http://localhost:${data.PORT}` },
    logLevel: data.LOG_LEVEL,
    port: data.PORT,
    host: data.HOST,
    embeddedPgDir: data.EMBEDDED_PG_DIR,
    shutdownTimeoutMs: data.SHUTDOWN_TIMEOUT_MS,
    healthTimeoutMs: data.HEALTH_TIMEOUT_MS,
    pool: pool.data,
  };
}
