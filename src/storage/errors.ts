// Every storage failure is one of these classes with a stable `code`, so the HTTP layer maps
// meaning to a status (suggested status in each comment) without reading messages.

export class StorageError extends Error {
  readonly code: string = 'STORAGE_ERROR';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A key or file name that could escape its folder or is not of our shape. 400. */
export class InvalidKeyError extends StorageError {
  override readonly code = 'STORAGE_INVALID_KEY';
}

/** The key is valid but belongs to another seller or product. 403. */
export class ForeignKeyError extends StorageError {
  override readonly code = 'STORAGE_FOREIGN_KEY';
  constructor(key: string) {
    super(`Storage key ${key} does not belong to this seller and product.`);
  }
}

/** 404. */
export class ObjectNotFoundError extends StorageError {
  override readonly code = 'STORAGE_NOT_FOUND';
  constructor(key: string, options?: ErrorOptions) {
    super(`No stored object at ${key}.`, options);
  }
}

/** The requested byte range lies outside the object. 416. */
export class RangeNotSatisfiableError extends StorageError {
  override readonly code = 'STORAGE_RANGE_NOT_SATISFIABLE';
  readonly size: number | undefined;
  constructor(key: string, size?: number, options?: ErrorOptions) {
    super(`The requested range is outside ${key}${size === undefined ? '' : ` (${size} bytes)`}.`, options);
    this.size = size;
  }
}

/** More bytes arrived than allowed (declared size or the global cap). 413. */
export class TooLargeError extends StorageError {
  override readonly code = 'STORAGE_TOO_LARGE';
  readonly limit: number;
  constructor(limit: number) {
    super(`The body is larger than the ${limit} bytes allowed.`);
    this.limit = limit;
  }
}

/** The body ended with another size than declared. 400. */
export class SizeMismatchError extends StorageError {
  override readonly code = 'STORAGE_SIZE_MISMATCH';
  readonly expected: number;
  readonly actual: number;
  constructor(expected: number, actual: number) {
    super(`Expected ${expected} bytes, received ${actual}.`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A parameter out of bounds (content type, expiry, declared size, read range). 400. */
export class InvalidArgumentError extends StorageError {
  override readonly code = 'STORAGE_INVALID_ARGUMENT';
}

/** The upload's Content-Type differs from the one the URL was signed for. 415. */
export class ContentTypeMismatchError extends StorageError {
  override readonly code = 'STORAGE_CONTENT_TYPE_MISMATCH';
  constructor(expected: string, actual: string | undefined) {
    super(`This upload URL is for ${expected}, the request sent ${actual ?? 'no content type'}.`);
  }
}

/** A forged, damaged or foreign upload token. 403. */
export class UploadTokenInvalidError extends StorageError {
  override readonly code = 'STORAGE_UPLOAD_TOKEN_INVALID';
  constructor(reason: string) {
    super(`Upload token refused: ${reason}.`);
  }
}

/** A genuine upload token past its expiry. 403 (or 410). */
export class UploadTokenExpiredError extends StorageError {
  override readonly code = 'STORAGE_UPLOAD_TOKEN_EXPIRED';
  readonly expiredAt: Date;
  constructor(expiredAt: Date) {
    super(`Upload token expired at ${expiredAt.toISOString()}.`);
    this.expiredAt = expiredAt;
  }
}

/** The storage environment variables are missing or wrong (startup). */
export class StorageSettingsError extends StorageError {
  override readonly code = 'STORAGE_SETTINGS_INVALID';
}

/** No resumable upload with this id (never started, completed, aborted or swept). 404. */
export class UploadNotFoundError extends StorageError {
  override readonly code = 'STORAGE_UPLOAD_NOT_FOUND';
  constructor(uploadId: string, options?: ErrorOptions) {
    super(`No upload in progress with id ${uploadId}.`, options);
  }
}

/** A chunk sent for another offset than the one the upload stands at: resume from `offset`. 409. */
export class UploadOffsetMismatchError extends StorageError {
  override readonly code = 'STORAGE_UPLOAD_OFFSET_MISMATCH';
  readonly offset: number;
  constructor(sent: number, offset: number) {
    super(`This chunk starts at byte ${sent}, the upload stands at byte ${offset}.`);
    this.offset = offset;
  }
}

/** A newer request on the same upload stopped this one (its bytes so far are kept). 409. */
export class UploadSupersededError extends StorageError {
  override readonly code = 'STORAGE_UPLOAD_SUPERSEDED';
  constructor() {
    super('A newer request on this upload took over from this one.');
  }
}

/** Completion asked before every byte arrived. 409. */
export class UploadIncompleteError extends StorageError {
  override readonly code = 'STORAGE_UPLOAD_INCOMPLETE';
  readonly receivedBytes: number;
  readonly size: number;
  constructor(receivedBytes: number, size: number, detail = '') {
    super(`The upload holds ${receivedBytes} of ${size} bytes${detail ? ` (${detail})` : ''}.`);
    this.receivedBytes = receivedBytes;
    this.size = size;
  }
}
