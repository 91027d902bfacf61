// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits.
import { migrate } from '../src/db/index.ts';
import { openScriptDatabase } from './script-database.ts';

const { log, database } = await openScriptDatabase();
try {
  const applied = await migrate(database.db, log);
  log.info({ database: database.describe, applied: applied.length }, 'Migrations up to date');
} finally {
  await database.close();
}
