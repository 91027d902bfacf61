// Bot sessions: one JSON value per session key (conversation and wizard state), kept in
// PostgreSQL so it survives a restart and is shared by every instance.
import type { Queryable } from '../db/index.ts';
import { AppError } from '../errors.ts';

/** Keys are short and printable: the table's check allows 1 to 255 characters. */
export const MAX_SESSION_KEY_LENGTH = 255;

/** A programming error: keys are built by the bot, never typed. */
export class SessionKeyError extends AppError {
  constructor(key: string) {
    super({
      kind: 'internal',
      code: 'session_key_invalid',
      message: `A session key must be 1 to ${MAX_SESSION_KEY_LENGTH} characters long (got ${key.length}).`,
    });
  }
}

function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_SESSION_KEY_LENGTH) throw new SessionKeyError(key);
}

/** The stored value, or `undefined` when the key has none. */
export async function readSession<T>(q: Queryable, key: string): Promise<T | undefined> {
  checkKey(key);
  const row = await q.maybeOne<{ value: T }>('SELECT value FROM bot_sessions WHERE key = $1', [key]);
  return row === null ? undefined : row.value;
}

/**
 * Stores `value` under `key`. An unchanged value is left alone (no new row version, no
 * updated_at bump): the bot saves the session after every update, most of which change nothing.
 */
export async function writeSession(q: Queryable, key: string, value: unknown): Promise<void> {
  checkKey(key);
  await q.exec(
    `INSERT INTO bot_sessions AS s (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = s.version + 1, updated_at = now()
     WHERE s.value IS DISTINCT FROM excluded.value`,
    [key, JSON.stringify(value)],
  );
}

/** A stored value with the version it was read at (`version` 0: no row yet). */
export interface VersionedSession<T> {
  value: T | undefined;
  version: number;
}

export async function readSessionVersion<T>(q: Queryable, key: string): Promise<VersionedSession<T>> {
  checkKey(key);
  const row = await q.maybeOne<{ value: T; version: string }>(
    'SELECT value, version FROM bot_sessions WHERE key = $1',
    [key],
  );
  return row === null ? { value: undefined, version: 0 } : { value: row.value, version: Number(row.version) };
}

/**
 * Compare-and-set: stores `value` only if the row is still at `version` (0: only if there is
 * none), and bumps the version. False when another writer got there first with a different
 * value (the same value, as when two first updates record the same user, loses nothing).
 */
export async function writeSessionIfVersion(
  q: Queryable,
  key: string,
  value: unknown,
  version: number,
): Promise<boolean> {
  checkKey(key);
  const json = JSON.stringify(value);
  if (version === 0) {
    const inserted = await q.exec(
      'INSERT INTO bot_sessions (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING',
      [key, json],
    );
    if (inserted > 0) return true;
  } else {
    const updated = await q.exec(
      `UPDATE bot_sessions SET value = $2::jsonb, version = version + 1, updated_at = now()
       WHERE key = $1 AND version = $3`,
      [key, json, version],
    );
    if (updated > 0) return true;
  }
  return (
    (await q.maybeOne('SELECT 1 FROM bot_sessions WHERE key = $1 AND value = $2::jsonb', [key, json])) !==
    null
  );
}

/** Forgets the key; true when there was something to forget. */
export async function deleteSession(q: Queryable, key: string): Promise<boolean> {
  checkKey(key);
  return (await q.exec('DELETE FROM bot_sessions WHERE key = $1', [key])) > 0;
}
