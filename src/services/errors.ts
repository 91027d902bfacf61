// Refusals of the use cases, in the application's error model (src/errors.ts): each has a stable
// snake_case code (its translation is `error-<code>`) and `details` for the message. The families
// are re-exported so services and adapters import their errors from one module.
import { AppError, ConflictError, ForbiddenError, RateLimitedError, UnavailableError } from '../errors.ts';

export {
  AppError,
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
} from '../errors.ts';

export class NotOwnerError extends ForbiddenError {
  constructor(entity: string, id: string | number) {
    super('not_owner', `This ${entity} belongs to someone else.`, { entity, id: String(id) });
  }
}

export class NotAdminError extends ForbiddenError {
  constructor() {
    super('not_admin', 'Only an admin may do this.');
  }
}

export class NotSellerError extends ForbiddenError {
  constructor() {
    super('not_seller', 'Register as a seller first.');
  }
}

/** A suspended user can neither sell nor buy until the suspension ends. */
export class SuspendedError extends ForbiddenError {
  readonly until: Date | null;
  constructor(until: Date | null) {
    super(
      'user_suspended',
      until ? `This account is suspended until ${until.toISOString()}.` : 'This account is suspended.',
      { until: until ? until.toISOString() : null },
    );
    this.until = until;
  }
}

/** A banned product stays off the catalog until an admin restores it. */
export class ProductBannedError extends ConflictError {
  constructor(productId: string) {
    super('product_banned', 'This product was banned by an admin: only an admin can restore it.', {
      productId,
    });
  }
}

export class ProductDeletedError extends ConflictError {
  constructor(productId: string) {
    super('product_deleted', 'This product was deleted.', { productId });
  }
}

/** Activation needs the product's file: a buyer must receive something. */
export class ProductFileMissingError extends ConflictError {
  constructor(productId: string) {
    super('product_file_missing', 'Upload the product file before publishing it.', { productId });
  }
}

export class AlreadySellerError extends ConflictError {
  constructor() {
    super('already_seller', 'This account is already a seller.');
  }
}

/** One seller account per email address, whatever its case. */
export class EmailTakenError extends ConflictError {
  constructor() {
    super('email_taken', 'Another seller account already uses this email address.');
  }
}

/**
 * NOWPayments could not be reached or refused for a reason that is not the buyer's: try again
 * later (503). `mayHaveCreatedPayment` mirrors the client's `mayHaveSucceeded` (the order keeps
 * no payment row; an unpaid duplicate simply expires).
 */
export class PaymentProviderError extends UnavailableError {
  readonly mayHaveCreatedPayment: boolean;
  constructor(operation: string, mayHaveCreatedPayment: boolean, options?: ErrorOptions) {
    super(
      'payment_provider_unavailable',
      `The payment provider failed (${operation}); try again in a moment.`,
      {
        details: { operation },
        cause: options?.cause,
      },
    );
    this.mayHaveCreatedPayment = mayHaveCreatedPayment;
  }
}

/** Too many download links asked for in the rolling window (429 with Retry-After). */
export class DownloadRateLimitedError extends RateLimitedError {
  constructor(limit: number, windowSec: number, retryAfterSec: number) {
    super(
      'download_rate_limited',
      `At most ${limit} download links per ${windowSec / 60} minutes.`,
      retryAfterSec,
      { limit },
    );
  }
}

/** A download link that is unknown, already used or expired: the same answer for all three (410). */
export class DownloadLinkInvalidError extends AppError {
  constructor() {
    super({
      kind: 'gone',
      code: 'download_link_invalid',
      message: 'This download link was already used or has expired: ask for a new one.',
    });
  }
}
