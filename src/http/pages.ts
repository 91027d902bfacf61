// The Mini App pages, served from our own origin (no CDN at run time):
//   GET /app/upload?product=<id>   a seller uploads the product file (resumable, up to 10 GB)
//   GET /app/library               a buyer's purchases, each with a one-time download button
//   GET /app/assets/<file>         their scripts and styles, and hash-wasm's SHA-256 from npm
//   GET /app/covers/:productId     product cover images
//   GET /api/library               the buyer's purchases (Authorization: tma <initData>)
// The pages are served whether or not the bot runs; without it they say so.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { parseProductId } from '../domain/index.ts';
import type { LibraryPageService } from '../services/library-page.ts';
import { errorResponses, jsonErrorHandler } from './errors.ts';
import { type InitDataOptions, requireTelegramAuth, telegramUser } from './telegram-auth.ts';

export interface PageRoutesOptions {
  /** initData checks, or null when the bot is off (the pages then say so and call no API). */
  auth: InitDataOptions | null;
  library: LibraryPageService;
  /** Origins the upload page sends bytes to besides ours: the S3 bucket's, for presigned parts. */
  uploadOrigins?: string[];
}

const PAGES_DIR = new URL('./pages/', import.meta.url);
const ASSET_TYPES: Readonly<Record<string, string>> = {
  'app.css': 'text/css; charset=utf-8',
  'telegram.js': 'text/javascript; charset=utf-8',
  'upload.js': 'text/javascript; charset=utf-8',
  'uploader.js': 'text/javascript; charset=utf-8',
  'library.js': 'text/javascript; charset=utf-8',
};
// Telegram's web clients show Mini Apps in an iframe; its mobile and desktop apps in a webview.
const TELEGRAM_FRAMES = 'https://web.telegram.org https://webk.telegram.org https://webz.telegram.org';

async function loadAssets(): Promise<Map<string, { body: Buffer; type: string }>> {
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const [name, type] of Object.entries(ASSET_TYPES)) {
    assets.set(name, { body: await readFile(new URL(name, PAGES_DIR)), type });
  }
  // The SHA-256 part of hash-wasm alone (18 KB), as the package ships it for browsers.
  const hashWasm = createRequire(import.meta.url).resolve('hash-wasm/dist/sha256.umd.min.js');
  assets.set('sha256.js', { body: await readFile(hashWasm), type: 'text/javascript; charset=utf-8' });
  return assets;
}

function contentSecurityPolicy(uploadOrigins: readonly string[]): string {
  const connect = ["'self'", ...uploadOrigins].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'", // hash-wasm compiles its WebAssembly
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors 'self' ${TELEGRAM_FRAMES}`,
  ].join('; ');
}

export const pageRoutes: FastifyPluginAsync<PageRoutesOptions> = async (app, options) => {
  const { library } = options;
  const assets = await loadAssets();
  const csp = contentSecurityPolicy(options.uploadOrigins ?? []);
  const bot = options.auth ? 'on' : 'off';
  const pages = new Map<string, string>();
  for (const name of ['upload', 'library']) {
    const html = await readFile(new URL(`${name}.html`, PAGES_DIR), 'utf8');
    pages.set(name, html.replace('{{BOT}}', bot));
  }
  app.setErrorHandler(jsonErrorHandler);

  // The server's helmet denies framing; these pages are framed by Telegram Web (CSP says who may).
  const securityHeaders = (reply: FastifyReply) =>
    reply.removeHeader('x-frame-options').header('content-security-policy', csp);

  for (const [name, html] of pages) {
    app.get(
      `/app/${name}`,
      {
        schema: {
          querystring: { type: 'object', properties: { product: { type: 'string', maxLength: 40 } } },
        },
      },
      async (_request, reply) =>
        securityHeaders(reply)
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .send(html),
    );
  }

  app.get<{ Params: { name: string } }>(
    '/app/assets/:name',
    {
      schema: {
        params: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', maxLength: 40 } },
        },
      },
    },
    async (request, reply) => {
      const asset = assets.get(request.params.name);
      if (!asset) return reply.callNotFound();
      return securityHeaders(reply).header('cache-control', 'no-cache').type(asset.type).send(asset.body);
    },
  );

  app.get<{ Params: { productId: string } }>(
    '/app/covers/:productId',
    {
      schema: {
        params: {
          type: 'object',
          required: ['productId'],
          properties: { productId: { type: 'string', maxLength: 40 } },
        },
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const cover = await library.cover(parseProductId(request.params.productId));
      if (!cover) return reply.callNotFound();
      return securityHeaders(reply)
        .header('cache-control', 'public, max-age=300')
        .header('content-length', String(cover.size))
        .type(cover.contentType)
        .send(cover.body);
    },
  );

  if (!options.auth) return;
  const authenticated = requireTelegramAuth(options.auth);
  app.get<{ Querystring: { limit?: number; offset?: number } }>(
    '/api/library',
    {
      onRequest: authenticated,
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    orderId: { type: 'string' },
                    productId: { type: 'string' },
                    title: { type: 'string' },
                    sellerName: { type: 'string' },
                    fileName: { type: ['string', 'null'] },
                    sizeBytes: { type: ['number', 'null'] },
                    paidAt: { type: 'string', format: 'date-time' },
                    hasCover: { type: 'boolean' },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => library.list(telegramUser(request).id, request.query),
  );
};
