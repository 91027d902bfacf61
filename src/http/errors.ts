// One error shape for every API route: `{ error: { code, message } }` with the status the error's
// meaning calls for. Typed errors of the domain, services, storage and database map here; anything
// else is a 500 whose details stay in the log.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  CheckViolationError,
  ForeignKeyViolationError,
  PoolSaturatedError,
  UniqueViolationError,
} from '../db/index.ts';
import { TransitionError, ValidationError } from '../domain/index.ts';
import { DownloadLinkInvalidError, RateLimitedError } from '../services/aftersale-errors.ts';
import { ConflictError, ForbiddenError, NotFoundError, ServiceError } from '../services/errors.ts';
import { StorageError } from '../storage/index.ts';

/** A request without valid Telegram identity. */
export class UnauthorizedError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'UnauthorizedError';
    this.code = code;
  }
}

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

const STORAGE_STATUS: Readonly<Record<string, number>> = {
  STORAGE_INVALID_KEY: 400,
  STORAGE_FOREIGN_KEY: 403,
  STORAGE_NOT_FOUND: 404,
  STORAGE_RANGE_NOT_SATISFIABLE: 416,
  STORAGE_TOO_LARGE: 413,
  STORAGE_SIZE_MISMATCH: 400,
  STORAGE_INVALID_ARGUMENT: 400,
  STORAGE_CONTENT_TYPE_MISMATCH: 415,
  STORAGE_UPLOAD_TOKEN_INVALID: 403,
  STORAGE_UPLOAD_TOKEN_EXPIRED: 403,
};

// NotFoundError 404, ForbiddenError 403, ConflictError 409, InvalidInputError and the rest 400.
function serviceStatus(error: ServiceError): number {
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof ConflictError) return 409;
  return 400;
}

export type HttpFailure = { status: number; code: string; message: string };

/** The status and public code/message for an error; unknown errors reveal nothing. */
export function describeError(error: unknown): HttpFailure {
  if (error instanceof UnauthorizedError) return { status: 401, code: error.code, message: error.message };
  if (error instanceof ValidationError) return { status: 400, code: error.code, message: error.message };
  if (error instanceof TransitionError) return { status: 409, code: error.code, message: error.message };
  if (error instanceof RateLimitedError) return { status: 429, code: error.code, message: error.message };
  if (error instanceof DownloadLinkInvalidError)
    return { status: 410, code: error.code, message: error.message };
  if (error instanceof ServiceError) {
    return { status: serviceStatus(error), code: error.code, message: error.message };
  }
  if (error instanceof StorageError) {
    const status = STORAGE_STATUS[error.code];
    if (status) return { status, code: error.code.toLowerCase(), message: error.message };
  }
  if (error instanceof UniqueViolationError) {
    return { status: 409, code: 'already_exists', message: 'This was already recorded.' };
  }
  if (error instanceof CheckViolationError || error instanceof ForeignKeyViolationError) {
    return { status: 400, code: 'invalid_data', message: 'The request breaks a data rule.' };
  }
  if (error instanceof PoolSaturatedError) {
    return { status: 503, code: 'busy', message: 'The service is busy, try again in a moment.' };
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
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side.' };
}

/** Fastify error handler: logs server faults, answers every error as JSON. */
export function jsonErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const failure = describeError(error);
  if (failure.status >= 500) request.log.error({ err: error }, 'request failed');
  if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSec));
  if (error instanceof UnauthorizedError) reply.header('www-authenticate', 'tma');
  return reply.code(failure.status).send(errorBody(failure.code, failure.message));
}
