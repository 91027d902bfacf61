import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { productRating } from '../../src/domain/index.ts';

describe('productRating', () => {
  const none = { importedAverage: 0, importedCount: 0, localSum: 0, localCount: 0 };

  test('no review at all → null', () => {
    assert.deepEqual(productRating(none), { rating: null, count: 0 });
  });

  test('local reviews only', () => {
    assert.deepEqual(productRating({ ...none, localSum: 9, localCount: 2 }), { rating: 4.5, count: 2 });
    assert.deepEqual(productRating({ ...none, localSum: 5, localCount: 1 }), { rating: 5, count: 1 });
    assert.deepEqual(productRating({ ...none, localSum: 13, localCount: 3 }), { rating: 4.3, count: 3 }); // 4.333
    assert.deepEqual(productRating({ ...none, localSum: 14, localCount: 3 }), { rating: 4.7, count: 3 }); // 4.667
  });

  test('imported reviews only', () => {
    assert.deepEqual(productRating({ ...none, importedAverage: 4.7, importedCount: 120 }), {
      rating: 4.7,
      count: 120,
    });
    assert.deepEqual(productRating({ ...none, importedAverage: 4.65, importedCount: 3 }), {
      rating: 4.7,
      count: 3,
    });
  });

  test('weighted by count', () => {
    // (4.7 × 3 + 9) / 5 = 4.62
    assert.deepEqual(productRating({ importedAverage: 4.7, importedCount: 3, localSum: 9, localCount: 2 }), {
      rating: 4.6,
      count: 5,
    });
    // (4 × 98 + 1 × 2) / 100 = 3.94
    assert.deepEqual(productRating({ importedAverage: 4, importedCount: 98, localSum: 2, localCount: 2 }), {
      rating: 3.9,
      count: 100,
    });
  });

  test('exact halves round up, without float error', () => {
    // 4.25 → 4.3 and 4.35 → 4.4 (floats would give 4.2 / 4.3 for some of these)
    assert.equal(productRating({ ...none, localSum: 17, localCount: 4 }).rating, 4.3);
    assert.equal(
      productRating({ importedAverage: 4.35, importedCount: 1, localSum: 0, localCount: 0 }).rating,
      4.4,
    );
    assert.equal(
      productRating({ importedAverage: 1.05, importedCount: 1, localSum: 0, localCount: 0 }).rating,
      1.1,
    );
    assert.equal(
      productRating({ importedAverage: 2.45, importedCount: 2, localSum: 0, localCount: 0 }).rating,
      2.5,
    );
  });

  test('imported average is ignored when its count is zero', () => {
    assert.deepEqual(productRating({ importedAverage: 5, importedCount: 0, localSum: 1, localCount: 1 }), {
      rating: 1,
      count: 1,
    });
  });

  test('impossible inputs are bugs', () => {
    assert.throws(() => productRating({ ...none, localSum: 6, localCount: 1 }), RangeError);
    assert.throws(() => productRating({ ...none, localSum: 0, localCount: 1 }), RangeError);
    assert.throws(() => productRating({ ...none, importedAverage: 5.1, importedCount: 1 }), RangeError);
    assert.throws(
      () => productRating({ ...none, importedAverage: Number.NaN, importedCount: 1 }),
      RangeError,
    );
    assert.throws(() => productRating({ ...none, localCount: -1 }), RangeError);
    assert.throws(() => productRating({ ...none, importedCount: 1.5 }), RangeError);
  });
});
