import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  basisPointsFromPercent,
  DEFAULT_FEE_POLICY,
  feePolicy,
  percentOf,
  platformFee,
  priceBreakdown,
  ValidationError,
} from '../../src/domain/index.ts';

describe('platformFee', () => {
  test('a free product has no fee and no total', () => {
    assert.deepEqual(priceBreakdown(0), { priceCents: 0, feeCents: 0, totalCents: 0, free: true });
  });

  test('flat 1.49 below 48.00', () => {
    assert.equal(platformFee(999), 149);
    assert.equal(platformFee(1), 149);
    assert.equal(platformFee(4799), 149);
    assert.deepEqual(priceBreakdown(999), { priceCents: 999, feeCents: 149, totalCents: 1148, free: false });
  });

  test('3.14 % from 48.00 on: 4800 → 150.72 → 151', () => {
    assert.equal(platformFee(4800), 151);
    assert.deepEqual(priceBreakdown(4800), {
      priceCents: 4800,
      feeCents: 151,
      totalCents: 4951,
      free: false,
    });
  });

  test('rounding of 3.14 % on awkward prices (half-up, exact)', () => {
    const cases: [number, number][] = [
      [4850, 152], // 152.29
      [4999, 157], // 156.9686
      [5000, 157], // 157.00
      [7500, 236], // 235.50 exactly: half rounds up
      [7499, 235], // 235.4686
      [9999, 314], // 313.9686
      [12_345, 388], // 387.633
      [500_000, 15_700],
    ];
    for (const [price, fee] of cases) assert.equal(platformFee(price), fee, `price ${price}`);
  });

  test('matches a decimal reference for every price from 48.00 to 5000.00', () => {
    for (let price = 4800; price <= 500_000; price++) {
      // Reference in integer tenth-of-a-basis-point units: price × 314 / 10000, half-up.
      const scaled = price * 314;
      const expected = Math.floor(scaled / 10_000) + (scaled % 10_000 >= 5_000 ? 1 : 0);
      const { feeCents, totalCents } = priceBreakdown(price);
      assert.equal(feeCents, expected);
      assert.equal(totalCents, price + expected);
    }
  });

  test('negative or fractional prices are bugs', () => {
    assert.throws(() => platformFee(-1), RangeError);
    assert.throws(() => platformFee(9.99), RangeError);
  });
});

describe('fee policy', () => {
  test('defaults', () => {
    assert.deepEqual(
      { ...DEFAULT_FEE_POLICY },
      { flatCents: 149, thresholdCents: 4800, percentBasisPoints: 314 },
    );
    assert.ok(Object.isFrozen(DEFAULT_FEE_POLICY));
  });

  test('overrides apply', () => {
    const policy = feePolicy({ flatCents: 99, thresholdCents: 2000, percentBasisPoints: 500 });
    assert.equal(platformFee(1999, policy), 99);
    assert.equal(platformFee(2000, policy), 100);
    assert.equal(platformFee(0, policy), 0);
  });

  test('a zero fee policy is allowed', () => {
    const policy = feePolicy({ flatCents: 0, percentBasisPoints: 0 });
    assert.equal(priceBreakdown(999, policy).totalCents, 999);
    assert.equal(priceBreakdown(10_000, policy).totalCents, 10_000);
  });

  test('nonsense settings are refused at once', () => {
    assert.throws(() => feePolicy({ flatCents: -1 }), RangeError);
    assert.throws(() => feePolicy({ flatCents: 1.5 }), RangeError);
    assert.throws(() => feePolicy({ percentBasisPoints: 10_001 }), RangeError);
  });
});

describe('percentOf', () => {
  test('half-up at the exact half, down just below', () => {
    assert.equal(percentOf(50, 100), 1); // 0.5 → 1
    assert.equal(percentOf(49, 100), 0); // 0.49 → 0
    assert.equal(percentOf(150, 100), 2); // 1.5 → 2
  });
  test('exact beyond 2^53 intermediate products', () => {
    assert.equal(percentOf(Number.MAX_SAFE_INTEGER, 10_000), Number.MAX_SAFE_INTEGER);
  });
});

describe('basisPointsFromPercent', () => {
  test('reads settings', () => {
    assert.equal(basisPointsFromPercent('3.14'), 314);
    assert.equal(basisPointsFromPercent('3,14 %'), 314);
    assert.equal(basisPointsFromPercent('3'), 300);
    assert.equal(basisPointsFromPercent('0.5'), 50);
    assert.equal(basisPointsFromPercent('100'), 10_000);
  });
  test('refuses the rest', () => {
    for (const text of ['', 'abc', '3.145', '-1', '101', '1e2']) {
      assert.throws(
        () => basisPointsFromPercent(text, 'FEE_PERCENT'),
        (error: unknown) =>
          error instanceof ValidationError &&
          error.code === 'percent_invalid' &&
          error.field === 'FEE_PERCENT',
        text,
      );
    }
  });
});
