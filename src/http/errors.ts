// One error shape for every API route: `{ error: { code, message } }`, the status derived from
// the error's kind (src/errors.ts). Errors whose message names internals answer with their code
// and a generic sentence; anything that is not an AppError is a 500 whose details stay in the log.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  AppError,
  ERROR_KINDS,
  type ErrorKind,
  httpStatusOf,
  RateLimitedError,
  UnauthorizedError,
} from '../errors.ts';

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

/** Response schemas every route shares for its failures. */
export const errorResponses = { '4xx': errorSchema, '5xx': errorSchema } as const;

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

const GENERIC_MESSAGES: Partial<Record<ErrorKind, string>> = {
  conflict: 'This was already recorded or changed meanwhile.',
  invalid: 'The request breaks a data rule.',
  unavailable: 'The service is busy or a dependency is unavailable; try again in a moment.',
};

export type HttpFailure = { status: number; code: string; message: string };

/** The status and public code/message for an error; unknown errors reveal nothing. */
export function describeError(error: unknown): HttpFailure {
  if (error instanceof AppError) {
    if (error.kind === 'internal') return internalFailure;
    const message = error.public ? error.message : (GENERIC_MESSAGES[error.kind] ?? 'Request refused.');
    return { status: httpStatusOf(error), code: error.code, message };
  }
  const fastify = error as Partial<FastifyError>;
  if (fastify.validation) {
    return { status: 400, code: 'invalid_request', message: fastify.message ?? 'Invalid request.' };
  }
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return {
      status: fastify.statusCode,
      code: (fastify.code ?? 'bad_request').toLowerCase(),
      message: fastify.message ?? 'Bad request.',
    };
  }
  return internalFailure;
}

const internalFailure: HttpFailure = {
  status: ERROR_KINDS.internal,
  code: 'internal_error',
  message: 'Something went wrong on our side.',
};

/** Fastify error handler: logs server faults, answers every error as JSON. */
export function jsonErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const failure = describeError(error);
  if (failure.status >= 500) request.log.error({ err: error }, 'request failed');
  if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSec));
  if (error instanceof UnauthorizedError) reply.header('www-authenticate', 'tma');
  return reply.code(failure.status).send(errorBody(failure.code, failure.message));
}
