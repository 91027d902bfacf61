import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  Base58Error,
  check,
  decodeBase58,
  EMAIL_MAX_LENGTH,
  emailKey,
  encodeBase58,
  TEXT_FIELDS,
  TEXT_RULES,
  VALIDATION_CODES,
  ValidationError,
  validateBio,
  validateDescription,
  validateEmail,
  validateRating,
  validateReviewText,
  validateSellerName,
  validateSolanaAddress,
  validateText,
  validateTicketMessage,
  validateTicketSubject,
  validateTitle,
} from '../../src/domain/index.ts';

function rejects(fn: () => unknown, code: string, field?: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
    assert.equal(error.code, code);
    if (field) assert.equal(error.field, field);
    assert.ok(error.message.length > 0);
    return true;
  });
}

describe('text fields', () => {
  test('title: 5 to 100 characters after trimming', () => {
    assert.equal(validateTitle('  Hello  '), 'Hello');
    assert.equal(validateTitle('a'.repeat(100)), 'a'.repeat(100));
    rejects(() => validateTitle('Abcd'), 'title_too_short', 'title');
    rejects(() => validateTitle('   Abcd   '), 'title_too_short');
    rejects(() => validateTitle('a'.repeat(101)), 'title_too_long');
    rejects(() => validateTitle('   '), 'title_required');
  });

  test('title: whitespace folds into single spaces, line breaks included', () => {
    assert.equal(validateTitle('My\n\nbig \t course'), 'My big course');
  });

  test('title: control and bidi-override characters are refused', () => {
    for (const bad of [
      'Hello\u0000world',
      'Hello\u0007!',
      'Hello\u007F!',
      'Hello \u202Egnp.exe',
      'Hi \u2066there\u2069',
    ]) {
      rejects(() => validateTitle(bad), 'title_invalid_chars', 'title');
    }
  });

  test('title: invisible padding does not count', () => {
    rejects(() => validateTitle('\u200B\u200B\u200B\u200B\u200Bab'), 'title_too_short');
    assert.equal(validateTitle('\uFEFFHello'), 'Hello');
  });

  test('lengths count characters, not UTF-16 units', () => {
    assert.equal(validateTitle('🚀🚀🚀🚀🚀'), '🚀🚀🚀🚀🚀');
    assert.equal(validateTitle('é'.repeat(100)), 'é'.repeat(100));
    rejects(() => validateTitle('🚀'.repeat(101)), 'title_too_long');
    // Decomposed "é" (e + combining accent) is composed first, so it counts once.
    assert.equal(validateTitle('e\u0301'.repeat(100)).length, 100);
  });

  test('the error carries min, max and length', () => {
    const result = check(() => validateTitle('abc'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.error.details, { min: 5, max: 100, length: 3 });
  });

  test('description: up to 1000, line breaks and tabs kept, CRLF normalised, may be empty', () => {
    assert.equal(validateDescription('Line 1\r\nLine 2\r\n\tindented  '), 'Line 1\nLine 2\n\tindented');
    assert.equal(validateDescription(''), '');
    assert.equal(validateDescription('x'.repeat(1000)).length, 1000);
    rejects(() => validateDescription('x'.repeat(1001)), 'description_too_long', 'description');
    rejects(() => validateDescription('bad\u0000byte'), 'description_invalid_chars');
    rejects(() => validateDescription('form\ffeed'), 'description_invalid_chars');
  });

  test('seller name ≤ 50 and required; bio ≤ 500', () => {
    assert.equal(validateSellerName(' Ada '), 'Ada');
    assert.equal(validateSellerName('x'.repeat(50)).length, 50);
    rejects(() => validateSellerName('x'.repeat(51)), 'seller_name_too_long', 'seller_name');
    rejects(() => validateSellerName(''), 'seller_name_required');
    assert.equal(validateBio(''), '');
    assert.equal(validateBio('x'.repeat(500)).length, 500);
    rejects(() => validateBio('x'.repeat(501)), 'bio_too_long', 'bio');
  });

  test('ticket subject 3–100, message 10–2000', () => {
    assert.equal(validateTicketSubject('Bug'), 'Bug');
    rejects(() => validateTicketSubject('Hi'), 'ticket_subject_too_short', 'ticket_subject');
    rejects(() => validateTicketSubject('x'.repeat(101)), 'ticket_subject_too_long');
    assert.equal(validateTicketMessage('0123456789'), '0123456789');
    rejects(() => validateTicketMessage('012345678'), 'ticket_message_too_short', 'ticket_message');
    rejects(() => validateTicketMessage('x'.repeat(2001)), 'ticket_message_too_long');
    assert.equal(validateTicketMessage('x'.repeat(2000)).length, 2000);
  });

  test('review text is optional, else 10–1000', () => {
    assert.equal(validateReviewText(undefined), null);
    assert.equal(validateReviewText(null), null);
    assert.equal(validateReviewText('   '), null);
    assert.equal(validateReviewText(' Great course! '), 'Great course!');
    rejects(() => validateReviewText('Too short'), 'review_text_too_short', 'review_text');
    rejects(() => validateReviewText('x'.repeat(1001)), 'review_text_too_long');
  });

  test('every text field has a rule and all its codes are declared', () => {
    for (const field of TEXT_FIELDS) {
      assert.ok(TEXT_RULES[field].max > TEXT_RULES[field].min);
      for (const problem of ['required', 'too_short', 'too_long', 'invalid_chars']) {
        assert.ok(VALIDATION_CODES.includes(`${field}_${problem}` as never), `${field}_${problem}`);
      }
      assert.equal(typeof validateText(field, 'x'.repeat(TEXT_RULES[field].min || 1)), 'string');
    }
    assert.equal(new Set(VALIDATION_CODES).size, VALIDATION_CODES.length);
  });
});

describe('rating', () => {
  test('1 to 5, as a number or a digit', () => {
    for (const n of [1, 2, 3, 4, 5] as const) {
      assert.equal(validateRating(n), n);
      assert.equal(validateRating(String(n)), n);
    }
  });
  test('anything else is refused', () => {
    for (const bad of [0, 6, 4.5, -1, Number.NaN, '0', '6', '4.5', '', 'five', null, undefined, '05', true]) {
      rejects(() => validateRating(bad), 'rating_invalid', 'rating');
    }
  });
});

describe('email', () => {
  test('accepted, domain lower-cased, local part kept', () => {
    assert.equal(validateEmail('John.Doe@Example.COM'), 'John.Doe@example.com');
    assert.equal(validateEmail('  a+tag@sub.example.co.uk '), 'a+tag@sub.example.co.uk');
    assert.equal(validateEmail("o'brien_x-y@mail-host.io"), "o'brien_x-y@mail-host.io");
    assert.equal(validateEmail('user@bücher.de'), 'user@xn--bcher-kva.de');
    assert.equal(validateEmail('x@xn--p1ai.xn--p1ai'), 'x@xn--p1ai.xn--p1ai');
  });

  test('refused', () => {
    const bad = [
      'plain',
      '@example.com',
      'user@',
      'user@localhost',
      'user@example',
      'user@example.c',
      'user@example.123',
      'user@-example.com',
      'user@example-.com',
      'user@exa_mple.com',
      'user@example..com',
      'user@example.com.',
      'user@@example.com',
      'us er@example.com',
      '.user@example.com',
      'user.@example.com',
      'us..er@example.com',
      '"quoted"@example.com',
      'user@[127.0.0.1]',
      'user@192.168.0.1',
      'a@b@example.com',
      'user@exam ple.com',
      `${'a'.repeat(65)}@example.com`,
      `user@${'a'.repeat(64)}.com`,
    ];
    for (const email of bad) rejects(() => validateEmail(email), 'email_invalid', 'email');
  });

  test('empty and too long', () => {
    rejects(() => validateEmail('  '), 'email_required');
    const label = 'a'.repeat(60);
    const long = `user@${[label, label, label, label, label].join('.')}.com`;
    assert.ok(long.length > EMAIL_MAX_LENGTH);
    rejects(() => validateEmail(long), 'email_too_long');
    const fits = `${'u'.repeat(64)}@${[label, label].join('.')}.${'b'.repeat(61)}.com`;
    assert.ok(fits.length <= EMAIL_MAX_LENGTH);
    assert.equal(validateEmail(fits), fits);
  });

  test('emailKey compares case-insensitively', () => {
    assert.equal(emailKey(validateEmail('John@Example.com')), emailKey(validateEmail('john@EXAMPLE.com')));
  });
});

describe('base58', () => {
  test('known vectors', () => {
    assert.deepEqual(decodeBase58(''), new Uint8Array([]));
    assert.deepEqual(decodeBase58('1'), new Uint8Array([0]));
    assert.deepEqual(decodeBase58('11'), new Uint8Array([0, 0]));
    assert.deepEqual(decodeBase58('2'), new Uint8Array([1]));
    assert.deepEqual(decodeBase58('z'), new Uint8Array([57]));
    assert.deepEqual(decodeBase58('21'), new Uint8Array([58]));
    assert.deepEqual(decodeBase58('5Q'), new Uint8Array([255]));
    assert.deepEqual(decodeBase58('5R'), new Uint8Array([1, 0]));
    assert.equal(Buffer.from(decodeBase58('StV1DL6CwTryKyV')).toString(), 'hello world');
    assert.equal(encodeBase58(Buffer.from('hello world')), 'StV1DL6CwTryKyV');
    // The system program: 32 zero bytes.
    assert.deepEqual(decodeBase58('11111111111111111111111111111111'), new Uint8Array(32));
  });

  test('round-trips random byte strings, leading zeros included', () => {
    for (let n = 0; n < 300; n++) {
      const bytes = new Uint8Array(randomBytes(n % 40));
      if (n % 3 === 0 && bytes.length > 2) bytes.fill(0, 0, 2);
      assert.deepEqual(decodeBase58(encodeBase58(bytes)), bytes);
    }
  });

  test('invalid characters are reported with their position', () => {
    for (const [text, position] of [
      ['0abc', 0],
      ['abOc', 2],
      ['abcI', 3],
      ['abl', 2],
      ['ab+', 2],
      ['ab c', 2],
    ] as const) {
      assert.throws(
        () => decodeBase58(text),
        (error: unknown) => error instanceof Base58Error && error.position === position,
      );
    }
  });
});

describe('solana address', () => {
  const usdcMint = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
  const tokenProgram = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';

  test('real addresses and the 32-character system program', () => {
    assert.equal(validateSolanaAddress(usdcMint), usdcMint);
    assert.equal(validateSolanaAddress(` ${tokenProgram}\n`), tokenProgram);
    assert.equal(
      validateSolanaAddress('11111111111111111111111111111111'),
      '11111111111111111111111111111111',
    );
  });

  test('any 32-byte key encodes to a valid address', () => {
    for (let n = 0; n < 200; n++) {
      const address = encodeBase58(new Uint8Array(randomBytes(32)));
      assert.equal(validateSolanaAddress(address), address);
    }
  });

  test('31 and 33 bytes are refused even with a valid length', () => {
    const short = encodeBase58(new Uint8Array(31).fill(255));
    const long = encodeBase58(new Uint8Array(33).fill(1));
    assert.ok(short.length >= 32 && short.length <= 44, short);
    assert.ok(long.length >= 32 && long.length <= 44, long);
    rejects(() => validateSolanaAddress(short), 'solana_address_wrong_size', 'solana_address');
    rejects(() => validateSolanaAddress(long), 'solana_address_wrong_size');
    // 33 leading-one characters decode to 33 zero bytes.
    rejects(() => validateSolanaAddress('1'.repeat(33)), 'solana_address_wrong_size');
  });

  test('wrong length', () => {
    rejects(() => validateSolanaAddress(usdcMint.slice(0, 31)), 'solana_address_length');
    rejects(() => validateSolanaAddress(`${usdcMint}a`), 'solana_address_length');
    rejects(() => validateSolanaAddress(''), 'solana_address_required');
  });

  test('characters outside base58 (0, O, I, l, an Ethereum address)', () => {
    for (const bad of [
      `0${usdcMint.slice(1)}`,
      `O${usdcMint.slice(1)}`,
      `I${usdcMint.slice(1)}`,
      `l${usdcMint.slice(1)}`,
      '0x52908400098527886E0F7030069857D2E4169EE7',
    ]) {
      rejects(() => validateSolanaAddress(bad), 'solana_address_invalid_chars', 'solana_address');
    }
  });
});

describe('check', () => {
  test('wraps validation errors, rethrows bugs', () => {
    assert.deepEqual(
      check(() => validateTitle(' Hello ')),
      { ok: true, value: 'Hello' },
    );
    const failed = check(() => validateTitle('x'));
    assert.equal(failed.ok, false);
    assert.throws(
      () =>
        check(() => {
          throw new TypeError('bug');
        }),
      TypeError,
    );
  });
});
