// POST /ipn/nowpayments: NOWPayments' signed payment notifications. The body is kept as the raw
// string (the signature is checked over it before anything is parsed or written); a bad or
// missing signature gets 401 and leaves no trace but a log line. A verified notification is
// stored and applied in one short transaction, well within the provider's 3 s.
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { IPN_SIGNATURE_HEADER, readIpn } from '../integrations/nowpayments/index.ts';
import type { Logger } from '../log.ts';
import type { CompletionService } from '../services/completion.ts';

export interface IpnRoutesOptions {
  completion: Pick<CompletionService, 'applyPaymentUpdate' | 'recordUnreadable'>;
  ipnSecret: string;
  log: Logger;
  /** Told how each notification ended (for the business metrics). */
  onOutcome?: (result: IpnOutcome) => void;
}

export type IpnOutcome =
  | 'unauthorized'
  | 'invalid'
  | 'completed'
  | 'updated'
  | 'unchanged'
  | 'duplicate'
  | 'rejected';

const BODY_LIMIT = 64 * 1024;

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

const routeSchema = {
  // The raw JSON text; its shape is checked by readIpn once the signature holds.
  body: { type: 'string', minLength: 2, maxLength: BODY_LIMIT },
  headers: {
    type: 'object',
    properties: { [IPN_SIGNATURE_HEADER]: { type: 'string', maxLength: 256 } },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        ok: { type: 'boolean' },
        result: { type: 'string' },
      },
      required: ['ok', 'result'],
    },
    '4xx': errorSchema,
    '5xx': errorSchema,
  },
} as const;

function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export const ipnRoutes: FastifyPluginAsync<IpnRoutesOptions> = async (app, options) => {
  const log = options.log.child({ component: 'ipn' });
  if (!options.ipnSecret) throw new Error('ipnRoutes needs the NOWPayments IPN secret');

  // In this plugin only: JSON bodies arrive as the exact text received.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      log.error({ err: error }, 'IPN processing failed');
      return reply
        .code(500)
        .send(errorBody('internal_error', 'The notification could not be processed; retry.'));
    }
    const code =
      status === 415 ? 'unsupported_media_type' : status === 413 ? 'body_too_large' : 'invalid_request';
    return reply.code(status).send(errorBody(code, error.message));
  });

  app.post('/ipn/nowpayments', { schema: routeSchema }, async (request, reply) => {
    const raw = request.body as string;
    const signature = request.headers[IPN_SIGNATURE_HEADER];
    const read = readIpn(raw, signature, options.ipnSecret);
    if (!read.ok && read.reason === 'bad_signature') {
      log.warn({ ip: request.ip, detail: read.detail }, 'IPN refused: bad or missing signature');
      options.onOutcome?.('unauthorized');
      return reply.code(401).send(errorBody('invalid_signature', 'Missing or invalid x-nowpayments-sig.'));
    }
    if (!read.ok) {
      const detail = read.detail ?? 'unreadable payment notification';
      await options.completion.recordUnreadable(raw, detail);
      options.onOutcome?.('invalid');
      return reply.code(400).send(errorBody(read.reason, detail));
    }
    const outcome = await options.completion.applyPaymentUpdate('ipn', read.ipn, raw);
    options.onOutcome?.(outcome.result);
    return { ok: true, result: outcome.result };
  });
};
