import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { type Database, DbError } from '../db/index.ts';

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
  },
} as const;

const healthResponse = {
  type: 'object',
  required: ['status', 'database', 'pool'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    database: { type: 'string', enum: ['up', 'down', 'saturated', 'closed'] },
    error: { type: 'string' },
    latencyMs: { type: 'number' },
    pool: poolSchema,
  },
} as const;

class HealthTimeout extends Error {}

/** GET /health (200 when a query round-trips within the timeout, else 503) and GET /metrics. */
export const healthRoutes: FastifyPluginAsync<{
  db: Database;
  metrics: Registry;
  timeoutMs: number;
}> = async (app, { db, metrics, timeoutMs }) => {
  app.get(
    '/health',
    { schema: { response: { 200: healthResponse, 503: healthResponse } } },
    async (_request, reply) => {
      const started = performance.now();
      try {
        await withTimeout(db.one('SELECT 1 AS ok'), timeoutMs);
        return {
          status: 'ok',
          database: 'up',
          latencyMs: Math.round(performance.now() - started),
          pool: db.status(),
        };
      } catch (error) {
        const pool = db.status();
        const database = pool.closed
          ? 'closed'
          : error instanceof HealthTimeout || pool.waiting > 0
            ? 'saturated'
            : 'down';
        const code = error instanceof DbError ? error.code : 'health_timeout';
        return reply.code(503).send({ status: 'unavailable', database, error: code, pool });
      }
    },
  );

  app.get('/metrics', { schema: { response: { 200: { type: 'string' } } } }, async (_request, reply) => {
    reply.type(metrics.contentType);
    return metrics.metrics();
  });
};

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HealthTimeout()), ms);
  });
  work.catch(() => {}); // a late failure after the timeout is already answered
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
