import { Database, type DbLogger } from './database.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import type { PoolSettings } from './settings.ts';
import { redactUrl, resolveTarget } from './target.ts';

export interface OpenedDatabase {
  db: Database;
  /** Where it connected, with the password masked. */
  describe: string;
  /** Closes the pool, then stops the embedded server if one was started. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * The database the environment names (DATABASE_URL, else the PG* variables), or an embedded
 * PostgreSQL kept in `embeddedDir` when none is named: `npm start` needs no set-up.
 */
export async function openDatabase(options: {
  env: NodeJS.ProcessEnv;
  settings: PoolSettings;
  embeddedDir: string;
  log: DbLogger;
}): Promise<OpenedDatabase> {
  const { env, settings, embeddedDir, log } = options;
  const target = resolveTarget(env);
  const embedded =
    target.kind === 'embedded' ? await startEmbeddedPostgres({ dataDir: embeddedDir }) : undefined;
  const transactionPooler = settings.transactionPooler || (target.kind === 'url' && target.viaPooler);
  if (transactionPooler && settings.preparedStatements) {
    throw new Error(
      'DB_PREPARED_STATEMENTS cannot be used through a transaction-mode pooler (pgbouncer=true)',
    );
  }
  const connection = embedded
    ? { connectionString: embedded.url, ssl: false as const }
    : {
        ...(target.kind === 'url' ? { connectionString: target.connectionString } : {}),
        ...(target.kind !== 'embedded' && target.ssl !== undefined ? { ssl: target.ssl } : {}),
      };
  const describe = embedded
    ? `embedded PostgreSQL in ${embeddedDir} on port ${embedded.port}`
    : target.kind === 'url'
      ? redactUrl(target.connectionString)
      : `PGHOST=${env.PGHOST}`;
  const db = new Database({ connection, settings: { ...settings, transactionPooler }, log });
  return {
    db,
    describe,
    async close(timeoutMs) {
      await db.close(timeoutMs === undefined ? {} : { timeoutMs });
      await embedded?.stop();
    },
  };
}
