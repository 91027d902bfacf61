// The migration guide's checklist, automated: only src/db/ reaches the driver, and nothing
// outside it checks a connection out and gives it back by hand.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..');

const RULES: { pattern: RegExp; why: string }[] = [
  {
    pattern: /from\s+['"](pg|pg-pool|pg-native)(\/[^'"]*)?['"]|require\(\s*['"](pg|pg-pool)['"]\s*\)/,
    why: 'imports the driver',
  },
  { pattern: /\.release\s*\(|\[Symbol\.asyncDispose\]\s*\(/, why: 'releases a connection by hand' },
  { pattern: /\bpool\.connect\s*\(|\.totalCount\b|\.idleCount\b/, why: 'reaches into a driver pool' },
];
const ACQUIRE = /\.acquire\s*\(/;
const SCOPED_ACQUIRE = /await\s+using\s+\w+\s*=\s*await\s+[\w.]+\.acquire\s*\(/;

function violations(path: string, source: string): string[] {
  if (path.startsWith('src/db/')) return [];
  const found: string[] = [];
  source.split('\n').forEach((line, index) => {
    const where = `${path}:${index + 1}`;
    for (const { pattern, why } of RULES)
      if (pattern.test(line)) found.push(`${where} ${why}: ${line.trim()}`);
    if (ACQUIRE.test(line) && !SCOPED_ACQUIRE.test(line)) {
      found.push(`${where} acquires a connection without \`await using\`: ${line.trim()}`);
    }
  });
  return found;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.[cm]?[jt]s$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

test('the checker catches each forbidden pattern', () => {
  const bad = [
    "import pg from 'pg';",
    "import { Pool } from 'pg-pool';",
    'const conn = await db.acquire();',
    'conn.release();',
    'const client = await pool.connect();',
  ].join('\n');
  assert.equal(violations('src/services/orders.ts', bad).length, 5);
  assert.deepEqual(violations('src/services/orders.ts', 'await using conn = await db.acquire();'), []);
  assert.deepEqual(violations('src/db/database.ts', bad), [], 'src/db/ is the one place allowed');
});

test('no code outside src/db/ imports the driver or handles connections by hand', async () => {
  const files = await sourceFiles(join(ROOT, 'src'));
  assert.ok(files.length > 0);
  const found: string[] = [];
  for (const file of files) found.push(...violations(relative(ROOT, file), await readFile(file, 'utf8')));
  assert.deepEqual(found, []);
});
