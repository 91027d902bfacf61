// Is the database serving? A round trip within a deadline, and the pool's live state, for
// /health and the metrics.
import type { Database, PoolStatus } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { ping } from '../repositories/health.ts';

export type { PoolStatus };

export type HealthReport =
  | { ok: true; latencyMs: number; pool: PoolStatus }
  | { ok: false; database: 'down' | 'saturated' | 'closed'; error: string; pool: PoolStatus };

export function createHealthService({ db, timeoutMs }: { db: Database; timeoutMs: number }) {
  return {
    poolStatus(): PoolStatus {
      return db.status();
    },

    async check(): Promise<HealthReport> {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const round = ping(db).then(
        () => null,
        (error: unknown) => error,
      );
      try {
        const outcome = await Promise.race([round, expired]);
        if (outcome === null)
          return { ok: true, latencyMs: Math.round(performance.now() - started), pool: db.status() };
        const pool = db.status();
        const database = pool.closed
          ? 'closed'
          : outcome === 'timeout' || pool.waiting > 0
            ? 'saturated'
            : 'down';
        const error = outcome instanceof AppError ? outcome.code : 'health_timeout';
        return { ok: false, database, error, pool };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
