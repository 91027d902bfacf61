// Every message exists in French and English, and every key the code asks for exists.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/bot/commands.ts';
import { FAQ_ENTRIES } from '../../src/bot/features/support.ts';
import { createTranslator, LOCALES_DIR } from '../../src/bot/i18n.ts';

async function keysOf(language: string): Promise<Set<string>> {
  const source = await readFile(join(LOCALES_DIR, `${language}.ftl`), 'utf8');
  return new Set([...source.matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1] as string));
}

/** Keys named literally in source: t('key'), ctx.t("key"), description: 'key'. */
async function keysUsedInCode(): Promise<Set<string>> {
  const dir = join(import.meta.dirname, '..', '..', 'src', 'bot');
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts'));
  const used = new Set<string>();
  for (const file of files) {
    const source = await readFile(join(dir, file), 'utf8');
    for (const m of source.matchAll(/\bt\(\s*['"]([a-z][a-z0-9-]*)['"]/g)) used.add(m[1] as string);
  }
  for (const c of COMMANDS) used.add(c.description);
  for (let n = 1; n <= FAQ_ENTRIES; n++) used.add(`faq-q-${n}`).add(`faq-a-${n}`);
  return used;
}

test('French and English define exactly the same messages', async () => {
  const fr = await keysOf('fr');
  const en = await keysOf('en');
  assert.ok(fr.size > 40);
  assert.deepEqual(
    [...fr].filter((k) => !en.has(k)),
    [],
    'missing in en.ftl',
  );
  assert.deepEqual(
    [...en].filter((k) => !fr.has(k)),
    [],
    'missing in fr.ftl',
  );
});

test('every message the code uses exists in both languages and is not left unused', async () => {
  const used = await keysUsedInCode();
  assert.ok(used.has('welcome') && used.has('rate-limited'));
  for (const language of ['fr', 'en']) {
    const defined = await keysOf(language);
    assert.deepEqual(
      [...used].filter((k) => !defined.has(k)),
      [],
      `used but missing in ${language}.ftl`,
    );
    assert.deepEqual(
      [...defined].filter((k) => !used.has(k)),
      [],
      `defined but never used in ${language}.ftl`,
    );
  }
});

test('both files parse and every message renders without a missing-variable marker', () => {
  const i18n = createTranslator();
  for (const language of ['fr', 'en']) {
    const text = i18n.translate(language, 'faq-entry', { question: 'q', answer: 'a', n: 1, total: 16 });
    assert.doesNotMatch(text, /\{\$/);
    assert.match(i18n.translate(language, 'welcome', { name: 'Ana' }), /Ana/);
  }
});
