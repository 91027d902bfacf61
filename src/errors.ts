// The one error model. Every failure the application means to report is an AppError with a
// stable snake_case `code`, a `kind` and `details`. Callers branch on the class or the code, never
// on the English message (meant for logs). What adapters show derives from these in one place:
// the HTTP status from the kind (httpStatusOf), the translation from the code (localeKeyOf:
// `error-<code>` in locales/*.ftl, with `details` as its variables).

/** What kind of failure, and the HTTP status it answers. */
export const ERROR_KINDS = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface AppErrorInit {
  kind: ErrorKind;
  code: string;
  message: string;
  details?: ErrorDetails;
  cause?: unknown;
  /**
   * False when the message names internals (SQL, storage keys, provider answers): clients then get
   * only the code and a generic sentence. Default: true.
   */
  public?: boolean;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly details: ErrorDetails;
  readonly public: boolean;

  constructor(init: AppErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.kind = init.kind;
    this.code = init.code;
    this.details = init.details ?? {};
    this.public = init.public ?? true;
  }
}

export function httpStatusOf(error: AppError): number {
  return ERROR_KINDS[error.kind];
}

/** The translation key of an error code: `error-<code>` with dashes, as Fluent keys are written. */
export function localeKeyOf(code: string): string {
  return `error-${code.replaceAll('_', '-')}`;
}

// The families every layer throws. Specific refusals extend them with their own code.

/** Input breaks a rule. `field` names the input. */
export class InvalidInputError extends AppError {
  readonly field: string;
  constructor(code: string, field: string, message: string, details: ErrorDetails = {}) {
    super({ kind: 'invalid', code, message, details });
    this.field = field;
  }
}

/** The caller's identity could not be verified. */
export class UnauthorizedError extends AppError {
  constructor(code: string, message: string) {
    super({ kind: 'unauthorized', code, message });
  }
}

/** The caller is known but not allowed to do this. */
export class ForbiddenError extends AppError {
  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super({ kind: 'forbidden', code, message, details });
  }
}

/** What was asked for does not exist (or the caller may not know it exists). */
export class NotFoundError extends AppError {
  readonly entity: string;
  constructor(entity: string, id: string | number, code = `${entity}_not_found`) {
    super({ kind: 'not_found', code, message: `No ${entity} ${id}.`, details: { entity, id: String(id) } });
    this.entity = entity;
  }
}

/** The request is valid but the current state refuses it. */
export class ConflictError extends AppError {
  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super({ kind: 'conflict', code, message, details });
  }
}

/** Too many requests in a window; `retryAfterSec` says when to come back. */
export class RateLimitedError extends AppError {
  readonly retryAfterSec: number;
  constructor(code: string, message: string, retryAfterSec: number, details: ErrorDetails = {}) {
    super({ kind: 'rate_limited', code, message, details: { ...details, retryAfterSec } });
    this.retryAfterSec = retryAfterSec;
  }
}

/** Something we depend on (the payment provider, storage, the database) cannot serve now. */
export class UnavailableError extends AppError {
  constructor(code: string, message: string, options: { details?: ErrorDetails; cause?: unknown } = {}) {
    super({ kind: 'unavailable', code, message, ...options });
  }
}
