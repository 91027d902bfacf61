import type { ConnectionOptions } from 'node:tls';

/** Where the pool connects: a URL, libpq-style PG* variables, or nothing (start the embedded server). */
export type DatabaseTarget =
  | { kind: 'url'; connectionString: string; ssl: false | ConnectionOptions | undefined; viaPooler: boolean }
  | { kind: 'pg-env'; ssl: false | ConnectionOptions | undefined }
  | { kind: 'embedded' };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

/**
 * TLS: an explicit `sslmode` (in the URL or PGSSLMODE) is left to the driver, which honours it;
 * without one, remote hosts must use verified TLS and local ones (or Unix sockets) need none.
 */
export function resolveTarget(env: NodeJS.ProcessEnv): DatabaseTarget {
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    const explicit = url.searchParams.has('sslmode') || Boolean(env.PGSSLMODE);
    return {
      kind: 'url',
      connectionString: env.DATABASE_URL,
      ssl: explicit ? undefined : defaultTls(decodeURIComponent(url.hostname), url.searchParams.get('host')),
      viaPooler: url.searchParams.get('pgbouncer') === 'true',
    };
  }
  if (env.PGHOST) {
    return { kind: 'pg-env', ssl: env.PGSSLMODE ? undefined : defaultTls(env.PGHOST, null) };
  }
  return { kind: 'embedded' };
}

function defaultTls(host: string, socketHost: string | null): false | ConnectionOptions {
  const effective = socketHost ?? host;
  const local = LOCAL_HOSTS.has(effective) || effective.startsWith('/');
  return local ? false : { rejectUnauthorized: true };
}

/** A URL safe to print: the password is masked. */
export function redactUrl(connectionString: string): string {
  const url = new URL(connectionString);
  if (url.password) url.password = '***';
  return url.toString();
}
