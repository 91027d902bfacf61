import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface MigrationLog {
  info(details: object, message: string): void;
}

/**
 * Applies the pending SQL migrations through the pool (one connection, under node-pg-migrate's
 * advisory lock, so two instances starting together migrate once). Returns the names applied.
 */
export async function migrate(db: Database, log?: MigrationLog, dir = MIGRATIONS_DIR): Promise<string[]> {
  const applied = await db.withConnection((conn) =>
    runner({
      dbClient: {
        query: async (query: string | { text: string; values?: unknown[] }, values?: unknown[]) =>
          typeof query === 'string'
            ? { rows: await conn.many(query, values) }
            : { rows: await conn.many(query.text, query.values ?? values) },
      } as never,
      dir,
      migrationsTable: 'schema_migrations',
      direction: 'up',
      checkOrder: true,
      advisoryLockMode: 'wait',
      log: () => {},
    }),
  );
  const names = applied.map((migration) => migration.name);
  if (names.length) log?.info({ migrations: names }, 'Database migrated');
  return names;
}
