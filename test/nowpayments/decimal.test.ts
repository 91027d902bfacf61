import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addDecimal,
  compareDecimal,
  divideDecimal,
  multiplyDecimal,
  parseJsonExact,
  parseJsonExactChecked,
  subtractDecimal,
  toPlainDecimal,
} from '../../src/integrations/nowpayments/decimal.ts';

test('toPlainDecimal writes any JSON number or decimal text without exponent or padding', () => {
  const cases: [string | number, string | null][] = [
    ['1e-7', '0.0000001'],
    [1e-7, '0.0000001'],
    ['1.5E+3', '1500'],
    ['2.50', '2.5'],
    ['0012.000', '12'],
    ['-0', '0'],
    ['-0.5', '-0.5'],
    ['0.123456789012345678', '0.123456789012345678'],
    ['12345678901234567890', '12345678901234567890'],
    [0.1 + 0.2, '0.30000000000000004'],
    ['', null],
    ['1,5', null],
    ['abc', null],
    ['1e999999', null],
    [Number.NaN, null],
  ];
  for (const [input, expected] of cases) assert.equal(toPlainDecimal(input), expected, String(input));
});

test('parseJsonExact reads chosen keys exactly, as plain decimal text, and only those', () => {
  const parsed = parseJsonExact(
    '{"pay_amount":0.123456789012345678,"payment_id":12345678901234567890,"n":0.123456789012345678,"x":[1e-7],"price_amount":1.7490e1}',
    new Set(['pay_amount', 'payment_id', 'price_amount']),
  ) as Record<string, unknown>;
  assert.equal(parsed.pay_amount, '0.123456789012345678');
  assert.equal(parsed.payment_id, '12345678901234567890');
  assert.equal(parsed.price_amount, '17.49');
  assert.equal(parsed.n, 0.12345678901234568);
  assert.deepEqual(parsed.x, [1e-7]);
});

test('parseJsonExactChecked names the first number its double does not hold exactly', () => {
  const keys = new Set(['pay_amount']);
  const exact = '{"pay_amount":2.50,"payment_id":5077125051,"b":1.749e1,"c":-0,"d":[0.1,1e-7]}';
  assert.deepEqual(parseJsonExactChecked(exact, keys), {
    value: parseJsonExact(exact, keys),
    inexact: null,
  });
  const cases: [string, { key: string; source: string; read: string | null }][] = [
    [
      '{"a":1,"pay_amount":0.10000000000000000001}',
      { key: 'pay_amount', source: '0.10000000000000000001', read: '0.1' },
    ],
    [
      '{"x":[12345678901234567890]}',
      { key: '0', source: '12345678901234567890', read: '12345678901234567000' },
    ],
    ['{"big":1e400}', { key: 'big', source: '1e400', read: null }],
    // Spelled as its double prints, but past the exponents read as plain decimals: refused too.
    ['{"far":1e+300,"later":0.30000000000000000001}', { key: 'far', source: '1e+300', read: null }],
  ];
  for (const [text, expected] of cases) {
    const { inexact, value } = parseJsonExactChecked(text, keys);
    assert.deepEqual(
      inexact && { key: inexact.key, source: inexact.source, read: inexact.read },
      expected,
      text,
    );
    assert.deepEqual(value, parseJsonExact(text, keys), text);
  }
});

test('arithmetic is exact', () => {
  assert.equal(compareDecimal('0.1', '0.10000000000000000001'), -1);
  assert.equal(compareDecimal('1e-7', '0.0000001'), 0);
  assert.equal(compareDecimal('2', '10'), -1);
  assert.equal(subtractDecimal('0.00020817', '0.0001'), '0.00010817');
  assert.equal(subtractDecimal('0.1', '0.3'), '-0.2');
  assert.equal(addDecimal('0.1', '0.2'), '0.3');
  assert.equal(multiplyDecimal('0.083266667', '150', 2), '12.49');
  assert.equal(multiplyDecimal('0.0001', '60000', 2, true), '6');
  assert.equal(divideDecimal('12.49', '60000', 8), '0.00020816');
  assert.equal(divideDecimal('12.49', '60000', 8, true), '0.00020817');
  assert.equal(divideDecimal('10', '4', 0, true), '3');
  assert.equal(divideDecimal('-10', '4', 0), '-3');
  assert.throws(() => divideDecimal('1', '0', 2), RangeError);
  assert.throws(() => compareDecimal('x', '1'), RangeError);
});
