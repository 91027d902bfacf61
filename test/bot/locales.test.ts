// Every message exists in French and English, every key the code asks for exists, and every error
// code a person can meet has its message: `error-<code>` (localeKeyOf), rendered with its details.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/bot/commands.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { FAQ_ENTRIES } from '../../src/bot/features/support.ts';
import { createTranslator, LOCALES_DIR, translator } from '../../src/bot/i18n.ts';
import { refusalText } from '../../src/bot/refusals.ts';
import {
  checkPhotoDimensions,
  parseListedPrice,
  parseOrderId,
  parseProductId,
  TEXT_FIELDS,
  TEXT_RULES,
  TransitionError,
  VALIDATION_CODES,
  validateSolanaAddress,
} from '../../src/domain/index.ts';
import { AppError, ConflictError, type ErrorDetails, localeKeyOf, NotFoundError } from '../../src/errors.ts';
import {
  DownloadRateLimitedError,
  NotOwnerError,
  PaymentProviderError,
  SuspendedError,
} from '../../src/services/errors.ts';

const SRC = join(import.meta.dirname, '..', '..', 'src');

async function keysOf(language: string): Promise<Set<string>> {
  const source = await readFile(join(LOCALES_DIR, `${language}.ftl`), 'utf8');
  return new Set([...source.matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1] as string));
}

/** The text of every .ts file under src/<under>, but those whose path matches `skip`. */
async function sources(under: string, skip: RegExp = /^$/): Promise<string[]> {
  const dir = join(SRC, under);
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts') && !skip.test(f));
  return Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')));
}

/** Keys named literally in the bot: t('key'), ctx.t("key"); the command menu; the FAQ. */
async function keysNamedInCode(): Promise<Set<string>> {
  const used = new Set<string>();
  for (const text of await sources('bot')) {
    for (const m of text.matchAll(/\bt\(\s*['"]([a-z][a-z0-9-]*)['"]/g)) used.add(m[1] as string);
  }
  for (const c of COMMANDS) used.add(c.description);
  for (let n = 1; n <= FAQ_ENTRIES; n++) used.add(`faq-q-${n}`).add(`faq-a-${n}`);
  return used;
}

// Error codes are snake_case with at least one underscore; the scan reads them in these places.
const CODE = '[a-z][a-z0-9]*(?:_[a-z0-9]+)+';
const CODE_RULES: readonly RegExp[] = [
  // The first argument of `new XxxError(` or `super(`: the families of src/errors.ts take the code
  // first (NotFoundError takes an entity, below).
  new RegExp(String.raw`(?:\bnew\s+(?!NotFoundError\b)\w*Error|\bsuper)\(\s*'(${CODE})'`, 'g'),
  // `code: '…'` (or its `?? '…'` default) inside `super(…)`: a class handing AppError its init.
  new RegExp(String.raw`\bsuper\([^;]*?\bcode:\s*(?:[\w.]+\s*\?\?\s*)?'(${CODE})'`, 'gs'),
];
const NOT_FOUND = /\bnew\s+NotFoundError\(\s*'([a-z][a-z0-9_]*)'/g;

/** Codes that exist but that no person can meet, with the reason. */
const NEVER_SHOWN = new Map([
  ['storage_settings_invalid', 'wrong storage settings stop the start-up'],
  ['session_key_invalid', 'the bot builds its session keys: a bug, answered by error-generic'],
  ['callback_data_invalid', 'buttons are built by the bot: a bug, caught when the button is built'],
  ['config_invalid', 'bad settings stop the start-up with one line per problem'],
  ['bot_poller_busy', 'the bot start waits for the other poller, in the log'],
  ['bot_webhook_set', 'the bot start refuses to poll, in the log'],
  ['base58_invalid_char', 'validateSolanaAddress turns it into solana_address_invalid_chars'],
  ['telegram_download_failed', 'the wizard answers sell-wizard-file-failed and keeps the draft'],
  ['nowpayments_failed', 'services turn it into payment_provider_unavailable'],
  // npm run restore answers the operator on the command line, in English.
  ['database_not_migrated', 'a restore refusal, for the operator'],
  ['restore_target_not_empty', 'a restore refusal, for the operator'],
  ['restore_verification_failed', 'a restore refusal, for the operator'],
  ['snapshot_invalid', 'a restore refusal, for the operator'],
  ['snapshot_not_found', 'a restore refusal, for the operator'],
  ['snapshot_schema_mismatch', 'a restore refusal, for the operator'],
  ['snapshot_tables_differ', 'a restore refusal, for the operator'],
]);

async function codesInSource(): Promise<Set<string>> {
  const found = new Set<string>();
  // src/db is left out: its db_* codes never reach a person (services translate them).
  // src/dev holds the development doubles.
  for (const text of await sources('.', /^(db|dev)\//)) {
    for (const rule of CODE_RULES) for (const m of text.matchAll(rule)) found.add(m[1] as string);
    for (const m of text.matchAll(NOT_FOUND)) found.add(`${m[1]}_not_found`);
  }
  // Codes built from parts: `${field}_too_short`..., `${entity}_transition_forbidden`.
  for (const code of VALIDATION_CODES) found.add(code);
  const domain = await readFile(join(SRC, 'domain', 'errors.ts'), 'utf8');
  const transitions = /type TransitionCode =([^;]*);/.exec(domain)?.[1] ?? '';
  for (const m of transitions.matchAll(/'([a-z_]+)'/g)) found.add(m[1] as string);
  return found;
}

/** The error codes a person can meet: each needs `error-<code>` in both languages. */
async function userFacingCodes(): Promise<Set<string>> {
  const found = await codesInSource();
  return new Set([...found].filter((code) => !NEVER_SHOWN.has(code)));
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

test('the scan finds the codes of every layer, and the codes said never shown still exist', async () => {
  const found = await codesInSource();
  for (const code of [
    'title_too_short', // VALIDATION_CODES
    'product_transition_forbidden', // the TransitionCode union
    'not_owner', // super('…') in services/errors.ts
    'tx_hash_invalid', // new InvalidInputError('…') in a service
    'storage_too_large', // code: '…' in storage/errors.ts
    'storage_unavailable', // code: options.code ?? '…'
    'purchase_not_found', // new NotFoundError('purchase') in src/http
    'suspension_end_unreadable', // thrown by the bot itself
  ]) {
    assert.ok(found.has(code), `the scan misses ${code}`);
  }
  assert.ok(![...found].some((code) => code.startsWith('db_')), 'db_* codes are left out');
  for (const code of NEVER_SHOWN.keys()) assert.ok(found.has(code), `${code} is no longer thrown`);
});

test('every error code a person can meet has its message in both languages', async () => {
  const codes = await userFacingCodes();
  for (const language of ['fr', 'en']) {
    const defined = await keysOf(language);
    assert.deepEqual(
      [...codes].filter((code) => !defined.has(localeKeyOf(code))).sort(),
      [],
      `error codes without their message in ${language}.ftl`,
    );
  }
});

test('every error-* message belongs to an error code, or is named in the code', async () => {
  const codeKeys = new Set([...(await userFacingCodes())].map(localeKeyOf));
  const named = await keysNamedInCode();
  for (const language of ['fr', 'en']) {
    const orphans = [...(await keysOf(language))].filter(
      (key) => key.startsWith('error-') && !codeKeys.has(key) && !named.has(key),
    );
    assert.deepEqual(orphans, [], `error messages in ${language}.ftl that no code can produce`);
  }
});

test('every message the code uses exists in both languages and is not left unused', async () => {
  const used = await keysNamedInCode();
  for (const code of await userFacingCodes()) used.add(localeKeyOf(code));
  assert.ok(used.has('welcome') && used.has('rate-limited') && used.has('error-title-too-short'));
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

function thrownBy(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

const refusal = (code: string, details: ErrorDetails) => new ConflictError(code, code, details);

/**
 * Errors as their throw sites build them, for the codes that carry details: real constructors and
 * validators where they exist, otherwise a refusal with the details read from the site (built as a
 * conflict so that codes the bot never shows, such as storage_unavailable, render the same way).
 * Null values are included where a site may pass them.
 */
function sampleErrors(code: string): AppError[] {
  const text = new RegExp(`^(${TEXT_FIELDS.join('|')})_(required|too_short|too_long)$`).exec(code);
  if (text) {
    const rule = TEXT_RULES[text[1] as (typeof TEXT_FIELDS)[number]];
    const lengths = { required: 0, too_short: Math.max(rule.min - 1, 0), too_long: rule.max + 1 };
    return [
      refusal(code, { min: rule.min, max: rule.max, length: lengths[text[2] as keyof typeof lengths] }),
    ];
  }
  if (code.endsWith('_not_found')) return [new NotFoundError(code.slice(0, -'_not_found'.length), 42)];
  switch (code) {
    case 'price_below_minimum':
      return [thrownBy(() => parseListedPrice('1'))];
    case 'price_above_maximum':
      return [thrownBy(() => parseListedPrice('99999'))];
    case 'solana_address_length':
      return [thrownBy(() => validateSolanaAddress('abc'))];
    case 'solana_address_invalid_chars':
      return [thrownBy(() => validateSolanaAddress(`${'A'.repeat(39)}0`))];
    case 'solana_address_wrong_size':
      return [thrownBy(() => validateSolanaAddress('2'.repeat(32)))];
    case 'image_dimensions_too_large':
      return [thrownBy(() => checkPhotoDimensions(30_000, 100))];
    case 'image_ratio_too_large':
      return [thrownBy(() => checkPhotoDimensions(100, 2500))];
    case 'id_wrong_kind':
      return [thrownBy(() => parseProductId('O-7K3M9QXD4T')), thrownBy(() => parseOrderId('P-7K3M9QXD4T'))];
    case 'not_owner':
      return [new NotOwnerError('product', 'P-7K3M9QXD4T')];
    case 'user_suspended':
      return [new SuspendedError(null), new SuspendedError(new Date('2030-01-01T00:00:00Z'))];
    case 'download_rate_limited':
      return [new DownloadRateLimitedError(10, 3600, 1234)];
    case 'payment_provider_unavailable':
      return [new PaymentProviderError('createPayment', false)];
    case 'reason_invalid': // moderation.ts validateReason
      return [refusal(code, { min: 1, max: 500 })];
    case 'amount_below_minimum': // checkout.ts belowMinimum
      return [
        refusal(code, { coin: 'SOL', minimumUsd: null, minimum: 'none' }),
        refusal(code, { coin: 'USDT (Solana)', minimumUsd: '1.25', minimum: '$1.25' }),
      ];
    case 'order_partially_paid': // checkout.ts payOrder
      return [refusal(code, { orderId: 'O-ABCDEFGHJK', coin: 'USDT (Solana)' })];
    case 'payout_not_available': // payouts.ts markPaid
      return ['escrow', 'available', 'paid', 'cancelled'].map((status) =>
        refusal(code, { payoutId: 7, status }),
      );
  }
  if (code.endsWith('_transition_forbidden')) {
    const entity = code.slice(0, -'_transition_forbidden'.length) as TransitionError['entity'];
    const targets = ['draft', 'active', 'inactive', 'banned', 'deleted', 'paid', 'closed'];
    return targets.map((to) => new TransitionError(code as TransitionError['code'], entity, 'draft', to));
  }
  return [refusal(code, {})];
}

/** Telegram refuses an alert (answerCallbackQuery) over 200 characters. */
const ALERT_MAX = 200;

test('every error message renders with the details its throw sites give, as a short plain text', async () => {
  const i18n = createTranslator();
  for (const language of ['fr', 'en'] as const) {
    const ctx = { t: translator(i18n, language) } as unknown as BotContext;
    for (const code of await userFacingCodes()) {
      for (const error of sampleErrors(code)) {
        assert.equal(error.code, code);
        // Through the bot's own path (src/bot/refusals.ts), which drops null details.
        const text = refusalText(ctx, error);
        assert.ok(text !== null, `${code} is not shown as a refusal`);
        const where = `${language} ${code} ${JSON.stringify(error.details)}: ${text}`;
        assert.doesNotMatch(text, /\{\$|error-/, `missing variable or message, ${where}`);
        assert.doesNotMatch(text, /<\/?[a-z]/, `tags cannot show in an alert, ${where}`);
        assert.ok([...text].length <= ALERT_MAX, `longer than an alert allows, ${where}`);
      }
    }
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

test('no message writes a plural the lazy way, "(s)": counts go through Fluent plural variants', async () => {
  for (const language of ['fr', 'en']) {
    const source = await readFile(join(LOCALES_DIR, `${language}.ftl`), 'utf8');
    const lazy = source.split('\n').filter((line) => /\w\((s|e|es|x)\)/.test(line));
    assert.deepEqual(lazy, [], `${language}.ftl`);
  }
});
