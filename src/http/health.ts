// Probes and metrics. GET /livez: the process answers. GET /readyz: this instance can take
// traffic (the database answers in time, the bot is receiving when there is one). GET /health:
// the database's state, with the pool's internals only for the operators (loopback callers, or
// the operators' listener). GET /metrics: Prometheus text, on the operators' listener or behind
// a bearer token.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { HealthService } from '../services/health.ts';
import { errorBody, errorResponses } from './errors.ts';

/** Whether the bot receives updates: `off` when no token is configured. */
export type BotReadiness = 'off' | 'starting' | 'retrying' | 'running' | 'failed';

export type MetricsAccess =
  /** The operators' own listener: no token. */
  | { registry: Registry; access: 'open' }
  /** The public listener: `Authorization: Bearer <METRICS_TOKEN>`; without a token set, nobody. */
  | { registry: Registry; access: 'token'; token: string | undefined };

export interface HealthRoutesOptions {
  health: HealthService;
  bot: () => BotReadiness;
  /** Absent: no /metrics on this listener. */
  metrics?: MetricsAccess;
  /** Who sees the pool's internals on /health. */
  details: 'everyone' | 'loopback';
}

/** Routes whose requests are not logged (probes and scrapes every few seconds). */
export const PROBE_ROUTES: ReadonlySet<string | null> = new Set(['/health', '/livez', '/readyz', '/metrics']);

const poolSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    initialized: { type: 'boolean' },
    closed: { type: 'boolean' },
    min: { type: 'integer' },
    max: { type: 'integer' },
    total: { type: 'integer' },
    idle: { type: 'integer' },
    active: { type: 'integer' },
    waiting: { type: 'integer' },
    timeouts: { type: 'string', enum: ['session', 'server defaults', 'each transaction', 'off'] },
  },
} as const;

const database = { type: 'string', enum: ['up', 'down', 'saturated', 'closed'] } as const;

const healthResponse = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    database,
    error: { type: 'string' },
    latencyMs: { type: 'number' },
    pool: poolSchema,
  },
} as const;

const readyResponse = {
  type: 'object',
  required: ['status', 'database', 'bot'],
  properties: {
    status: { type: 'string', enum: ['ready', 'unavailable'] },
    database,
    bot: { type: 'string', enum: ['off', 'starting', 'retrying', 'running', 'failed'] },
  },
} as const;

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, options) => {
  const { health, bot, metrics } = options;

  app.get(
    '/livez',
    {
      schema: {
        summary: 'The process is up',
        response: { 200: { type: 'object', properties: { status: { const: 'ok' } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'This instance can take traffic: database reachable in time, bot receiving when configured',
        response: { 200: readyResponse, 503: readyResponse },
      },
    },
    async (_request, reply) => {
      const report = await health.check();
      const botState = bot();
      const ready = report.ok && (botState === 'off' || botState === 'running');
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'unavailable',
        database: report.ok ? 'up' : report.database,
        bot: botState,
      });
    },
  );

  app.get(
    '/health',
    {
      schema: {
        summary: 'Whether the database answers within HEALTH_TIMEOUT_MS; pool internals for operators',
        response: { 200: healthResponse, 503: healthResponse },
      },
    },
    async (request, reply) => {
      const report = await health.check();
      const status = report.ok ? 'ok' : 'unavailable';
      reply.code(report.ok ? 200 : 503);
      if (options.details === 'loopback' && !isLocalRequest(request)) return { status };
      if (report.ok) return { status, database: 'up', latencyMs: report.latencyMs, pool: report.pool };
      return { status, database: report.database, error: report.error, pool: report.pool };
    },
  );

  if (metrics) {
    app.get(
      '/metrics',
      {
        schema: {
          summary: 'Prometheus metrics',
          ...(metrics.access === 'token' ? { security: [{ metricsToken: [] }] } : {}),
          response: { 200: { type: 'string' }, ...errorResponses },
        },
      },
      async (request, reply) => {
        if (metrics.access === 'token' && !bearerMatches(request.headers.authorization, metrics.token)) {
          const message = metrics.token
            ? 'Send Authorization: Bearer <METRICS_TOKEN>.'
            : 'Metrics are off on this listener: set METRICS_PORT or METRICS_TOKEN.';
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer')
            .send(errorBody('metrics_unauthorized', message));
        }
        reply.type(metrics.registry.contentType);
        return metrics.registry.metrics();
      },
    );
  }
};

function bearerMatches(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/**
 * A caller on this machine, not relayed by a proxy. The socket's address, not `request.ip`:
 * a proxy on this machine forwards strangers from loopback, and says so in its headers.
 */
export function isLocalRequest(request: FastifyRequest): boolean {
  return (
    LOOPBACK.test(request.socket.remoteAddress ?? '') &&
    FORWARDING_HEADERS.every((name) => request.headers[name] === undefined)
  );
}
