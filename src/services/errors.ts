// Refusals of the use cases. Each class has a stable snake_case `code` (a translation key, like
// the domain's ValidationError codes) and `details` for the message; adapters map the family to
// a reply or an HTTP status: NotFoundError 404, ForbiddenError 403, ConflictError 409,
// InvalidInputError 400. Callers branch on `instanceof` or `code`, never on `message`.

export type ServiceDetails = Readonly<Record<string, string | number | null>>;

export class ServiceError extends Error {
  readonly code: string;
  readonly details: ServiceDetails;
  constructor(code: string, message: string, details: ServiceDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** What was asked for does not exist (or the caller may not know it exists). */
export class NotFoundError extends ServiceError {
  readonly entity: string;
  constructor(entity: string, id: string | number, code = `${entity}_not_found`) {
    super(code, `No ${entity} ${id}.`, { entity, id: String(id) });
    this.entity = entity;
  }
}

/** The caller is known but not allowed to do this. */
export class ForbiddenError extends ServiceError {}

/** The request is valid but the current state refuses it. */
export class ConflictError extends ServiceError {}

/** Input outside a rule the domain validators do not cover (reasons, dates). */
export class InvalidInputError extends ServiceError {
  readonly field: string;
  constructor(code: string, field: string, message: string, details: ServiceDetails = {}) {
    super(code, message, details);
    this.field = field;
  }
}

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
