import { pino } from 'pino';

export type Logger = pino.Logger;

// Secrets and signed URLs never reach the logs, whatever object a caller passes.
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'url',
  '*.url',
  'connectionString',
  '*.connectionString',
  'initData',
  '*.initData',
  'req.headers.authorization',
  'req.headers["x-nowpayments-sig"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
];

/** The parts of a Fastify request the logs read (typed here so the logger needs no HTTP import). */
interface LoggedRequest {
  method: string;
  ip?: string;
  is404?: boolean;
  routeOptions?: { url?: string | undefined };
}

/**
 * A request is logged by its route pattern (`/download/:token`), never by its URL: paths and
 * query strings carry one-time tokens and signatures. A request no route matched shows none.
 */
export function routePattern(request: LoggedRequest | undefined): string | null {
  return request?.is404 ? null : (request?.routeOptions?.url ?? null);
}

// A bot token as Telegram issues them: a network error's message can quote the request URL.
const BOT_TOKEN = /\d{5,}:[A-Za-z0-9_-]{20,}/g;

/** The text with any bot token in it replaced. */
export function scrubSecrets(text: string): string {
  return text.replace(BOT_TOKEN, '[redacted]');
}

/** Every string of a serialized error, nested causes included, scrubbed. */
function scrubbed(value: unknown): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (Array.isArray(value)) return value.map(scrubbed);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, scrubbed(field)]));
  }
  return value;
}

const serializers = {
  err: (error: Error) => scrubbed(pino.stdSerializers.err(error)),
  req: (request: LoggedRequest) => ({
    method: request.method,
    route: routePattern(request),
    remoteAddress: request.ip,
  }),
  res: (reply: { statusCode: number; request?: LoggedRequest }) => ({
    statusCode: reply.statusCode,
    method: reply.request?.method,
    route: routePattern(reply.request),
  }),
};

/** JSON lines with ISO times, to stdout by default (`npm run dev` pipes them through pino-pretty). */
export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
