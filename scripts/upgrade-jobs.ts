// `npm run jobs:upgrade`: sets pg-boss 10's job tables aside and carries their waiting jobs into
// pg-boss 12's. pg-boss 11 rewrote its tables and cannot migrate those of 10 (schema version 24)
// in place; its release notes advise a new schema and moving the jobs over with the API or
// INSERT … SELECT. Run it once with every instance stopped; running it again carries nothing twice.

import { PgBoss } from 'pg-boss';
import type { Database } from '../src/db/index.ts';
import { bossDb } from '../src/jobs/boss-db.ts';
import { DEFAULT_JOB_SETTINGS, startJobQueue } from '../src/jobs/index.ts';
import type { Logger } from '../src/log.ts';
import { openScriptDatabase } from './script-database.ts';

/** pg-boss 11's first schema version; pg-boss 10's is the one before. */
const FIRST_V11_SCHEMA_VERSION = 25;
const PG_BOSS_10_SCHEMA_VERSION = 24;

export interface UpgradeResult {
  /** Where the old tables are now (kept for inspection), or null when there were none. */
  retiredSchema: string | null;
  /** Jobs carried over, by queue. */
  carried: Record<string, number>;
}

type PendingJob = {
  id: string;
  name: string;
  data: object | null;
  priority: number;
  startAfter: Date;
  singletonKey: string | null;
};

export async function upgradeJobTables({
  db,
  log,
  schema = DEFAULT_JOB_SETTINGS.schema,
}: {
  db: Database;
  log: Logger;
  schema?: string;
}): Promise<UpgradeResult> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Not a plain schema name: ${schema}`);
  const retired = `${schema}_v10`;
  const version = await schemaVersion(db, schema);
  if (version !== null && version < FIRST_V11_SCHEMA_VERSION) {
    if (version !== PG_BOSS_10_SCHEMA_VERSION) {
      throw new Error(
        `Schema ${schema} holds pg-boss tables of version ${version}: only pg-boss 10's (24) are carried over.`,
      );
    }
    if ((await schemaVersion(db, retired)) !== null) {
      throw new Error(`Schema ${retired} already holds retired job tables: drop or rename it first.`);
    }
    await db.exec(`ALTER SCHEMA ${schema} RENAME TO ${retired}`);
    log.info({ from: schema, to: retired, version }, 'pg-boss 10 tables set aside');
  }
  // pg-boss 12 installs its tables and our queues (with their retry policies) in the schema.
  const queue = await startJobQueue({ db, log, settings: { schema, schedule: false } });
  await queue.stop();
  if ((await schemaVersion(db, retired)) === null) return { retiredSchema: null, carried: {} };

  // Waiting, retrying, and interrupted (active when the old instance stopped) jobs run again.
  const pending = await db.many<PendingJob>(
    `SELECT id::text, name, data, priority, start_after AS "startAfter", singleton_key AS "singletonKey"
       FROM ${retired}.job WHERE state IN ('created', 'retry', 'active') ORDER BY created_on`,
  );
  const boss = new PgBoss({ db: bossDb(db), schema, schedule: false, supervise: false });
  boss.on('error', (error) => log.error({ err: error }, 'pg-boss error'));
  await boss.start();
  try {
    const carried: Record<string, number> = {};
    for (const [name, jobs] of Map.groupBy(pending, (job) => job.name)) {
      if (!(await boss.getQueue(name))) {
        log.warn(
          { queue: name, jobs: jobs.length },
          'No such queue any more: its jobs stay in the old tables',
        );
        continue;
      }
      // Same ids: a job already carried over is skipped (pg-boss inserts with ON CONFLICT DO NOTHING).
      const inserted = await boss.insert(
        name,
        jobs.map((job) => ({
          id: job.id,
          data: job.data ?? {},
          priority: job.priority,
          startAfter: job.startAfter,
          ...(job.singletonKey ? { singletonKey: job.singletonKey } : {}),
        })),
        { returnId: true },
      );
      carried[name] = inserted?.length ?? 0;
    }
    return { retiredSchema: retired, carried };
  } finally {
    await boss.stop({ graceful: false });
  }
}

async function schemaVersion(db: Database, schema: string): Promise<number | null> {
  const { present } = await db.one<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
    `${schema}.version`,
  ]);
  if (!present) return null;
  return (await db.maybeOne<{ version: number }>(`SELECT version FROM ${schema}.version`))?.version ?? null;
}

if (import.meta.main) {
  const { log, database } = await openScriptDatabase();
  try {
    const { retiredSchema, carried } = await upgradeJobTables({ db: database.db, log });
    log.info(
      { retiredSchema, carried },
      retiredSchema
        ? `Job tables upgraded; the old ones stay in ${retiredSchema} (DROP SCHEMA ${retiredSchema} CASCADE once satisfied)`
        : 'No pg-boss 10 tables: nothing to carry over',
    );
  } finally {
    await database.close();
  }
}
