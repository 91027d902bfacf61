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

// The layers (DESIGN.md): adapters speak only to services and domain rules; production code never
// reaches development doubles; modules stay small enough to read.

const ADAPTERS = /^src\/(bot|http|jobs)\//;
const IMPORT =
  /(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const SQL = /['"`]\s*(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS)\b/i;
// "About 400": a module past this mixes responsibilities; split it by what it does.
const MAX_LINES = 420;

interface Import {
  line: number;
  target: string;
  typeOnly: boolean;
}

function importsOf(source: string): Import[] {
  const found: Import[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const target = match[2] ?? match[3] ?? '';
    const line = source.slice(0, match.index).split('\n').length;
    found.push({ line, target, typeOnly: match[1] !== undefined });
  }
  return found;
}

/** What breaks the layering in one file, as `path:line why`. */
function layerViolations(path: string, source: string): string[] {
  const found: string[] = [];
  const adapter = ADAPTERS.test(path);
  for (const { line, target, typeOnly } of importsOf(source)) {
    const where = `${path}:${line}`;
    if (adapter && /\/repositories\//.test(target))
      found.push(`${where} an adapter imports a repository: ${target}`);
    if (adapter && /\/db\/[^/]*$/.test(target) && !typeOnly) {
      found.push(`${where} an adapter imports a value of the data layer: ${target}`);
    }
    if (
      path.startsWith('src/') &&
      !path.startsWith('src/dev/') &&
      path !== 'src/app.ts' &&
      /\/dev\//.test(target)
    ) {
      found.push(`${where} production code imports a development double: ${target}`);
    }
  }
  if (adapter) {
    source.split('\n').forEach((text, index) => {
      if (SQL.test(text)) found.push(`${path}:${index + 1} SQL outside the repositories: ${text.trim()}`);
    });
  }
  const lines = source.split('\n').length;
  if (path.startsWith('src/') && lines > MAX_LINES) {
    found.push(`${path} has ${lines} lines (at most ${MAX_LINES})`);
  }
  return found;
}

test('the layering checker catches each forbidden pattern', () => {
  const adapter = [
    "import { getUser } from '../../repositories/users.ts';",
    "import { Database } from '../db/index.ts';",
    "import { startNowPaymentsSimulator } from '../dev/nowpayments-simulator/index.ts';",
    "  const rows = await q.many('SELECT id FROM users');",
  ].join('\n');
  assert.equal(layerViolations('src/bot/features/x.ts', adapter).length, 4);
  assert.deepEqual(layerViolations('src/jobs/x.ts', "import type { Queryable } from '../db/index.ts';"), []);
  assert.deepEqual(
    layerViolations('src/services/x.ts', "import { getUser } from '../repositories/users.ts';"),
    [],
  );
  assert.deepEqual(
    layerViolations('src/app.ts', "await import('./dev/nowpayments-simulator/index.ts');"),
    [],
  );
  assert.equal(layerViolations('src/services/x.ts', 'x\n'.repeat(MAX_LINES + 1)).length, 1);
});

test('adapters reach data only through services; production never imports src/dev; modules stay small', async () => {
  const files = await sourceFiles(join(ROOT, 'src'));
  const found: string[] = [];
  for (const file of files)
    found.push(...layerViolations(relative(ROOT, file), await readFile(file, 'utf8')));
  assert.deepEqual(found, []);
});
