import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Database } from './database.ts';
import type { Transaction } from './queryable.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface MigrationLog {
  info(details: object, message: string): void;
}

// node-pg-migrate's own transaction control: the whole run is already one transaction of ours.
const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK)\s*;?\s*$/i;

/**
 * Applies the pending SQL migrations through the pool, all in one transaction that first takes
 * a transaction-level advisory lock: two instances starting together migrate once (the second
 * waits, then finds nothing to do), also through a transaction pooler, where a session lock would
 * be taken and released on different server sessions. Returns the names applied.
 */
export async function migrate(db: Database, log?: MigrationLog, dir = MIGRATIONS_DIR): Promise<string[]> {
  const applied = await db.transaction(async (tx) => {
    await tx.exec("SELECT pg_advisory_xact_lock(hashtext('agora.migrations'))");
    return runner({
      dbClient: migrationClient(tx) as never,
      dir,
      migrationsTable: 'schema_migrations',
      direction: 'up',
      checkOrder: true,
      noLock: true,
      singleTransaction: true,
      log: () => {},
    });
  });
  const names = applied.map((migration) => migration.name);
  if (names.length) log?.info({ migrations: names }, 'Database migrated');
  return names;
}

/** The client node-pg-migrate drives, over the migration's transaction. */
function migrationClient(tx: Transaction) {
  return {
    query: async (query: string | { text: string; values?: unknown[] }, values?: unknown[]) => {
      const text = typeof query === 'string' ? query : query.text;
      if (TRANSACTION_CONTROL.test(text)) return { rows: [] };
      return { rows: await tx.many(text, typeof query === 'string' ? values : (query.values ?? values)) };
    },
  };
}
