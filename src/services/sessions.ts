// Bot sessions (conversation and wizard state) in PostgreSQL: they survive a restart and every
// instance sees the same ones. Versioned reads and compare-and-set writes keep two instances
// from overwriting each other's changes.
import type { Database } from '../db/index.ts';
import {
  deleteSession,
  readSession,
  readSessionVersion,
  type VersionedSession,
  writeSession,
  writeSessionIfVersion,
} from '../repositories/sessions.ts';

export type { VersionedSession };

export function createSessionService({ db }: { db: Database }) {
  return {
    read<T>(key: string): Promise<T | undefined> {
      return readSession<T>(db, key);
    },
    readVersioned<T>(key: string): Promise<VersionedSession<T>> {
      return readSessionVersion<T>(db, key);
    },
    write(key: string, value: unknown): Promise<void> {
      return writeSession(db, key, value);
    },
    /** False when the session changed since `version` was read. */
    writeIfVersion(key: string, value: unknown, version: number): Promise<boolean> {
      return writeSessionIfVersion(db, key, value, version);
    },
    async delete(key: string): Promise<void> {
      await deleteSession(db, key);
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
