// Runs once per `npm test`: gives every test file a PostgreSQL server in TEST_DATABASE_URL.
// With DATABASE_URL (or PGHOST) set, that server is used; otherwise an embedded one is started.
import { type EmbeddedServer, startEmbeddedPostgres } from '../src/db/index.ts';

let embedded: EmbeddedServer | undefined;

export async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  if (process.env.PGHOST) {
    const {
      PGHOST,
      PGPORT = '5432',
      PGUSER = 'postgres',
      PGPASSWORD = '',
      PGDATABASE = 'postgres',
    } = process.env;
    const auth = PGPASSWORD ? `${encodeURIComponent(PGUSER)}:${encodeURIComponent(PGPASSWORD)}` : PGUSER;
    process.env.TEST_DATABASE_URL = `postgres://${auth}@${PGHOST}:${PGPORT}/${PGDATABASE}`;
    return;
  }
  embedded = await startEmbeddedPostgres({ settings: { max_connections: '300', fsync: 'off' } });
  process.env.TEST_DATABASE_URL = embedded.url;
}

export async function globalTeardown(): Promise<void> {
  await embedded?.stop();
}
