// The mini-app API. Every route but /api/categories needs `Authorization: tma <initData>`; the
// acting user is the verified initData user, never an id from the body or the URL.
import type { FastifyPluginAsync } from 'fastify';
import { parseOrderId, parseProductId } from '../domain/index.ts';
import { NotFoundError } from '../errors.ts';
import type { Services } from '../services/index.ts';
import { KEY_KINDS, type KeyKind } from '../storage/index.ts';
import { errorResponses, jsonErrorHandler } from './errors.ts';
import { type InitDataOptions, requireTelegramAuth, telegramUser } from './telegram-auth.ts';

export interface MiniAppRoutesOptions {
  services: Pick<Services, 'catalog' | 'files' | 'library' | 'downloads'>;
  auth: InitDataOptions;
}

const productId = { type: 'string', minLength: 1, maxLength: 40 } as const;
const orderId = { type: 'string', minLength: 1, maxLength: 40 } as const;
const kind = { type: 'string', enum: KEY_KINDS } as const;
const fileName = { type: 'string', minLength: 1, maxLength: 255 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

const uploadRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['productId', 'kind', 'fileName', 'contentType', 'size'],
  properties: {
    productId,
    kind,
    fileName,
    contentType: { type: 'string', minLength: 3, maxLength: 255 },
    size: { type: 'integer', minimum: 1 },
  },
} as const;

const completeRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['productId', 'kind', 'key', 'fileName'],
  properties: { productId, kind, key: { type: 'string', minLength: 1, maxLength: 1024 }, fileName },
} as const;

const purchaseResponse = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    productId: { type: 'string' },
    title: { type: 'string' },
    productStatus: { type: 'string' },
    sellerName: { type: 'string' },
    totalCents: { type: 'integer' },
    paidAt: dateTime,
    fileName: { type: ['string', 'null'] },
    sizeBytes: { type: ['number', 'null'] },
    downloads: { type: 'integer' },
  },
} as const;

interface UploadBody {
  productId: string;
  kind: KeyKind;
  fileName: string;
  contentType: string;
  size: number;
}

interface CompleteBody {
  productId: string;
  kind: KeyKind;
  key: string;
  fileName: string;
}

export const miniAppRoutes: FastifyPluginAsync<MiniAppRoutesOptions> = async (app, options) => {
  const { catalog, files, library, downloads } = options.services;
  const authenticated = requireTelegramAuth(options.auth);
  app.setErrorHandler(jsonErrorHandler);

  app.get(
    '/api/categories',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            properties: {
              categories: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    slug: { type: 'string' },
                    nameFr: { type: 'string' },
                    nameEn: { type: 'string' },
                    emoji: { type: 'string' },
                    activeProducts: { type: 'integer' },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ categories: await catalog.categories() }),
  );

  // A signed URL to PUT one object under a fresh key of the caller's own product.
  app.post<{ Body: UploadBody }>(
    '/api/uploads',
    {
      preHandler: authenticated,
      schema: {
        body: uploadRequest,
        response: {
          200: {
            type: 'object',
            properties: {
              key: { type: 'string' },
              url: { type: 'string' },
              method: { type: 'string' },
              headers: { type: 'object', additionalProperties: { type: 'string' } },
              expiresAt: dateTime,
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const body = request.body;
      return files.uploadTarget(telegramUser(request).id, {
        ...body,
        productId: parseProductId(body.productId),
      });
    },
  );

  // The client finished its PUT: the object must exist; then it becomes the product's file.
  app.post<{ Body: CompleteBody }>(
    '/api/uploads/complete',
    {
      preHandler: authenticated,
      schema: {
        body: completeRequest,
        response: {
          200: {
            type: 'object',
            properties: {
              productId: { type: 'string' },
              kind: { type: 'string' },
              fileId: { type: 'integer' },
              key: { type: 'string' },
              sizeBytes: { type: 'number' },
              contentType: { type: 'string' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { kind, key, fileName } = request.body;
      const productId = parseProductId(request.body.productId);
      const { file } = await files.completeUpload(telegramUser(request).id, {
        productId,
        kind,
        key,
        fileName,
      });
      return {
        productId,
        kind,
        fileId: file.id,
        key,
        sizeBytes: file.sizeBytes,
        contentType: file.contentType,
      };
    },
  );

  // Whether the caller bought this order: someone else's order is as unknown as a missing one.
  app.get<{ Params: { orderId: string } }>(
    '/api/purchases/:orderId',
    {
      preHandler: authenticated,
      schema: {
        params: { type: 'object', required: ['orderId'], properties: { orderId } },
        response: { 200: purchaseResponse, ...errorResponses },
      },
    },
    async (request) => {
      const id = parseOrderId(request.params.orderId);
      const purchase = await library.purchase(telegramUser(request).id, id);
      if (!purchase) throw new NotFoundError('purchase', id);
      return purchase;
    },
  );

  app.post<{ Body: { orderId: string } }>(
    '/api/downloads',
    {
      preHandler: authenticated,
      schema: {
        body: { type: 'object', additionalProperties: false, required: ['orderId'], properties: { orderId } },
        response: {
          200: { type: 'object', properties: { url: { type: 'string' }, expiresAt: dateTime } },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const issued = await downloads.createLink(telegramUser(request).id, parseOrderId(request.body.orderId));
      return { url: `/download/${issued.token}`, expiresAt: issued.expiresAt };
    },
  );
};
