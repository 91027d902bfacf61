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

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
}
