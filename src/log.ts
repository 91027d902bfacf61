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

const serializers = {
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
