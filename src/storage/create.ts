import { randomBytes } from 'node:crypto';
import { LocalFileStorage } from './local.ts';
import { S3FileStorage } from './s3.ts';
import type { StorageSettings } from './settings.ts';
import { type StorageLogger, silentLogger } from './storage.ts';

export interface CreateStorageOptions {
  log?: StorageLogger;
}

/**
 * The configured backend. The union type lets the upload route narrow on `driver === 'local'`
 * to reach acceptSignedUpload.
 */
export function createStorage(
  settings: StorageSettings,
  options: CreateStorageOptions = {},
): LocalFileStorage | S3FileStorage {
  const log = options.log ?? silentLogger;
  if (settings.s3) {
    log.info({ driver: 's3', bucket: settings.s3.bucket, region: settings.s3.region }, 'file storage ready');
    return new S3FileStorage({ ...settings.s3, maxUploadBytes: settings.maxUploadBytes, log });
  }
  let secret = settings.uploadSigningSecret;
  if (secret === undefined) {
    // Neither UPLOAD_SIGNING_SECRET nor a bot token to derive it from (src/config.ts): fine for one
    // process in development; a restart breaks pending upload URLs.
    secret = randomBytes(32).toString('hex');
    log.warn(
      {},
      'Neither UPLOAD_SIGNING_SECRET nor TELEGRAM_BOT_TOKEN is set: upload URLs use a per-process key and die with the process',
    );
  }
  const storage = new LocalFileStorage({
    dir: settings.dir,
    publicUrl: settings.publicUrl,
    signingSecret: secret,
    maxUploadBytes: settings.maxUploadBytes,
  });
  log.info({ driver: 'local', dir: storage.root }, 'file storage ready');
  return storage;
}
