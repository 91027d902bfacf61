// `npm run backup`: takes a snapshot of the database (DATABASE_URL, or the embedded one) into the
// configured storage under backups/, then deletes snapshots older than 30 days.
// `npm run backup -- --list` prints the stored snapshots instead.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/index.ts';
import { createLogger, type Logger } from '../src/log.ts';
import { type BackupService, createBackupService } from '../src/services/backups.ts';
import { createStorage } from '../src/storage/index.ts';

/** config → database → storage → the backup service, as src/main.ts builds them. */
export async function openBackups(
  env: NodeJS.ProcessEnv,
): Promise<{ backups: BackupService; log: Logger; close(): Promise<void> }> {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  const database = await openDatabase({
    env,
    settings: { ...config.pool, min: 0 },
    embeddedDir: config.embeddedPgDir,
    log,
  });
  const storage = createStorage(config.storage, { log });
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

if (import.meta.main) {
  const { values } = parseArgs({ options: { list: { type: 'boolean', default: false } } });
  const { backups, log, close } = await openBackups(process.env);
  try {
    if (values.list) {
      for (const s of await backups.list()) {
        console.log(
          `${s.key}  ${s.createdAt.toISOString()}  ${s.schemaVersion}  ${s.rows} rows  ${s.bytes} bytes`,
        );
      }
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
