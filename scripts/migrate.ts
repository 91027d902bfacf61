// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits.
import { loadConfig } from '../src/config.ts';
import { migrate, openDatabase } from '../src/db/index.ts';
import { createLogger } from '../src/log.ts';

const config = loadConfig(process.env);
const log = createLogger(config.logLevel);
const database = await openDatabase({
  env: process.env,
  settings: { ...config.pool, min: 0 },
  embeddedDir: config.embeddedPgDir,
  log,
});
try {
  const applied = await migrate(database.db, log);
  log.info({ database: database.describe, applied: applied.length }, 'Migrations up to date');
} finally {
  await database.close();
}
