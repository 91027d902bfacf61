// GET /download/:token serves a purchase through a one-time link: the downloads service checks
// the token, the file and the range, uses the token, then the object is redirected to (a backend
// that signs URLs) or streamed with Range support, never buffered: a local file is written
// through two reused buffers (FileBody.writeTo), any other body piped. Memory stays flat.
// A browser whose link no longer works gets a page in its language with a way back to the bot.
// PUT /uploads/:token receives the local storage driver's signed uploads.
import type { FastifyPluginAsync } from 'fastify';
import { safeDownloadType } from '../domain/index.ts';
import type { DownloadService } from '../services/downloads.ts';
import {
  contentDisposition,
  FileBody,
  type FileStorage,
  LocalFileStorage,
  RangeNotSatisfiableError,
} from '../storage/index.ts';
import { sendDownloadErrorPage, wantsPage } from './download-page.ts';
import { errorResponses, jsonErrorHandler } from './errors.ts';
import { DOWNLOAD_CSP } from './security.ts';

export interface DownloadRoutesOptions {
  downloads: DownloadService;
  /** The local folder's signed uploads are received here; other backends take uploads themselves. */
  storage: FileStorage;
  /** The bot's username once known, for the link back to it on the error page. */
  botUsername?: () => string | undefined;
}

const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', minLength: 1, maxLength: 2048 } },
} as const;

export const downloadRoutes: FastifyPluginAsync<DownloadRoutesOptions> = async (app, options) => {
  const { downloads, storage } = options;
  app.setErrorHandler(jsonErrorHandler);

  app.get<{ Params: { token: string } }>(
    '/download/:token',
    {
      // A HEAD would consume the one-time token without delivering anything.
      exposeHeadRoute: false,
      errorHandler: (error, request, reply) =>
        wantsPage(request)
          ? sendDownloadErrorPage(error, request, reply, options.botUsername?.())
          : jsonErrorHandler(error, request, reply),
      schema: {
        summary: 'Download a purchase through a one-time link (Range supported)',
        params: tokenParams,
        // The language of the page shown when the link no longer works (fr or en).
        querystring: { type: 'object', properties: { lang: { type: 'string', maxLength: 8 } } },
        headers: { type: 'object', properties: { range: { type: 'string', maxLength: 200 } } },
        response: errorResponses,
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const delivery = await downloads
        .open(request.params.token, request.headers.range)
        .catch((error: unknown) => {
          if (error instanceof RangeNotSatisfiableError && error.size !== undefined) {
            reply.header('content-range', `bytes */${error.size}`);
          }
          throw error;
        });
      if (delivery.kind === 'redirect') return reply.redirect(delivery.url, 302);
      const { file, size, range } = delivery;
      reply
        .header('content-type', safeDownloadType(delivery.contentType))
        .header('content-security-policy', DOWNLOAD_CSP)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('accept-ranges', 'bytes');
      if (range) {
        reply
          .code(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
          .header('content-length', String(range.end - range.start + 1));
      } else {
        reply.header('content-length', String(size));
      }
      if (!(delivery.body instanceof FileBody)) return reply.send(delivery.body);
      // Written by hand: Fastify would pipe the body, a fresh buffer per chunk. The request's
      // log line and metrics still come, from the response's 'finish'.
      const { raw } = reply.hijack();
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) raw.setHeader(name, value);
      }
      raw.writeHead(reply.statusCode);
      delivery.body.writeTo(raw).then(
        () => raw.end(),
        (error: unknown) => {
          if (!raw.destroyed)
            request.log.error({ err: error }, 'Download failed part-way: connection closed');
          raw.destroy();
        },
      );
      return reply;
    },
  );

  if (storage instanceof LocalFileStorage) {
    const local = storage;
    await app.register(async (uploads) => {
      // The body is the file itself: hand the raw request stream to storage, unparsed and unbuffered.
      uploads.removeAllContentTypeParsers();
      uploads.addContentTypeParser('*', (_request, _payload, done) => done(null));
      // A wildcard, not ':token': signed tokens are longer than the router's parameter limit.
      uploads.put<{ Params: { '*': string } }>(
        '/uploads/*',
        {
          logLevel: 'warn',
          schema: {
            params: {
              type: 'object',
              required: ['*'],
              properties: { '*': { type: 'string', minLength: 1, maxLength: 4096 } },
            },
            response: {
              200: {
                type: 'object',
                properties: { key: { type: 'string' }, size: { type: 'number' }, sha256: { type: 'string' } },
              },
              ...errorResponses,
            },
          },
        },
        async (request, reply) => {
          try {
            const accepted = await local.acceptSignedUpload(
              request.params['*'],
              request.raw,
              request.headers,
            );
            return { key: accepted.key, size: accepted.size, sha256: accepted.sha256 };
          } catch (error) {
            // A refused upload may leave body bytes unread: drop them and close the connection
            // rather than read gigabytes nobody will keep.
            request.raw.resume();
            reply.header('connection', 'close');
            throw error;
          }
        },
      );
    });
  }
};
