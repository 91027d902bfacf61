// Public ids people read aloud and type: a kind prefix and ten characters from an alphabet
// without the look-alikes 0/O and 1/I/L. Random (not counters or timestamps) so nobody can
// guess another buyer's order: 31^10 ≈ 8.2e14 values, 49.5 bits. Collisions are left to the
// database's unique key (callers retry), at 1 M ids the chance of a single clash is ~0.06 %.

import { createHash, randomBytes, randomInt } from 'node:crypto';
import { ValidationError } from './errors.ts';

export const ID_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const ID_LENGTH = 10;

export const ID_PREFIXES = { product: 'P', order: 'O' } as const;
export type IdKind = keyof typeof ID_PREFIXES;

/** A random index in [0, n): crypto.randomInt unless a test injects its own. */
export type RandomIndex = (n: number) => number;

const BODY = `[${ID_ALPHABET}]{${ID_LENGTH}}`;
const CANONICAL: Record<IdKind, RegExp> = {
  product: new RegExp(`^P-${BODY}$`),
  order: new RegExp(`^O-${BODY}$`),
};

export function newId(kind: IdKind, random: RandomIndex = randomInt): string {
  let body = '';
  for (let i = 0; i < ID_LENGTH; i++) body += ID_ALPHABET[random(ID_ALPHABET.length)];
  return `${ID_PREFIXES[kind]}-${body}`;
}

export const newProductId = (random?: RandomIndex): string => newId('product', random);
export const newOrderId = (random?: RandomIndex): string => newId('order', random);

/** True for an id exactly as we write it (callback data, database keys). No normalisation. */
export function isId(kind: IdKind, value: string): boolean {
  return CANONICAL[kind].test(value);
}

// Letters that Cyrillic and Greek keyboards produce for the same glyph (upper case), read as Latin.
const LOOK_ALIKE_FROM = 'АВСЕНКМОРТХУΑΒΕΖΗΚΜΝΟΡΤΥΧ';
const LOOK_ALIKE_TO = 'ABCEHKMOPTXYABEZHKMNOPTYX';
const LOOK_ALIKES = new Map([...LOOK_ALIKE_FROM].map((c, i) => [c, LOOK_ALIKE_TO[i] ?? c]));
const DASHES = /[\u2010-\u2015\u2212_]/g;
const AMBIGUOUS = /[01IOL]/;

/**
 * Reads an id a person typed: any case, spaces or dashes anywhere, full-width or Cyrillic/Greek
 * look-alike letters, with or without the prefix ("p-7k3m 9qxd4t", "7K3M9QXD4T", "P7K3M9QXD4T").
 * Returns the canonical form ("P-7K3M9QXD4T") or throws a ValidationError whose code says why.
 */
export function parseId(kind: IdKind, input: string): string {
  const field = `${kind}_id`;
  const prefix = ID_PREFIXES[kind];
  const text = [...input.normalize('NFKC').toUpperCase()].map((c) => LOOK_ALIKES.get(c) ?? c).join('');
  let compact = text.replace(DASHES, '-').replace(/[\s-]+/g, '');
  if (compact === '') throw new ValidationError('id_required', field, `Type ${articled(kind)} id.`);

  const found = prefixKind(text, compact);
  if (found && found !== kind) {
    throw new ValidationError(
      'id_wrong_kind',
      field,
      `This is ${articled(found)} id, not ${articled(kind)} id.`,
      {
        expected: kind,
        got: found,
      },
    );
  }
  if (found) compact = compact.slice(1);
  const invalid = () =>
    new ValidationError('id_invalid', field, `Expected ${articled(kind)} id such as ${prefix}-7K3M9QXD4T.`);
  if (compact.length !== ID_LENGTH) throw invalid();
  // Right length but a look-alike inside: say which characters to re-read.
  if (AMBIGUOUS.test(compact)) {
    throw new ValidationError(
      'id_ambiguous_char',
      field,
      'Ids never contain 0, O, 1, I or L: check the characters.',
    );
  }
  if (![...compact].every((c) => ID_ALPHABET.includes(c))) throw invalid();
  return `${prefix}-${compact}`;
}

/** `parseId` returning null instead of throwing: for search, where text may be an id or words. */
export function tryParseId(kind: IdKind, input: string): string | null {
  try {
    return parseId(kind, input);
  } catch (error) {
    if (error instanceof ValidationError) return null;
    throw error;
  }
}

export const parseProductId = (input: string): string => parseId('product', input);
export const parseOrderId = (input: string): string => parseId('order', input);

/**
 * Which kind's prefix the input starts with: a prefix followed by a dash, or, without a dash,
 * one character more than an id body. A zero typed for the order prefix counts as "O".
 */
function prefixKind(text: string, compact: string): IdKind | null {
  for (const kind of Object.keys(ID_PREFIXES) as IdKind[]) {
    const letters = kind === 'order' ? ['O', '0'] : [ID_PREFIXES[kind]];
    const first = compact[0] ?? '';
    if (!letters.includes(first)) continue;
    const dashed = new RegExp(`^\\s*${first}\\s*[-\\u2010-\\u2015\\u2212_]`).test(text);
    if (dashed || compact.length === ID_LENGTH + 1) return kind;
  }
  return null;
}

function articled(kind: IdKind): string {
  return kind === 'order' ? 'an order' : 'a product';
}

// Download tokens: 32 random bytes (256 bits) sent to the buyer, only their hash is stored, so a
// database leak gives no usable link.

export const DOWNLOAD_TOKEN_BYTES = 32;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export function newDownloadToken(): string {
  return randomBytes(DOWNLOAD_TOKEN_BYTES).toString('base64url');
}

/** Cheap shape check before touching the database with a request's token. */
export function isDownloadTokenFormat(token: string): boolean {
  return TOKEN_FORMAT.test(token);
}

/** The value stored and looked up: hex SHA-256 of the token. */
export function hashDownloadToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
