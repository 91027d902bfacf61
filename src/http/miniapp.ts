// The mini-app API. Every route but /api/categories needs `Authorization: tma <initData>`; the
// acting user is the verified initData user, never an id from the body or the URL.
import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/index.ts';
import { parseOrderId, parseProductId } from '../domain/index.ts';
import { listCategories } from '../repositories/categories.ts';
import { getPurchase } from '../repositories/library.ts';
import { getProduct } from '../repositories/products.ts';
import { requireActiveSeller } from '../services/accounts.ts';
import {
  createDownloadToken,
  DEFAULT_DOWNLOAD_SETTINGS,
  type DownloadSettings,
} from '../services/downloads.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  NotOwnerError,
  ProductDeletedError,
} from '../services/errors.ts';
import { attachProductFile, MAX_IMAGE_BYTES } from '../services/products.ts';
import {
  assertKeyBelongsTo,
  buildProductKey,
  type FileStorage,
  KEY_KINDS,
  type KeyKind,
} from '../storage/index.ts';
import { errorResponses, jsonErrorHandler } from './errors.ts';
import { type InitDataOptions, requireTelegramAuth, telegramUser } from './telegram-auth.ts';

export interface MiniAppRoutesOptions {
  db: Database;
  storage: FileStorage;
  auth: InitDataOptions;
  downloads?: DownloadSettings;
  /** How long an upload URL stays valid (default 15 minutes). */
  uploadUrlTtlSec?: number;
}

const DEFAULT_UPLOAD_URL_TTL_SEC = 15 * 60;

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
  const { db, storage } = options;
  const downloadSettings = options.downloads ?? DEFAULT_DOWNLOAD_SETTINGS;
  const uploadTtl = options.uploadUrlTtlSec ?? DEFAULT_UPLOAD_URL_TTL_SEC;
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
    async () => ({ categories: await listCategories(db) }),
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
      const sellerId = telegramUser(request).id;
      const body = request.body;
      const id = parseProductId(body.productId);
      await requireActiveSeller(db, sellerId);
      const product = await getProduct(db, id);
      if (!product) throw new NotFoundError('product', id);
      if (product.sellerId !== sellerId) throw new NotOwnerError('product', id);
      if (product.status === 'deleted') throw new ProductDeletedError(id);
      if (body.kind !== 'file' && (!body.contentType.startsWith('image/') || body.size > MAX_IMAGE_BYTES)) {
        throw new InvalidInputError(
          'image_invalid',
          body.kind,
          'A cover or preview is an image of at most 5 MB.',
          {
            max: MAX_IMAGE_BYTES,
          },
        );
      }
      const key = buildProductKey({ sellerId, productId: id, kind: body.kind, fileName: body.fileName });
      assertKeyBelongsTo(key, { sellerId, productId: id, kind: body.kind });
      const target = await storage.uploadUrl(key, {
        contentType: body.contentType,
        size: body.size,
        expiresInSec: uploadTtl,
      });
      return { key, ...target };
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
      const sellerId = telegramUser(request).id;
      const { kind: fileKind, key, fileName: name } = request.body;
      const id = parseProductId(request.body.productId);
      assertKeyBelongsTo(key, { sellerId, productId: id, kind: fileKind });
      const info = await storage.stat(key);
      if (!info) throw new ConflictError('upload_missing', 'Nothing was uploaded to this key yet.', { key });
      const { file } = await attachProductFile(db, storage, sellerId, id, {
        kind: fileKind,
        storageKey: key,
        originalName: name,
        sizeBytes: info.size,
        contentType: info.contentType,
      });
      return {
        productId: id,
        kind: fileKind,
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
      const purchase = await getPurchase(db, telegramUser(request).id, id);
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
      const issued = await createDownloadToken(
        db,
        telegramUser(request).id,
        parseOrderId(request.body.orderId),
        downloadSettings,
      );
      return { url: `/download/${issued.token}`, expiresAt: issued.expiresAt };
    },
  );
};
