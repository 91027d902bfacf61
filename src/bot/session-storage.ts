// grammY's session StorageAdapter over the bot_sessions table, through our pool.
import type { StorageAdapter } from 'grammy';
import type { Queryable } from '../db/index.ts';
import { deleteSession, readSession, writeSession } from '../repositories/sessions.ts';

export function postgresSessionStorage<T>(db: Queryable): StorageAdapter<T> {
  return {
    read: (key) => readSession<T>(db, key),
    write: (key, value) => writeSession(db, key, value),
    delete: async (key) => {
      await deleteSession(db, key);
    },
  };
}
