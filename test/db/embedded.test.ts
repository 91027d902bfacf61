// The embedded server as root: PostgreSQL runs as `postgres`, which must reach the data folder.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Database, poolSettings, startEmbeddedPostgres } from '../../src/db/index.ts';

test('as root, a data folder the postgres user cannot enter is refused with a clear way out', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('only root hands the server to the postgres user');
  const private0700 = await mkdtemp(join(tmpdir(), 'agora-private-')); // mkdtemp makes it 0700
  t.after(() => rm(private0700, { recursive: true, force: true }));
  await assert.rejects(
    startEmbeddedPostgres({ dataDir: join(private0700, 'data') }),
    /cannot enter .*agora-private-.*EMBEDDED_PG_DIR/s,
  );
});

test('a kept data folder whose parents do not exist yet is created and usable (npm start on a fresh clone)', async (t) => {
  const project = await mkdtemp(join(tmpdir(), 'agora-project-'));
  await chmod(project, 0o755); // a checkout anyone may enter, like a normal clone
  t.after(() => rm(project, { recursive: true, force: true }));
  const server = await startEmbeddedPostgres({ dataDir: join(project, '.data', 'postgres') });
  t.after(() => server.stop());
  const db = new Database({
    connection: { connectionString: server.url, ssl: false },
    settings: poolSettings({ min: 0, max: 1 }),
  });
  t.after(() => db.close());
  assert.equal((await db.one<{ x: number }>('SELECT 1 AS x')).x, 1);
});
