import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../../src/domain/index.ts';
import { NotFoundError } from '../../src/services/errors.ts';
import { createReviewService, ReviewNeedsPurchaseError } from '../../src/services/reviews.ts';
import { addOrder, addProduct, addSeller, addUser, aftersaleDatabase, reviewCounters } from './fixtures.ts';

const db = await aftersaleDatabase(12);
const reviews = createReviewService({ db });
const seller = await addSeller(db, 100);

test('only a buyer with a paid order may review', async () => {
  const product = await addProduct(db, seller);
  await addUser(db, 201);
  await addUser(db, 202);
  await addOrder(db, 202, product, 'waiting');
  for (const buyer of [201, 202]) {
    await assert.rejects(reviews.leave(buyer, product.id, { rating: 5 }), ReviewNeedsPurchaseError);
  }
  assert.deepEqual(await reviewCounters(db, product.id), { count: 0, sum: 0, realCount: 0, realSum: 0 });

  await addOrder(db, 201, product);
  const { review, created } = await reviews.leave(201, product.id, {
    rating: '4',
    text: 'Très bon guide, merci',
  });
  assert.equal(created, true);
  assert.equal(review.rating, 4);
  assert.deepEqual(await reviewCounters(db, product.id), { count: 1, sum: 4, realCount: 1, realSum: 4 });
});

test('bad ratings and texts are refused with a typed error and nothing is written', async () => {
  const product = await addProduct(db, seller);
  await addUser(db, 203);
  await addOrder(db, 203, product);
  await assert.rejects(reviews.leave(203, product.id, { rating: 6 }), { code: 'rating_invalid' });
  await assert.rejects(reviews.leave(203, product.id, { rating: 3, text: 'court' }), ValidationError);
  assert.equal((await reviewCounters(db, product.id)).count, 0);
});

test('the same review posted twice at the same time gives one review counted once', async () => {
  const product = await addProduct(db, seller);
  await addUser(db, 204);
  await addOrder(db, 204, product);
  const outcomes = await Promise.all(
    Array.from({ length: 8 }, () =>
      reviews.leave(204, product.id, { rating: 5, text: 'Excellent produit !' }),
    ),
  );
  assert.equal(outcomes.filter((o) => o.created).length, 1);
  assert.deepEqual(await reviewCounters(db, product.id), { count: 1, sum: 5, realCount: 1, realSum: 5 });
});

test('editing changes the stars without counting the review again', async () => {
  const product = await addProduct(db, seller);
  await addUser(db, 205);
  await addOrder(db, 205, product);
  await assert.rejects(reviews.edit(205, product.id, { rating: 2 }), NotFoundError);
  await reviews.leave(205, product.id, { rating: 5 });
  const edited = await reviews.edit(205, product.id, { rating: 2, text: 'Finalement moyen.' });
  assert.equal(edited.rating, 2);
  assert.equal(edited.body, 'Finalement moyen.');
  assert.deepEqual(await reviewCounters(db, product.id), { count: 1, sum: 2, realCount: 1, realSum: 2 });
});

test('reviews page: 5 per page, newest first; summary blends imported and local reviews', async () => {
  const product = await addProduct(db, seller);
  await db.exec('UPDATE products SET imported_rating_avg = 4.00, imported_reviews_count = 4 WHERE id = $1', [
    product.id,
  ]);
  for (let i = 0; i < 7; i++) {
    const buyer = await addUser(db, 300 + i, `Buyer${i}`);
    await addOrder(db, buyer, product);
    await reviews.leave(buyer, product.id, { rating: i < 6 ? 5 : 1 });
    await db.exec(`UPDATE reviews SET created_at = now() - make_interval(mins => $2) WHERE buyer_id = $1`, [
      buyer,
      100 - i,
    ]);
  }
  const first = await reviews.page(product.id, 0);
  assert.equal(first.items.length, 5);
  assert.equal(first.total, 7);
  assert.equal(first.pageCount, 2);
  assert.equal(first.items[0]?.authorName, 'Buyer6');
  assert.equal((await reviews.page(product.id, 1)).items.length, 2);

  const overview = await reviews.overview(product.id);
  // (4 × 4 + 31) / 11 = 4.27 → 4.3
  assert.equal(overview.rating, 4.3);
  assert.equal(overview.count, 11);
  assert.deepEqual(overview.histogram, [1, 0, 0, 0, 6]);
  await assert.rejects(reviews.overview('P-2222222222'), NotFoundError);
});
