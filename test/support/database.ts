import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { Database, type DatabaseOptions, type PoolSettings, poolSettings } from '../../src/db/index.ts';

export function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`');
  return url;
}

/** The URL of a database on the test server, or of `name` on it. */
export function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** A pool on the test server's maintenance database, for creating and inspecting. */
export function adminDatabase(overrides: Partial<PoolSettings> = {}): Database {
  return new Database({
    connection: { connectionString: serverUrl(), ssl: false },
    settings: poolSettings({ min: 0, max: 2, applicationName: 'agora_test_admin', ...overrides }),
  });
}

/**
 * A fresh, empty database for one test file, dropped when the file ends, so files run in
 * parallel without seeing each other's rows. Call it at the top level of the file (the drop is
 * registered with the file's `after`); `beforeDrop` stops what runs on this database alone
 * (an app started on it) before its sessions are ended.
 */
export async function freshDatabase(options: { beforeDrop?: () => Promise<unknown> } = {}): Promise<string> {
  const name = `agora_test_${randomBytes(6).toString('hex')}`;
  const admin = adminDatabase();
  await admin.exec(`CREATE DATABASE ${name}`);
  after(async () => {
    // What runs on this database alone (an app started on it) stops first.
    await options.beforeDrop?.();
    // `after` hooks run in the order they were registered, and this one comes first: what the
    // file started on the database (job workers...) stops before its pools close.
    for (const stop of teardowns.splice(0).toReversed()) await stop();
    await Promise.all([...openPools].map((db) => db.close({ timeoutMs: 2_000 })));
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });
  return databaseUrl(name);
}

const openPools = new Set<Database>();
const teardowns: (() => Promise<unknown>)[] = [];

/** Stops something that uses the file's database before its pools close (last registered, first stopped). */
export function beforePoolsClose(stop: () => Promise<unknown>): void {
  teardowns.push(stop);
}

/** A pool on `url` that closes when the test file ends. */
export function testDatabase(
  url: string,
  overrides: Partial<PoolSettings> = {},
  log?: DatabaseOptions['log'],
): Database {
  const db = new Database({
    connection: { connectionString: url, ssl: false },
    settings: poolSettings({ applicationName: `agora_test_${randomBytes(4).toString('hex')}`, ...overrides }),
    ...(log ? { log } : {}),
  });
  openPools.add(db);
  after(() => db.close({ timeoutMs: 2_000 }));
  return db;
}
