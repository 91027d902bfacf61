// The purge of deleted products' files: each batch is marked removed and committed first, then
// its objects are deleted from storage with no connection held; an object that could not be
// deleted is marked stored again, for the next run. Orders, payouts and the file rows stay.
import type { Queryable } from '../db/index.ts';
import { markPurgeableProductFiles, unmarkStoredFilesDeleted } from '../repositories/purge.ts';
import type { FileStorage } from '../storage/index.ts';

export interface PurgeSettings {
  deletedDays: number;
  quietDays: number;
  batchSize: number;
}

export const DEFAULT_PURGE_SETTINGS: PurgeSettings = Object.freeze({
  deletedDays: 90,
  quietDays: 30,
  batchSize: 100,
});

export interface PurgeResult {
  /** Objects removed from storage, and their bytes. */
  files: number;
  bytes: number;
  /** Objects whose removal failed (kept, tried again next run). */
  failed: number;
}

export interface PurgeServiceDeps {
  db: Queryable;
  storage: FileStorage;
  log: { info(details: object, message: string): void; warn(details: object, message: string): void };
  settings?: Partial<PurgeSettings>;
}

export function createPurgeService({ db, storage, log, settings = {} }: PurgeServiceDeps) {
  const { deletedDays, quietDays, batchSize } = { ...DEFAULT_PURGE_SETTINGS, ...settings };

  async function purgeDeletedProductFiles(): Promise<PurgeResult> {
    const result: PurgeResult = { files: 0, bytes: 0, failed: 0 };
    const failedIds: number[] = [];
    for (;;) {
      const batch = await markPurgeableProductFiles(db, {
        deletedDays,
        quietDays,
        limit: batchSize,
        skipIds: failedIds,
      });
      const failedNow: number[] = [];
      for (const file of batch) {
        try {
          await storage.delete(file.storageKey);
          result.files++;
          result.bytes += file.sizeBytes;
        } catch (error) {
          failedNow.push(file.id);
          log.warn({ err: error, key: file.storageKey }, 'Purge: a stored object could not be removed');
        }
      }
      await unmarkStoredFilesDeleted(db, failedNow);
      failedIds.push(...failedNow);
      if (batch.length < batchSize) break;
    }
    result.failed = failedIds.length;
    if (result.files > 0 || result.failed > 0)
      log.info({ ...result }, 'Files of long-deleted products purged');
    return result;
  }

  return { purgeDeletedProductFiles };
}

export type PurgeService = ReturnType<typeof createPurgeService>;
