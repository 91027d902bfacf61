// The cheapest round trip that proves the database answers.
import type { Queryable } from '../db/index.ts';

export async function ping(q: Queryable): Promise<void> {
  await q.one('SELECT 1 AS ok');
}
