// grammY's session StorageAdapter over the sessions service.
import type { StorageAdapter } from 'grammy';
import type { SessionService } from '../services/sessions.ts';

export function sessionStorage<T>(sessions: SessionService): StorageAdapter<T> {
  return {
    read: (key) => sessions.read<T>(key),
    write: (key, value) => sessions.write(key, value),
    delete: (key) => sessions.delete(key),
  };
}
