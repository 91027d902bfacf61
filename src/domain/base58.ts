// Bitcoin-alphabet base58, as used by Solana addresses. Decoding only needs to be exact, not
// fast: inputs are at most a few dozen characters.

export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

import { AppError } from '../errors.ts';

const VALUES = new Map([...BASE58_ALPHABET].map((char, index) => [char, index]));

export class Base58Error extends AppError {
  readonly position: number;
  constructor(char: string, position: number) {
    super({
      kind: 'invalid',
      code: 'base58_invalid_char',
      message: `'${char}' at position ${position + 1} is not a base58 character`,
      details: { position: position + 1 },
    });
    this.position = position;
  }
}

/** Decodes base58 text to bytes; each leading '1' is a leading zero byte. Throws Base58Error. */
export function decodeBase58(text: string): Uint8Array {
  // Little-endian base-256 digits of the number, grown as needed.
  const bytes: number[] = [];
  let position = 0;
  for (const char of text) {
    const value = VALUES.get(char);
    if (value === undefined) throw new Base58Error(char, position);
    let carry = value;
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] ?? 0) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
    position++;
  }
  let zeros = 0;
  while (text[zeros] === '1') zeros++;
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...bytes.reverse()]);
}

/** Encodes bytes as base58 (used by tests and to display keys). */
export function encodeBase58(bytes: Uint8Array): string {
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += (digits[i] ?? 0) << 8;
      digits[i] = carry % 58;
      carry = Math.trunc(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.trunc(carry / 58);
    }
  }
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  return (
    '1'.repeat(zeros) +
    digits
      .reverse()
      .map((d) => BASE58_ALPHABET[d])
      .join('')
  );
}
