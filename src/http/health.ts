import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { HealthService } from '../services/health.ts';

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

/** GET /health (200 when a query round-trips within the timeout, else 503) and GET /metrics. */
export const healthRoutes: FastifyPluginAsync<{ health: HealthService; metrics: Registry }> = async (
  app,
  { health, metrics },
) => {
  app.get(
    '/health',
    { schema: { response: { 200: healthResponse, 503: healthResponse } } },
    async (_request, reply) => {
      const report = await health.check();
      if (report.ok) return { status: 'ok', database: 'up', latencyMs: report.latencyMs, pool: report.pool };
      const { database, error, pool } = report;
      return reply.code(503).send({ status: 'unavailable', database, error, pool });
    },
  );

  app.get('/metrics', { schema: { response: { 200: { type: 'string' } } } }, async (_request, reply) => {
    reply.type(metrics.contentType);
    return metrics.metrics();
  });
};
