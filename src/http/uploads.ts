// The resumable upload API of the Mini App's upload page. Every route needs
// `Authorization: tma <initData>`, checked on request, before any body is read; the seller is
// the verified user, never an id from the request.
//   GET    /api/resumable-uploads/products/:productId may the caller upload here? (title, limit)
//   POST   /api/resumable-uploads                    start, for the caller's own product
//   GET    /api/resumable-uploads/:id                what arrived so far (resume after a cut)
//   POST   /api/resumable-uploads/:id/parts          presigned part URLs (S3)
//   PATCH  /api/resumable-uploads/:id                one chunk at Upload-Offset (local folder)
//   POST   /api/resumable-uploads/:id/complete       size and SHA-256 checked, then attached
//   DELETE /api/resumable-uploads/:id                cancel
import type { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { CompletedFileUpload, UploadService } from '../services/uploads.ts';
import { errorResponses, jsonErrorHandler } from './errors.ts';
import { type InitDataOptions, requireTelegramAuth, telegramUser } from './telegram-auth.ts';

export interface UploadRoutesOptions {
  uploads: UploadService;
  /** initData checks for starting an upload (the usual maximum age). */
  auth: InitDataOptions;
  /**
   * The oldest initData accepted on an upload already started (default 24 h): Telegram signs
   * initData once, when the page opens, and a 10 GB upload can outlast the usual hour.
   */
  continueMaxAgeSec?: number;
  /**
   * Told once a file is attached, after the answer is sent (the bot tells the seller in the chat
   * and the wizard goes on there). Its failure never changes the upload's outcome.
   */
  onCompleted?: (sellerId: number, upload: CompletedFileUpload) => Promise<void>;
}

/** The chunk body type, as in the tus protocol. */
export const CHUNK_CONTENT_TYPE = 'application/offset+octet-stream';

const uploadId = { type: 'string', minLength: 1, maxLength: 40 } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: uploadId } } as const;
const part = {
  type: 'object',
  properties: { partNumber: { type: 'integer' }, size: { type: 'number' } },
} as const;
const uploadView = {
  type: 'object',
  properties: {
    uploadId: { type: 'string' },
    productId: { type: 'string' },
    fileName: { type: 'string' },
    contentType: { type: 'string' },
    size: { type: 'number' },
    transport: { type: 'string', enum: ['s3', 'local'] },
    partSize: { type: 'number' },
    partCount: { type: 'integer' },
    receivedBytes: { type: 'number' },
    parts: { type: 'array', items: part },
  },
} as const;

interface StartBody {
  productId: string;
  fileName: string;
  contentType: string;
  size: number;
}

export const uploadRoutes: FastifyPluginAsync<UploadRoutesOptions> = async (app, options) => {
  const { uploads } = options;
  const starting = requireTelegramAuth(options.auth);
  const continuing = requireTelegramAuth({
    ...options.auth,
    maxAgeSec: options.continueMaxAgeSec ?? 24 * 3600,
  });
  app.setErrorHandler(jsonErrorHandler);
  // The chunk stays a stream: storage writes it to disk as it arrives, never holding it whole.
  app.addContentTypeParser(CHUNK_CONTENT_TYPE, (_request, payload, done) => done(null, payload));

  app.get<{ Params: { productId: string } }>(
    '/api/resumable-uploads/products/:productId',
    {
      onRequest: starting,
      schema: {
        params: {
          type: 'object',
          required: ['productId'],
          properties: { productId: { type: 'string', minLength: 1, maxLength: 40 } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              productId: { type: 'string' },
              title: { type: 'string' },
              status: { type: 'string' },
              hasFile: { type: 'boolean' },
              maxBytes: { type: 'number' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => uploads.target(telegramUser(request).id, request.params.productId),
  );

  app.post<{ Body: StartBody }>(
    '/api/resumable-uploads',
    {
      onRequest: starting,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['productId', 'fileName', 'contentType', 'size'],
          properties: {
            productId: { type: 'string', minLength: 1, maxLength: 40 },
            fileName: { type: 'string', minLength: 1, maxLength: 255 },
            contentType: { type: 'string', minLength: 3, maxLength: 255 },
            size: { type: 'integer', minimum: 1 },
          },
        },
        response: { 200: uploadView, ...errorResponses },
      },
    },
    async (request) => uploads.start(telegramUser(request).id, request.body),
  );

  app.get<{ Params: { id: string } }>(
    '/api/resumable-uploads/:id',
    {
      onRequest: continuing,
      schema: { params: idParams, response: { 200: uploadView, ...errorResponses } },
    },
    async (request) => uploads.status(telegramUser(request).id, request.params.id),
  );

  app.post<{ Params: { id: string }; Body: { partNumbers: number[] } }>(
    '/api/resumable-uploads/:id/parts',
    {
      onRequest: continuing,
      schema: {
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['partNumbers'],
          properties: {
            partNumbers: {
              type: 'array',
              minItems: 1,
              maxItems: 100,
              uniqueItems: true,
              items: { type: 'integer', minimum: 1, maximum: 10_000 },
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              parts: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    partNumber: { type: 'integer' },
                    size: { type: 'number' },
                    url: { type: 'string' },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      parts: await uploads.signParts(telegramUser(request).id, request.params.id, request.body.partNumbers),
    }),
  );

  app.patch<{ Params: { id: string }; Headers: { 'upload-offset': string } }>(
    '/api/resumable-uploads/:id',
    {
      onRequest: continuing,
      schema: {
        params: idParams,
        headers: {
          type: 'object',
          required: ['upload-offset', 'content-type'],
          properties: {
            'upload-offset': { type: 'string', pattern: '^[0-9]{1,16}$' },
            'content-type': { type: 'string', const: CHUNK_CONTENT_TYPE },
          },
        },
        response: { 200: uploadView, ...errorResponses },
      },
    },
    async (request) =>
      uploads.appendChunk(
        telegramUser(request).id,
        request.params.id,
        Number(request.headers['upload-offset']),
        request.body as Readable,
      ),
  );

  app.post<{ Params: { id: string }; Body: { sha256: string } }>(
    '/api/resumable-uploads/:id/complete',
    {
      onRequest: continuing,
      schema: {
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['sha256'],
          properties: { sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              uploadId: { type: 'string' },
              productId: { type: 'string' },
              productTitle: { type: 'string' },
              fileId: { type: 'integer' },
              fileName: { type: 'string' },
              kind: { type: 'string' },
              size: { type: 'number' },
              sha256: { type: 'string' },
              outcome: { type: ['string', 'null'], enum: ['first', 'replaced', 'pending', null] },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const sellerId = telegramUser(request).id;
      const completed = await uploads.complete(sellerId, request.params.id, request.body);
      options.onCompleted?.(sellerId, completed).catch((error: unknown) => {
        request.log.warn({ err: error, uploadId: completed.uploadId }, 'Upload notice failed');
      });
      return completed;
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/resumable-uploads/:id',
    {
      onRequest: continuing,
      schema: { params: idParams, response: { 204: { type: 'null' }, ...errorResponses } },
    },
    async (request, reply) => {
      await uploads.abort(telegramUser(request).id, request.params.id);
      return reply.code(204).send();
    },
  );
};
