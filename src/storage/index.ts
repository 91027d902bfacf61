// File storage's public face: one interface, a local folder or an S3-compatible bucket behind it.
export { type CreateStorageOptions, createStorage } from './create.ts';
export * from './errors.ts';
export { FileBody } from './file-body.ts';
export { type ByteRange, checkContentType, contentDisposition, mediaType, parseRangeHeader } from './http.ts';
export {
  assertKeyBelongsTo,
  assertValidKey,
  buildProductKey,
  KEY_KINDS,
  type KeyKind,
  type KeyOwner,
  keyBelongsTo,
  type ProductKeyParts,
  parseProductKey,
  productPrefix,
  sanitizeFileName,
} from './keys.ts';
export {
  type AcceptedUpload,
  type HeadersLike,
  LocalFileStorage,
  type LocalStorageOptions,
} from './local.ts';
export { LOCAL_CHUNK_BYTES } from './local-resumable.ts';
export { S3FileStorage, type S3StorageOptions } from './s3.ts';
export {
  regionFromEndpoint,
  type StorageSettings,
  storageSettings,
  storageSettingsSchema,
} from './settings.ts';
export {
  type CompletedUpload,
  DEFAULT_MAX_UPLOAD_BYTES,
  type DownloadUrlOptions,
  type FileStorage,
  MAX_URL_EXPIRY_SEC,
  type ObjectInfo,
  type PutOptions,
  type PutResult,
  partCount,
  partLength,
  type ReadOptions,
  type ResumableUpload,
  type ResumableUploadOptions,
  type SignedPart,
  type StorageLogger,
  type UploadedPart,
  type UploadState,
  type UploadTarget,
  type UploadUrlOptions,
} from './storage.ts';
export {
  deriveUploadSigningSecret,
  signUploadToken,
  type UploadGrant,
  verifyUploadToken,
} from './upload-token.ts';
