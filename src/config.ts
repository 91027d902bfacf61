import { isIP } from 'node:net';
import { z } from 'zod';
import { poolSettingsSchema } from './db/index.ts';
import { AppError } from './errors.ts';
import { nowPaymentsSettingsSchema } from './integrations/nowpayments/index.ts';
import { deriveUploadSigningSecret, storageSettingsSchema } from './storage/index.ts';

const emptyAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const ms = (fallback: number, min = 100) => z.coerce.number().int().min(min).default(fallback);

/** TRUST_PROXY: false, true (any proxy), a hop count, or the proxies' addresses (IPs or CIDRs). */
const trustProxy = z.preprocess(
  emptyAsUnset,
  z
    .string()
    .default('false')
    .transform((text, ctx): boolean | number | string[] => {
      const value = text.trim();
      if (value === 'false') return false;
      if (value === 'true') return true;
      if (/^\d+$/.test(value)) return Number(value);
      const addresses = value.split(',').map((a) => a.trim());
      const bad = addresses.find((a) => !isIP(a.replace(/\/\d{1,3}$/, '')));
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `expected true, false, a hop count or proxy addresses (IPs or CIDRs), not "${bad}"`,
        });
        return z.NEVER;
      }
      return addresses;
    }),
);

/** The ports Telegram delivers webhooks to (Bot API, setWebhook). */
const WEBHOOK_PORTS = ['443', '80', '88', '8443'];

/** Every variable read here; the schemas of the pool, payments and storage read the rest. */
export const appSettingsSchema = z.object({
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
    z
      .url({ protocol: /^https$/, message: 'WEBHOOK_URL must be https' })
      .refine((url) => WEBHOOK_PORTS.includes(new URL(url).port || '443'), {
        message: `Telegram sends webhooks only to ports ${WEBHOOK_PORTS.join(', ')}; put this server behind one of them`,
      })
      .optional(),
  ),
  /** Polling mode deletes a webhook found registered (another deployment's) only when true. */
  TELEGRAM_REPLACE_WEBHOOK: z.preprocess(emptyAsUnset, z.stringbool().default(false)),
  /** A self-hosted Bot API server (telegram-bot-api), or Telegram's. */
  TELEGRAM_API_URL: z.preprocess(
    emptyAsUnset,
    z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
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
  /** `simulator` or `live`; unset: live with an API key, else the simulator when PUBLIC_URL is loopback. */
  NOWPAYMENTS_MODE: z.preprocess(emptyAsUnset, z.enum(['simulator', 'live']).optional()),
  TRUST_PROXY: trustProxy,
  HTTP_HEADERS_TIMEOUT_MS: ms(10_000),
  HTTP_REQUEST_TIMEOUT_MS: ms(30_000),
  HTTP_IDLE_TIMEOUT_MS: ms(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: ms(72_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(1_024),
  METRICS_TOKEN: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[\x21-\x7e]{16,256}$/, 'at least 16 visible ASCII characters')
      .optional(),
  ),
  METRICS_PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(65535).optional()),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
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
  const app = appSettingsSchema.safeParse(env);
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
  const publicUrl = data.PUBLIC_URL ?? `http://localhost:${data.PORT}`;
  const mode = paymentMode(data.NOWPAYMENTS_MODE, payments.data, publicUrl, problems);
  const uploadSigningSecret = uploadSecret(env, storage.data, pool.data, data.TELEGRAM_BOT_TOKEN, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    bot: {
      token: data.TELEGRAM_BOT_TOKEN,
      adminIds: new Set(data.ADMIN_IDS),
      webhookUrl: data.WEBHOOK_URL,
      webhookSecret: data.WEBHOOK_SECRET,
      replaceWebhook: data.TELEGRAM_REPLACE_WEBHOOK,
      apiUrl: data.TELEGRAM_API_URL.replace(/\/+$/, ''),
      rateLimit: { perMinute: data.BOT_RATE_LIMIT_PER_MINUTE, burst: data.BOT_RATE_LIMIT_BURST },
    },
    initDataMaxAgeSec: data.INIT_DATA_MAX_AGE_SEC,
    uploadUrlTtlSec: data.UPLOAD_URL_TTL_SEC,
    downloads: {
      tokenTtlSec: data.DOWNLOAD_TOKEN_TTL_SEC,
      maxTokensPerWindow: data.DOWNLOAD_MAX_PER_HOUR,
      windowSec: 3_600,
    },
    payments: { ...payments.data, mode, modeChosen: data.NOWPAYMENTS_MODE !== undefined },
    storage: { ...storage.data, publicUrl, uploadSigningSecret },
    logLevel: data.LOG_LEVEL,
    port: data.PORT,
    host: data.HOST,
    embeddedPgDir: data.EMBEDDED_PG_DIR,
    shutdownTimeoutMs: data.SHUTDOWN_TIMEOUT_MS,
    healthTimeoutMs: data.HEALTH_TIMEOUT_MS,
    pool: pool.data,
    http: {
      trustProxy: data.TRUST_PROXY,
      headersTimeoutMs: data.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: data.HTTP_REQUEST_TIMEOUT_MS,
      idleTimeoutMs: data.HTTP_IDLE_TIMEOUT_MS,
      keepAliveTimeoutMs: data.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: data.HTTP_MAX_CONNECTIONS,
    },
    metrics: { token: data.METRICS_TOKEN, port: data.METRICS_PORT, host: data.METRICS_HOST },
  };
}

/**
 * The key of local upload URLs: UPLOAD_SIGNING_SECRET, else derived from the bot token, so that
 * every instance accepts the URLs any of them signed. Without either, a random key per process
 * is fine for one instance; behind a transaction pooler (several instances) it is refused.
 */
function uploadSecret(
  env: NodeJS.ProcessEnv,
  storage: { driver: 'local' | 's3'; uploadSigningSecret: string | undefined },
  pool: { transactionPooler: boolean },
  botToken: string | undefined,
  problems: string[],
): string | undefined {
  const secret = storage.uploadSigningSecret ?? (botToken && deriveUploadSigningSecret(botToken));
  const pooled =
    pool.transactionPooler || URL.parse(env.DATABASE_URL ?? '')?.searchParams.get('pgbouncer') === 'true';
  if (!secret && storage.driver === 'local' && pooled) {
    problems.push(
      'UPLOAD_SIGNING_SECRET: required with several instances (DB_TRANSACTION_POOLER or pgbouncer=true) when ' +
        'TELEGRAM_BOT_TOKEN is not set: each instance would sign upload URLs with its own random key',
    );
  }
  return secret || undefined;
}

/** Whether a URL names this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

/**
 * Live payments or the local simulator, only ever by choice: a public server without NowPayments
 * keys must not take orders against a fake provider, and a secret without its key is a mistake.
 */
function paymentMode(
  chosen: 'simulator' | 'live' | undefined,
  payments: { apiKey: string | undefined; ipnSecret: string | undefined },
  publicUrl: string,
  problems: string[],
): 'simulator' | 'live' {
  if (payments.ipnSecret !== undefined && payments.apiKey === undefined) {
    problems.push(
      'NOWPAYMENTS_IPN_SECRET: set without NOWPAYMENTS_API_KEY; live payments need both (unset it to use the simulator)',
    );
  }
  if (chosen === 'live' && payments.apiKey === undefined) {
    problems.push('NOWPAYMENTS_API_KEY: required with NOWPAYMENTS_MODE=live');
  }
  const mode = chosen ?? (payments.apiKey === undefined ? 'simulator' : 'live');
  if (chosen === undefined && mode === 'simulator' && !isLoopbackUrl(publicUrl)) {
    problems.push(
      `NOWPAYMENTS_MODE: PUBLIC_URL (${publicUrl}) is public and NOWPAYMENTS_API_KEY is not set; ` +
        'set the NOWPayments keys for real payments, or NOWPAYMENTS_MODE=simulator to take test payments on purpose',
    );
  }
  return mode;
}
