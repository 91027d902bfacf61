import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_BADGE_POLICY, productBadges } from '../../src/domain/index.ts';

describe('productBadges', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const day = 24 * 60 * 60 * 1000;
  const plain = {
    salesCount: 0,
    viewsCount: 0,
    rating: null,
    reviewsCount: 0,
    createdAt: new Date(now.getTime() - 30 * day),
  };

  test('defaults', () => {
    assert.deepEqual(
      { ...DEFAULT_BADGE_POLICY },
      {
        bestSellerMinSales: 50,
        newMaxAgeDays: 7,
        topRatedMinRating: 4.5,
        topRatedMinReviews: 10,
        popularMinViews: 100,
      },
    );
  });

  test('no badge for a plain old product', () => assert.deepEqual(productBadges(plain, now), []));

  test('best-seller from 50 sales', () => {
    assert.deepEqual(productBadges({ ...plain, salesCount: 49 }, now), []);
    assert.deepEqual(productBadges({ ...plain, salesCount: 50 }, now), ['best_seller']);
  });

  test('new for less than 7 days', () => {
    assert.deepEqual(productBadges({ ...plain, createdAt: new Date(now.getTime() - 7 * day + 1) }, now), [
      'new',
    ]);
    assert.deepEqual(productBadges({ ...plain, createdAt: new Date(now.getTime() - 7 * day) }, now), []);
    assert.deepEqual(productBadges({ ...plain, createdAt: new Date(now.getTime() + day) }, now), ['new']);
  });

  test('top rated needs both 4.5 stars and 10 reviews', () => {
    assert.deepEqual(productBadges({ ...plain, rating: 4.5, reviewsCount: 10 }, now), ['top_rated']);
    assert.deepEqual(productBadges({ ...plain, rating: 4.4, reviewsCount: 100 }, now), []);
    assert.deepEqual(productBadges({ ...plain, rating: 5, reviewsCount: 9 }, now), []);
    assert.deepEqual(productBadges({ ...plain, rating: null, reviewsCount: 10 }, now), []);
  });

  test('popular from 100 views', () => {
    assert.deepEqual(productBadges({ ...plain, viewsCount: 99 }, now), []);
    assert.deepEqual(productBadges({ ...plain, viewsCount: 100 }, now), ['popular']);
  });

  test('all four, in display order', () => {
    const star = { salesCount: 500, viewsCount: 5000, rating: 4.9, reviewsCount: 80, createdAt: now };
    assert.deepEqual(productBadges(star, now), ['best_seller', 'new', 'top_rated', 'popular']);
  });

  test('a custom policy', () => {
    const policy = { ...DEFAULT_BADGE_POLICY, bestSellerMinSales: 5, newMaxAgeDays: 60 };
    assert.deepEqual(productBadges({ ...plain, salesCount: 5 }, now, policy), ['best_seller', 'new']);
  });
});
