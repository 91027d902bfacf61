import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { healthRoutes } from './health.ts';

export interface HttpDeps {
  db: Database;
  metrics: Registry;
  log: Logger;
  healthTimeoutMs: number;
}

/** The HTTP API. Each feature is a plugin that receives exactly the dependencies it uses. */
export function buildServer(deps: HttpDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Probes and scrapes every few seconds would drown the log.
    logController: new LogController({
      disableRequestLogging: (req) => req.url === '/health' || req.url === '/metrics',
    }),
    return503OnClosing: true,
  });
  app.register(healthRoutes, { db: deps.db, metrics: deps.metrics, timeoutMs: deps.healthTimeoutMs });
  return app;
}
