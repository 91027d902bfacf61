// `npm run backup`: takes a snapshot of the database (DATABASE_URL, or the embedded one) into the
// configured storage under backups/, then deletes snapshots older than 30 days.
// `npm run backup -- --list` prints the stored snapshots instead.

import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Logger } from '../src/log.ts';
import { type BackupInfo, type BackupService, createBackupService } from '../src/services/backups.ts';
import { createStorage } from '../src/storage/index.ts';
import { openScriptDatabase } from './script-database.ts';

/** config → database → storage → the backup service, as src/main.ts builds them. */
export async function openBackups(
  env: NodeJS.ProcessEnv,
): Promise<{ backups: BackupService; log: Logger; close(): Promise<void> }> {
  const { config, log, database } = await openScriptDatabase(env);
  // These commands sign no upload URL: a throwaway key spares the warning about a missing one.
  const uploadSigningSecret = config.storage.uploadSigningSecret ?? randomBytes(32).toString('hex');
  const storage = createStorage({ ...config.storage, uploadSigningSecret }, { log });
  log.info({ database: database.describe, storage: storage.driver }, 'Backups ready');
  return {
    backups: createBackupService({ db: database.db, storage, log }),
    log,
    async close() {
      await storage.close();
      await database.close();
    },
  };
}

/** One line per stored snapshot, newest first. */
export function formatSnapshots(snapshots: readonly BackupInfo[]): string {
  if (snapshots.length === 0) return 'No snapshot stored yet (npm run backup takes one).';
  return snapshots
    .map((s) => `${s.key}  ${s.schemaVersion}  ${s.tables} tables  ${s.rows} rows  ${s.bytes} bytes`)
    .join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { list: { type: 'boolean', default: false } } });
  // The list is for reading: the logs stay quiet unless LOG_LEVEL asks.
  const env = values.list ? { LOG_LEVEL: 'warn', ...process.env } : process.env;
  const { backups, log, close } = await openBackups(env);
  try {
    if (values.list) {
      console.log(formatSnapshots(await backups.list()));
    } else {
      await backups.backup();
      await backups.prune();
    }
  } catch (error) {
    log.error({ err: error }, 'Backup failed');
    process.exitCode = 1;
  } finally {
    await close();
  }
}
