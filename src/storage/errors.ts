// Every storage failure is one of these classes, in the application's error model: a stable
// `code` and a `kind` from which the HTTP layer derives the status, without reading messages.
import { AppError, type ErrorKind } from '../errors.ts';

/** The backend itself failed (S3 unreachable, disk error): try again later. Its message stays in the logs. */
export class StorageError extends AppError {
  constructor(message: string, options: ErrorOptions & { kind?: ErrorKind; code?: string } = {}) {
    const kind = options.kind ?? 'unavailable';
    super({
      kind,
      code: options.code ?? 'storage_unavailable',
      message,
      cause: options.cause,
      // Internal failures name keys and backend answers: clients only get the code.
      public: kind !== 'unavailable' && kind !== 'internal',
    });
  }
}

/** A key or file name that could escape its folder or is not of our shape. */
export class InvalidKeyError extends StorageError {
  constructor(message: string) {
    super(message, { kind: 'invalid', code: 'storage_invalid_key' });
  }
}

/** The key is valid but belongs to another seller or product. */
export class ForeignKeyError extends StorageError {
  constructor(key: string) {
    super(`Storage key ${key} does not belong to this seller and product.`, {
      kind: 'forbidden',
      code: 'storage_foreign_key',
    });
  }
}

export class ObjectNotFoundError extends StorageError {
  constructor(key: string, options?: ErrorOptions) {
    super(`No stored object at ${key}.`, { ...options, kind: 'not_found', code: 'storage_not_found' });
  }
}

/** The requested byte range lies outside the object. */
export class RangeNotSatisfiableError extends StorageError {
  readonly size: number | undefined;
  constructor(key: string, size?: number, options?: ErrorOptions) {
    super(`The requested range is outside ${key}${size === undefined ? '' : ` (${size} bytes)`}.`, {
      ...options,
      kind: 'range_not_satisfiable',
      code: 'storage_range_not_satisfiable',
    });
    this.size = size;
  }
}

/** More bytes arrived than allowed (declared size or the global cap). */
export class TooLargeError extends StorageError {
  readonly limit: number;
  constructor(limit: number) {
    super(`The body is larger than the ${limit} bytes allowed.`, {
      kind: 'too_large',
      code: 'storage_too_large',
    });
    this.limit = limit;
  }
}

/** The body ended with another size than declared. */
export class SizeMismatchError extends StorageError {
  readonly expected: number;
  readonly actual: number;
  constructor(expected: number, actual: number) {
    super(`Expected ${expected} bytes, received ${actual}.`, {
      kind: 'invalid',
      code: 'storage_size_mismatch',
    });
    this.expected = expected;
    this.actual = actual;
  }
}

/** A parameter out of bounds (content type, expiry, declared size, read range). */
export class InvalidArgumentError extends StorageError {
  constructor(message: string) {
    super(message, { kind: 'invalid', code: 'storage_invalid_argument' });
  }
}

/** The upload's Content-Type differs from the one the URL was signed for. */
export class ContentTypeMismatchError extends StorageError {
  constructor(expected: string, actual: string | undefined) {
    super(`This upload URL is for ${expected}, the request sent ${actual ?? 'no content type'}.`, {
      kind: 'unsupported_media_type',
      code: 'storage_content_type_mismatch',
    });
  }
}

/** A forged, damaged or foreign upload token. */
export class UploadTokenInvalidError extends StorageError {
  constructor(reason: string) {
    super(`Upload token refused: ${reason}.`, { kind: 'forbidden', code: 'storage_upload_token_invalid' });
  }
}

/** A genuine upload token past its expiry. */
export class UploadTokenExpiredError extends StorageError {
  readonly expiredAt: Date;
  constructor(expiredAt: Date) {
    super(`Upload token expired at ${expiredAt.toISOString()}.`, {
      kind: 'forbidden',
      code: 'storage_upload_token_expired',
    });
    this.expiredAt = expiredAt;
  }
}

/** An upload link that already delivered its object: each one is good for a single upload. */
export class UploadTokenUsedError extends StorageError {
  constructor(key: string) {
    super(`The upload link for ${key} was already used.`, {
      kind: 'conflict',
      code: 'storage_upload_token_used',
    });
  }
}

/** The storage environment variables are missing or wrong (startup). */
export class StorageSettingsError extends StorageError {
  constructor(message: string) {
    super(message, { kind: 'internal', code: 'storage_settings_invalid' });
  }
}

/** No resumable upload with this id (never started, completed, aborted or swept). 404. */
export class UploadNotFoundError extends StorageError {
  constructor(uploadId: string, options?: ErrorOptions) {
    super(`No upload in progress with id ${uploadId}.`, {
      ...options,
      kind: 'not_found',
      code: 'storage_upload_not_found',
    });
  }
}

/** A chunk sent for another offset than the one the upload stands at: resume from `offset`. 409. */
export class UploadOffsetMismatchError extends StorageError {
  readonly offset: number;
  constructor(sent: number, offset: number) {
    super(`This chunk starts at byte ${sent}, the upload stands at byte ${offset}.`, {
      kind: 'conflict',
      code: 'storage_upload_offset_mismatch',
    });
    this.offset = offset;
  }
}

/** A newer request on the same upload stopped this one (its bytes so far are kept). 409. */
export class UploadSupersededError extends StorageError {
  constructor() {
    super('A newer request on this upload took over from this one.', {
      kind: 'conflict',
      code: 'storage_upload_superseded',
    });
  }
}

/** Completion asked before every byte arrived. 409. */
export class UploadIncompleteError extends StorageError {
  readonly receivedBytes: number;
  readonly size: number;
  constructor(receivedBytes: number, size: number, detail = '') {
    super(`The upload holds ${receivedBytes} of ${size} bytes${detail ? ` (${detail})` : ''}.`, {
      kind: 'conflict',
      code: 'storage_upload_incomplete',
    });
    this.receivedBytes = receivedBytes;
    this.size = size;
  }
}
