// The embedded server as root: PostgreSQL runs as `postgres`, which must reach the data folder.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startEmbeddedPostgres } from '../../src/db/index.ts';

test('as root, a data folder the postgres user cannot enter is refused with a clear way out', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('only root hands the server to the postgres user');
  const private0700 = await mkdtemp(join(tmpdir(), 'agora-private-')); // mkdtemp makes it 0700
  t.after(() => rm(private0700, { recursive: true, force: true }));
  await assert.rejects(
    startEmbeddedPostgres({ dataDir: join(private0700, 'data') }),
    /cannot enter .*agora-private-.*EMBEDDED_PG_DIR/s,
  );
});
