import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  centsFromDecimal,
  DEFAULT_PRICE_POLICY,
  formatCents,
  formatUsd,
  parseListedPrice,
  parsePrice,
  ValidationError,
  validatePrice,
} from '../../src/domain/index.ts';

function rejects(fn: () => unknown, code: string, field = 'price'): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.field, field);
    assert.ok(error.message.length > 0);
    return true;
  });
}

describe('parsePrice', () => {
  const accepted: [string, number][] = [
    ['9.99', 999],
    ['9,99', 999],
    ['10', 1000],
    ['$12.50', 1250],
    ['$ 12.50', 1250],
    ['12.50$', 1250],
    ['12,50 $', 1250],
    ['15 USD', 1500],
    ['15usd', 1500],
    ['  7.5  ', 750],
    ['0', 0],
    ['0.00', 0],
    ['009.90', 990],
    ['5000', 500_000],
    ['0.01', 1],
    ['999999999.99', 99_999_999_999],
  ];
  for (const [input, cents] of accepted) {
    test(`"${input}" → ${cents}`, () => assert.equal(parsePrice(input), cents));
  }

  test('no float drift: every cent from 0.00 to 99.99 reads back exactly', () => {
    for (let cents = 0; cents < 10_000; cents++) {
      assert.equal(parsePrice(formatCents(cents)), cents);
      assert.equal(parsePrice(formatCents(cents).replace('.', ',')), cents);
    }
  });

  const refused: [string, string][] = [
    ['', 'price_required'],
    ['   ', 'price_required'],
    ['abc', 'price_invalid'],
    ['NaN', 'price_invalid'],
    ['Infinity', 'price_invalid'],
    ['1e3', 'price_invalid'],
    ['1E3', 'price_invalid'],
    ['0x10', 'price_invalid'],
    ['+5', 'price_invalid'],
    ['.99', 'price_invalid'],
    ['9.', 'price_invalid'],
    ['1,000.50', 'price_invalid'],
    ['1 000', 'price_invalid'],
    ['9.9.9', 'price_invalid'],
    ['$5$', 'price_invalid'],
    ['€5', 'price_invalid'],
    ['12 EUR', 'price_invalid'],
    ['1234567890', 'price_invalid'],
    ['-5', 'price_negative'],
    ['-0.50', 'price_negative'],
    ['$-5', 'price_negative'],
    ['\u22125', 'price_negative'],
    ['9.999', 'price_too_precise'],
    ['9,999', 'price_too_precise'],
    ['1.000', 'price_too_precise'],
  ];
  for (const [input, code] of refused) {
    test(`"${input}" → ${code}`, () => rejects(() => parsePrice(input), code));
  }
});

describe('validatePrice', () => {
  test('free is allowed', () => assert.equal(validatePrice(0), 0));
  test('bounds are inclusive: 999 and 500000', () => {
    assert.equal(validatePrice(999), 999);
    assert.equal(validatePrice(500_000), 500_000);
  });
  test('998 and 1 are below the minimum', () => {
    rejects(() => validatePrice(998), 'price_below_minimum');
    rejects(() => validatePrice(1), 'price_below_minimum');
  });
  test('500001 is above the maximum', () => rejects(() => validatePrice(500_001), 'price_above_maximum'));
  test('negative and fractional cents are refused', () => {
    rejects(() => validatePrice(-1), 'price_negative');
    rejects(() => validatePrice(9.5), 'price_invalid');
    rejects(() => validatePrice(Number.NaN), 'price_invalid');
  });
  test('the error carries the limits for the message', () => {
    try {
      validatePrice(500);
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(error.details, { min: '9.99', max: '5000.00' });
      assert.match(error.message, /\$9\.99/);
    }
  });
  test('a policy without free products refuses 0', () => {
    rejects(() => validatePrice(0, { ...DEFAULT_PRICE_POLICY, allowFree: false }), 'price_below_minimum');
  });
  test('a custom policy moves the bounds', () => {
    const policy = { allowFree: true, minCents: 100, maxCents: 200 };
    assert.equal(validatePrice(100, policy), 100);
    rejects(() => validatePrice(201, policy), 'price_above_maximum');
  });
  test('parseListedPrice combines both', () => {
    assert.equal(parseListedPrice('9,99'), 999);
    assert.equal(parseListedPrice('0'), 0);
    rejects(() => parseListedPrice('9.98'), 'price_below_minimum');
    rejects(() => parseListedPrice('5000.01'), 'price_above_maximum');
    rejects(() => parseListedPrice('abc'), 'price_invalid');
  });
});

describe('centsFromDecimal', () => {
  test('numbers from JSON', () => {
    assert.equal(centsFromDecimal(12.5), 1250);
    assert.equal(centsFromDecimal(0.1), 10);
    assert.equal(centsFromDecimal(0.29), 29);
    assert.equal(centsFromDecimal(51.49), 5149);
    assert.equal(centsFromDecimal(0), 0);
  });
  test('numeric strings from the database, trailing zeros allowed', () => {
    assert.equal(centsFromDecimal('12.50'), 1250);
    assert.equal(centsFromDecimal('12.5000'), 1250);
    assert.equal(centsFromDecimal('7'), 700);
    assert.equal(centsFromDecimal('-3.25'), -325);
    assert.equal(centsFromDecimal('-0.00'), 0);
  });
  test('never rounds: sub-cent digits, exponents and garbage are refused', () => {
    for (const value of [
      12.345,
      '12.345',
      '12.001',
      1e21,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '1e3',
      '',
      'x',
      '1,5',
    ]) {
      rejects(() => centsFromDecimal(value), 'amount_invalid', 'amount');
    }
  });
  test('the field name is carried', () =>
    rejects(() => centsFromDecimal('x', 'price_amount'), 'amount_invalid', 'price_amount'));
});

describe('formatting', () => {
  test('formatCents', () => {
    assert.equal(formatCents(1250), '12.50');
    assert.equal(formatCents(999), '9.99');
    assert.equal(formatCents(5), '0.05');
    assert.equal(formatCents(0), '0.00');
    assert.equal(formatCents(500_000), '5000.00');
    assert.equal(formatCents(-5), '-0.05');
    assert.equal(formatCents(-1250), '-12.50');
  });
  test('formatUsd', () => {
    assert.equal(formatUsd(1250), '$12.50');
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(-1250), '-$12.50');
  });
  test('formatting a non-integer is a bug', () => {
    assert.throws(() => formatCents(1.5), RangeError);
  });
});
