// What every command-line script starts with: the validated settings, the logger, and the database
// (DATABASE_URL, or the embedded one) with no connections kept warm, since a script runs once.
import { type AppConfig, loadConfig } from '../src/config.ts';
import { type OpenedDatabase, openDatabase } from '../src/db/index.ts';
import { createLogger, type Logger } from '../src/log.ts';

export async function openScriptDatabase(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ config: AppConfig; log: Logger; database: OpenedDatabase }> {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  const database = await openDatabase({
    env,
    settings: { ...config.pool, min: 0 },
    embeddedDir: config.embeddedPgDir,
    log,
  });
  return { config, log, database };
}
