// GET /download/:token serves a purchase through a one-time link: the token is consumed and the
// download recorded first, then the object is redirected to (a backend that signs URLs) or
// streamed with Range support. Streams are piped, never buffered: memory stays flat.
// PUT /uploads/:token receives the local storage driver's signed uploads.
import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/index.ts';
import { redeemDownloadToken } from '../services/downloads.ts';
import { NotFoundError } from '../services/errors.ts';
import {
  contentDisposition,
  type FileStorage,
  LocalFileStorage,
  parseRangeHeader,
} from '../storage/index.ts';
import { errorBody, errorResponses, jsonErrorHandler } from './errors.ts';

export interface DownloadRoutesOptions {
  db: Database;
  storage: FileStorage;
  /** Lifetime of the signed storage URL a download redirects to (default 60 s). */
  signedUrlTtlSec?: number;
}

const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', minLength: 1, maxLength: 2048 } },
} as const;

export const downloadRoutes: FastifyPluginAsync<DownloadRoutesOptions> = async (app, options) => {
  const { db, storage } = options;
  const signedUrlTtl = options.signedUrlTtlSec ?? 60;
  app.setErrorHandler(jsonErrorHandler);

  app.get<{ Params: { token: string } }>(
    '/download/:token',
    {
      // A HEAD would consume the one-time token without delivering anything.
      exposeHeadRoute: false,
      // The URL carries the token: keep it out of the request log (errors are still logged).
      logLevel: 'warn',
      schema: {
        params: tokenParams,
        headers: { type: 'object', properties: { range: { type: 'string', maxLength: 200 } } },
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const file = await redeemDownloadToken(db, request.params.token);
      reply.header('cache-control', 'no-store');
      const signed = await storage.downloadUrl(file.storageKey, {
        expiresInSec: signedUrlTtl,
        fileName: file.fileName,
      });
      if (signed) return reply.redirect(signed, 302);

      const info = await storage.stat(file.storageKey);
      if (!info) throw new NotFoundError('file', file.orderId);
      reply
        .header('content-type', info.contentType || file.contentType)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('accept-ranges', 'bytes');
      const range = parseRangeHeader(request.headers.range, info.size);
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${info.size}`);
        return reply
          .code(416)
          .send(errorBody('range_not_satisfiable', 'The requested range is outside the file.'));
      }
      if (range) {
        reply
          .code(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${info.size}`)
          .header('content-length', String(range.end - range.start + 1));
        return reply.send(await storage.read(file.storageKey, range));
      }
      reply.header('content-length', String(info.size));
      return reply.send(await storage.read(file.storageKey));
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
