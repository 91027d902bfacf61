// The data layer's public face. Only src/db/ talks to the driver; everything else imports from here.
export { Connection } from './connection.ts';
export { Database, type DatabaseOptions, type DbLogger } from './database.ts';
export { type EmbeddedServer, startEmbeddedPostgres } from './embedded.ts';
export * from './errors.ts';
export { MIGRATIONS_DIR, migrate } from './migrate.ts';
export { type OpenedDatabase, openDatabase } from './open.ts';
export type { IsolationLevel, Queryable, Row, Transaction, TransactionOptions, Values } from './queryable.ts';
export { type PoolSettings, poolSettings, poolSettingsSchema } from './settings.ts';
export type { ConnectionStatus, Percentiles, PoolCounters, PoolStatus, TimeoutEnforcement } from './stats.ts';
export { type DatabaseTarget, redactUrl, resolveTarget } from './target.ts';
