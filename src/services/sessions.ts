// Bot sessions (conversation and wizard state) in PostgreSQL: they survive a restart and every
// instance sees the same ones.
import type { Database } from '../db/index.ts';
import { deleteSession, readSession, writeSession } from '../repositories/sessions.ts';

export function createSessionService({ db }: { db: Database }) {
  return {
    read<T>(key: string): Promise<T | undefined> {
      return readSession<T>(db, key);
    },
    write(key: string, value: unknown): Promise<void> {
      return writeSession(db, key, value);
    },
    async delete(key: string): Promise<void> {
      await deleteSession(db, key);
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
