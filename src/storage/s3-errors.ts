// AWS SDK failures read and turned into our storage errors, for the S3 backend's modules.
import { ObjectNotFoundError, StorageError } from './errors.ts';

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

export function sdkErrorName(error: unknown): string | undefined {
  return (error as SdkError)?.name;
}

export function statusOf(error: unknown): number | undefined {
  return (error as SdkError)?.$metadata?.httpStatusCode;
}

export function isNoSuchUpload(error: unknown): boolean {
  return sdkErrorName(error) === 'NoSuchUpload' || statusOf(error) === 404;
}

export function isNotFound(error: unknown): boolean {
  const name = sdkErrorName(error);
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}

/** Any SDK failure as one of our errors, with the SDK error as cause. */
export function s3Failure(operation: string, key: string, error: unknown): never {
  if (error instanceof StorageError) throw error;
  if (isNotFound(error)) throw new ObjectNotFoundError(key, { cause: error });
  const name = sdkErrorName(error) ?? 'Error';
  throw new StorageError(`S3 ${operation} of ${key} failed: ${name}: ${(error as Error)?.message}`, {
    cause: error,
  });
}
