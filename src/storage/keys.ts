// Storage keys: products/<sellerId>/<productId>/<kind>/<random>-<file name>.
// Keys are built here from trusted ids, never taken as-is from a client: the old system signed
// uploads to any key a caller chose, so sellers could overwrite each other's files.
import { randomBytes } from 'node:crypto';
import { ForeignKeyError, InvalidKeyError } from './errors.ts';

export const KEY_KINDS = ['file', 'cover', 'preview'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export interface ProductKeyParts {
  sellerId: string;
  productId: string;
  kind: KeyKind;
  random: string;
  fileName: string;
}

export interface KeyOwner {
  sellerId: string | number | bigint;
  productId: string;
  /** When given, the key must also be of this kind. */
  kind?: KeyKind;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const RANDOM_HEX_CHARS = 20;
const MAX_FILE_NAME = 120;
const MAX_EXTENSION = 16;
const MAX_KEY_BYTES = 1024; // the S3 limit, UTF-8 encoded
const PRODUCT_KEY = new RegExp(
  `^products/([A-Za-z0-9_-]{1,64})/([A-Za-z0-9_-]{1,64})/(${KEY_KINDS.join('|')})/` +
    `([0-9a-f]{${RANDOM_HEX_CHARS}})-([A-Za-z0-9._-]{1,${MAX_FILE_NAME}})$`,
);
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Throws unless `key` is safe for every backend: relative, '/'-separated, no '.' or '..'
 * segment, no empty segment, no backslash, NUL or other control character, no drive letter.
 */
export function assertValidKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0)
    throw new InvalidKeyError('A storage key must be a non-empty string.');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new InvalidKeyError(`A storage key is at most ${MAX_KEY_BYTES} bytes.`);
  if (CONTROL.test(key)) throw new InvalidKeyError('A storage key cannot contain NUL or control characters.');
  if (key.includes('\\')) throw new InvalidKeyError('A storage key cannot contain backslashes.');
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key))
    throw new InvalidKeyError('A storage key must be relative.');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new InvalidKeyError('A storage key cannot have empty, "." or ".." segments.');
    }
  }
}

/**
 * A file name safe inside a key: the last path component only, accents folded to ASCII,
 * anything but letters, digits, '.', '_' and '-' replaced, no leading dots, bounded length
 * (extension kept). The original name is kept in the database for Content-Disposition.
 */
export function sanitizeFileName(name: string): string {
  const base = String(name).split(/[/\\]/).filter(Boolean).pop() ?? '';
  let clean = base
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[._-]+/, '')
    .replace(/[._]+$/, '');
  if (clean.length > MAX_FILE_NAME) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= MAX_EXTENSION ? clean.slice(dot) : '';
    clean = clean.slice(0, MAX_FILE_NAME - ext.length).replace(/[._]+$/, '') + ext;
  }
  return clean === '' ? 'file' : clean;
}

function idSegment(what: string, value: string | number | bigint): string {
  const text = String(value);
  if (!ID.test(text)) throw new InvalidKeyError(`${what} must be 1-64 letters, digits, '_' or '-'.`);
  return text;
}

function kindSegment(kind: string): KeyKind {
  if (!(KEY_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidKeyError(`The kind of a product file is one of ${KEY_KINDS.join(', ')}.`);
  }
  return kind as KeyKind;
}

/** The folder holding every file of one product. */
export function productPrefix(sellerId: string | number | bigint, productId: string): string {
  return `products/${idSegment('sellerId', sellerId)}/${idSegment('productId', productId)}/`;
}

/** A fresh key for a product file; the random part keeps two uploads of one name apart. */
export function buildProductKey(input: {
  sellerId: string | number | bigint;
  productId: string;
  kind: KeyKind;
  fileName: string;
}): string {
  const random = randomBytes(RANDOM_HEX_CHARS / 2).toString('hex');
  const key = `${productPrefix(input.sellerId, input.productId)}${kindSegment(input.kind)}/${random}-${sanitizeFileName(input.fileName)}`;
  assertValidKey(key);
  return key;
}

/** The parts of a product key, or null when `key` is not one (including unsafe keys). */
export function parseProductKey(key: string): ProductKeyParts | null {
  if (typeof key !== 'string' || key.length > MAX_KEY_BYTES) return null;
  const m = PRODUCT_KEY.exec(key);
  if (!m) return null;
  const [, sellerId, productId, kind, random, fileName] = m as unknown as [
    string,
    string,
    string,
    KeyKind,
    string,
    string,
  ];
  if (fileName.startsWith('.')) return null;
  return { sellerId, productId, kind, random, fileName };
}

/** True when `key` is a product key of this seller and product (and kind, when given). */
export function keyBelongsTo(key: string, owner: KeyOwner): boolean {
  const parts = parseProductKey(key);
  return (
    parts !== null &&
    parts.sellerId === String(owner.sellerId) &&
    parts.productId === owner.productId &&
    (owner.kind === undefined || parts.kind === owner.kind)
  );
}

/** Refuses a key that is not a product key (InvalidKeyError) or is someone else's (ForeignKeyError). */
export function assertKeyBelongsTo(key: string, owner: KeyOwner): void {
  assertValidKey(key);
  if (parseProductKey(key) === null) throw new InvalidKeyError('Not a product storage key.');
  if (!keyBelongsTo(key, owner)) throw new ForeignKeyError(key);
}
