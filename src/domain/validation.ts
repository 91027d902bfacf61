// Checks of what people type. Each validator returns the value to store (trimmed, normalised)
// or throws a ValidationError with a stable code and the field it concerns.

import { domainToASCII } from 'node:url';
import { Base58Error, decodeBase58 } from './base58.ts';
import { type TextField, ValidationError } from './errors.ts';

export interface TextRule {
  readonly min: number;
  readonly max: number;
  /** Multi-line fields keep line breaks and tabs; single-line ones fold all whitespace into spaces. */
  readonly multiline: boolean;
}

/** Lengths in characters (Unicode code points, as PostgreSQL's char_length counts them). */
export const TEXT_RULES: Readonly<Record<TextField, TextRule>> = {
  title: { min: 5, max: 100, multiline: false },
  description: { min: 0, max: 1000, multiline: true },
  seller_name: { min: 1, max: 50, multiline: false },
  bio: { min: 0, max: 500, multiline: true },
  review_text: { min: 10, max: 1000, multiline: true },
  ticket_subject: { min: 3, max: 100, multiline: false },
  ticket_message: { min: 10, max: 2000, multiline: true },
};

const LABELS: Record<TextField, string> = {
  title: 'The title',
  description: 'The description',
  seller_name: 'The name',
  bio: 'The bio',
  review_text: 'The review',
  ticket_subject: 'The subject',
  ticket_message: 'The message',
};

// Invisible characters that only serve to pad or disguise text: removed.
const INVISIBLE = /[\u200B\u2060\uFEFF]/g;
// Control characters and bidirectional overrides (which can make text display reversed): refused.
// Line and paragraph separators count as controls in a single-line field.
const CONTROLS_SINGLE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
// The same minus tab and line feed (`--` is set subtraction under the v flag).
const CONTROLS_MULTI = /[[\p{Cc}--[\t\n]]\u202A-\u202E\u2066-\u2069]/v;

/**
 * Normalises and checks a text field: NFC, invisible characters removed, trimmed; single-line
 * fields get every whitespace run folded into one space, multi-line ones get "\n" line ends.
 */
export function validateText(field: TextField, input: string): string {
  const rule = TEXT_RULES[field];
  let text = input.normalize('NFC').replace(INVISIBLE, '');
  text = rule.multiline
    ? text.replace(/\r\n?/g, '\n').replace(/[\u2028\u2029]/g, '\n')
    : text.replace(/\s+/g, ' ');
  text = text.trim();

  if ((rule.multiline ? CONTROLS_MULTI : CONTROLS_SINGLE).test(text)) {
    throw new ValidationError(
      `${field}_invalid_chars`,
      field,
      `${LABELS[field]} contains control characters.`,
    );
  }
  const length = [...text].length;
  const details = { min: rule.min, max: rule.max, length };
  if (length === 0 && rule.min > 0) {
    throw new ValidationError(`${field}_required`, field, `${LABELS[field]} is required.`, details);
  }
  if (length < rule.min) {
    throw new ValidationError(
      `${field}_too_short`,
      field,
      `${LABELS[field]} needs at least ${rule.min} characters (${length} given).`,
      details,
    );
  }
  if (length > rule.max) {
    throw new ValidationError(
      `${field}_too_long`,
      field,
      `${LABELS[field]} can have at most ${rule.max} characters (${length} given).`,
      details,
    );
  }
  return text;
}

export const validateTitle = (input: string): string => validateText('title', input);
export const validateDescription = (input: string): string => validateText('description', input);
export const validateSellerName = (input: string): string => validateText('seller_name', input);
export const validateBio = (input: string): string => validateText('bio', input);
export const validateTicketSubject = (input: string): string => validateText('ticket_subject', input);
export const validateTicketMessage = (input: string): string => validateText('ticket_message', input);

/** A review's text is optional: nothing (or only spaces) gives null, anything else needs 10–1000. */
export function validateReviewText(input: string | null | undefined): string | null {
  if (input == null || input.replace(INVISIBLE, '').trim() === '') return null;
  return validateText('review_text', input);
}

export type Stars = 1 | 2 | 3 | 4 | 5;

/** A star rating from a button: the integer 1–5, or its digit as text (callback data). */
export function validateRating(input: unknown): Stars {
  const value = typeof input === 'string' && /^[1-5]$/.test(input.trim()) ? Number(input) : input;
  if (value === 1 || value === 2 || value === 3 || value === 4 || value === 5) return value;
  throw new ValidationError('rating_invalid', 'rating', 'A rating is a whole number of stars from 1 to 5.', {
    value: String(input),
  });
}

// ---------------------------------------------------------------------------------------------
// Email: RFC 5321/5322 "dot-atom" addresses, the form real mailboxes use. Quoted local parts and
// IP-literal domains are refused on purpose.

export const EMAIL_MAX_LENGTH = 254;
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Returns the address with its domain lower-cased (and internationalised domains in their ASCII
 * form); the local part keeps its case, as RFC 5321 allows mailboxes to differ by case.
 */
export function validateEmail(input: string): string {
  const text = input.trim();
  if (text === '') throw emailError('email_required', 'Type an email address.');
  if (text.length > EMAIL_MAX_LENGTH) {
    throw emailError('email_too_long', `An email address has at most ${EMAIL_MAX_LENGTH} characters.`);
  }
  const at = text.lastIndexOf('@');
  const local = text.slice(0, at);
  // domainToASCII lower-cases, applies IDNA and returns '' for what cannot be a host name.
  const domain = at > 0 ? domainToASCII(text.slice(at + 1)) : '';
  const labels = domain.split('.');
  const valid =
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    TOP_LEVEL.test(labels.at(-1) ?? '');
  if (!valid) throw emailError('email_invalid', `"${text.slice(0, 60)}" is not a valid email address.`);
  const email = `${local}@${domain}`;
  if (email.length > EMAIL_MAX_LENGTH) {
    throw emailError('email_too_long', `An email address has at most ${EMAIL_MAX_LENGTH} characters.`);
  }
  return email;
}

/** The form to compare addresses for uniqueness: in practice no provider distinguishes case. */
export function emailKey(email: string): string {
  return email.toLowerCase();
}

function emailError(code: 'email_required' | 'email_too_long' | 'email_invalid', message: string) {
  return new ValidationError(code, 'email', message);
}

// ---------------------------------------------------------------------------------------------
// Solana: an address is a 32-byte public key written in base58 (32 to 44 characters).

export const SOLANA_ADDRESS_BYTES = 32;

export function validateSolanaAddress(input: string): string {
  const field = 'solana_address';
  const text = input.trim();
  if (text === '') throw new ValidationError('solana_address_required', field, 'Type a Solana address.');
  const length = [...text].length;
  if (length < 32 || length > 44) {
    throw new ValidationError(
      'solana_address_length',
      field,
      `A Solana address has 32 to 44 characters (${length} given).`,
      { min: 32, max: 44, length },
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeBase58(text);
  } catch (error) {
    if (!(error instanceof Base58Error)) throw error;
    throw new ValidationError(
      'solana_address_invalid_chars',
      field,
      `A Solana address uses base58 characters only (no 0, O, I or l): ${error.message}.`,
      { position: error.position + 1 },
    );
  }
  if (bytes.length !== SOLANA_ADDRESS_BYTES) {
    throw new ValidationError(
      'solana_address_wrong_size',
      field,
      `This is not a Solana address: it encodes ${bytes.length} bytes instead of ${SOLANA_ADDRESS_BYTES}.`,
      { bytes: bytes.length },
    );
  }
  return text;
}
