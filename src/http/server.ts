// The HTTP server: timeouts and a connection cap so that no client holds a socket for free,
// security headers on every response, request logs and metrics by route pattern, the API
// description. Each feature is a plugin that receives exactly the dependencies it uses.
import type { Socket } from 'node:net';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { type Logger, routePattern } from '../log.ts';
import type { AppMetrics } from '../metrics.ts';
import { registerApiDocs } from './docs.ts';
import { errorBody } from './errors.ts';
import { carriesBody } from './guards.ts';
import { type HealthRoutesOptions, healthRoutes, PROBE_ROUTES } from './health.ts';
import { addSecurityHeaders } from './security.ts';

export interface HttpSettings {
  /** TRUST_PROXY: which hops may say who the client is (X-Forwarded-For). */
  trustProxy: boolean | number | string[];
  /** Time for a client to send the request line and headers. */
  headersTimeoutMs: number;
  /** Time for a body the server reads itself (JSON, the IPN) to arrive; streamed uploads are exempt. */
  requestTimeoutMs: number;
  /** A socket on which no byte moves either way for this long is closed (per-chunk idle). */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this are closed as they arrive. */
  maxConnections: number;
}

export interface HttpDeps {
  log: Logger;
  settings: HttpSettings;
  /** An https PUBLIC_URL turns HSTS on. */
  publicUrl: string;
  metrics: AppMetrics;
  health: HealthRoutesOptions;
  /** The OpenAPI document and its page (the public listener); off for the operators' listener. */
  docs?: boolean;
}

export function buildServer(deps: HttpDeps): FastifyInstance {
  const { settings } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({
      // Probes and scrapes every few seconds would drown the log.
      disableRequestLogging: (request) => PROBE_ROUTES.has(routePattern(request as FastifyRequest)),
    }),
    return503OnClosing: true,
    trustProxy: trustedProxies(settings.trustProxy),
    connectionTimeout: settings.idleTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    // Node's request timeout covers a whole body, so it would cut long uploads: bodies the
    // server reads itself get their own deadline below instead.
    requestTimeout: 0,
    http: {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: 0,
      // How often Node looks for connections past the headers timeout (its default is 30 s).
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, settings.headersTimeoutMs / 4)),
    },
  });
  app.server.maxConnections = settings.maxConnections;
  bodyDeadline(app, settings.requestTimeoutMs);
  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.observeRequest(
      { method: request.method, route: routePattern(request) ?? 'unmatched', statusCode: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });
  // One error shape; and Fastify's own 404 handler logs the URL, which may carry a token.
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody('not_found', 'No such route.')));
  addSecurityHeaders(app, { hsts: new URL(deps.publicUrl).protocol === 'https:' });
  if (deps.docs !== false) registerApiDocs(app);
  app.register(healthRoutes, deps.health);
  return app;
}

/** A hop count becomes "the nearest n hops"; addresses and booleans are Fastify's own forms. */
function trustedProxies(trust: HttpSettings['trustProxy']) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

const REQUEST_TIMEOUT_BODY = JSON.stringify(
  errorBody('request_timeout', 'The request did not arrive in time.'),
);
const REQUEST_TIMEOUT_RESPONSE =
  'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: application/json\r\n' +
  `Content-Length: ${Buffer.byteLength(REQUEST_TIMEOUT_BODY)}\r\n\r\n${REQUEST_TIMEOUT_BODY}`;

/**
 * A body the server reads itself must arrive within `timeoutMs` of the request's start, however
 * slowly it drips (an idle timeout alone lets one byte every few seconds through). The deadline
 * ends when the route's handler takes over: a route that streams its body (an upload) is then
 * held only by the idle timeout, chunk after chunk.
 */
function bodyDeadline(app: FastifyInstance, timeoutMs: number): void {
  const deadlines = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  const clear = async (request: FastifyRequest) => {
    clearTimeout(deadlines.get(request));
    deadlines.delete(request);
  };
  app.addHook('onRequest', async (request, reply) => {
    if (!carriesBody(request)) return;
    const timer = setTimeout(() => {
      if (request.raw.complete) return;
      request.log.warn({ timeoutMs }, 'Request body not received in time: connection closed');
      closeWith408(request.raw.socket, reply.raw.headersSent);
    }, timeoutMs);
    timer.unref();
    deadlines.set(request, timer);
  });
  app.addHook('preHandler', clear);
  app.addHook('onResponse', clear);
  app.addHook('onRequestAbort', clear);
}

function closeWith408(socket: Socket, headersSent: boolean): void {
  if (!headersSent && socket.writable) socket.end(REQUEST_TIMEOUT_RESPONSE);
  // Whatever the client still sends is not read.
  setTimeout(() => socket.destroy(), 1_000).unref();
}
