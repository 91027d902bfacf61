import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.ts';
import type { HealthService } from '../services/health.ts';
import { healthRoutes } from './health.ts';

export interface HttpDeps {
  health: HealthService;
  metrics: Registry;
  log: Logger;
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
  app.register(healthRoutes, { health: deps.health, metrics: deps.metrics });
  return app;
}
