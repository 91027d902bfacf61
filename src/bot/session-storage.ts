// grammY's session StorageAdapter over the sessions service. Each write says which version of
// the session its update read: when another instance wrote it meanwhile, the write is refused
// (SessionConflictError) rather than silently undoing the other instance's change.
import type { StorageAdapter } from 'grammy';
import { ConflictError } from '../errors.ts';
import type { SessionService } from '../services/sessions.ts';

/** The session changed on another instance while this update was handled; this update's change is dropped. */
export class SessionConflictError extends ConflictError {
  constructor(key: string) {
    super(
      'session_conflict',
      `The session ${key} was written by another update meanwhile; this write is refused.`,
    );
  }
}

export function sessionStorage<T>(sessions: SessionService): StorageAdapter<T> {
  // What each key's running update read: its version, and its value as JSON to skip unchanged
  // writes. Updates of one key run one at a time here (sequentialize), so one entry per key.
  const read = new Map<string, { version: number; json: string }>();
  return {
    read: async (key) => {
      const { value, version } = await sessions.readVersioned<T>(key);
      read.set(key, { version, json: JSON.stringify(value) });
      return value;
    },
    write: async (key, value) => {
      const seen = read.get(key);
      read.delete(key);
      // Written without reading first: nothing to compare with.
      if (!seen) return sessions.write(key, value);
      if (JSON.stringify(value) === seen.json) return;
      if (!(await sessions.writeIfVersion(key, value, seen.version))) throw new SessionConflictError(key);
    },
    delete: async (key) => {
      read.delete(key);
      await sessions.delete(key);
    },
  };
}
