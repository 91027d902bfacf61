// .env.example and the README's Settings table name every setting the code reads, and the
// defaults .env.example shows are the defaults (setting one changes nothing).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { z } from 'zod';
import { appSettingsSchema, loadConfig } from '../../src/config.ts';
import { poolSettingsSchema } from '../../src/db/index.ts';
import { nowPaymentsSettingsSchema } from '../../src/integrations/nowpayments/index.ts';
import { storageSettingsSchema } from '../../src/storage/index.ts';

const ROOT = new URL('../../', import.meta.url);
// Read by the data layer itself rather than by a schema.
const OUTSIDE_SCHEMAS = ['DATABASE_URL'];

function namesOf(schema: z.ZodType): string[] {
  const object = schema as unknown as { shape?: object; in?: { shape?: object } };
  const shape = object.shape ?? object.in?.shape;
  assert.ok(shape, 'a schema over an object of variables');
  return Object.keys(shape);
}

const SETTINGS = new Set([
  ...[appSettingsSchema, poolSettingsSchema, nowPaymentsSettingsSchema, storageSettingsSchema].flatMap(
    namesOf,
  ),
  ...OUTSIDE_SCHEMAS,
]);

const example = await readFile(new URL('.env.example', ROOT), 'utf8');
const lines = [...example.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => ({
  name: name as string,
  value: value as string,
}));

test('.env.example lists every setting, once', () => {
  const listed = lines.map((l) => l.name);
  assert.deepEqual([...new Set(listed)].sort(), [...SETTINGS].sort());
  assert.equal(listed.length, new Set(listed).size);
});

test('each value .env.example shows is the default', () => {
  const defaults = loadConfig({});
  for (const { name, value } of lines) {
    if (OUTSIDE_SCHEMAS.includes(name)) continue;
    assert.deepEqual(loadConfig({ [name]: value }), defaults, `${name}=${value}`);
  }
});

test("the README's Settings table names every setting", async () => {
  const readme = await readFile(new URL('README.md', ROOT), 'utf8');
  const table = /^## Settings\n([\s\S]*?)\n## /m.exec(readme)?.[1] ?? '';
  const named = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
  assert.deepEqual(
    [...SETTINGS].filter((name) => !named.has(name)),
    [],
    'missing from the README',
  );
  assert.deepEqual(
    [...named].filter((name) => !SETTINGS.has(name as string) && name !== 'PGHOST'),
    [],
    'in the README but read by nothing',
  );
});
