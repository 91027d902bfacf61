// The API's description, generated from the route schemas: GET /openapi.json (OpenAPI 3) and
// GET /docs (Swagger UI, its files served from this origin, no CDN).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import pkg from '../../package.json' with { type: 'json' };

// Swagger UI is a script and a stylesheet of ours, which sets inline styles; the spec comes from here.
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Registers on the root instance, so that every route, whichever plugin declares it, is described. */
export function registerApiDocs(app: FastifyInstance): void {
  app.register(swagger, {
    openapi: {
      info: {
        title: 'Agora',
        version: pkg.version,
        description: 'A marketplace for digital products inside Telegram: the HTTP side of the bot.',
      },
      components: {
        securitySchemes: {
          telegramInitData: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'tma <initData>: the launch data Telegram signs for the mini app',
          },
          metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN' },
        },
      },
    },
  });
  app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: DOCS_CSP,
    // The validator badge would load from validator.swagger.io.
    uiConfig: { validatorUrl: null },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
