// Reviews: one per buyer and product, the product's reviews page and its rating summary. The
// product's counters (reviews_count, rating_sum) change in the caller's transaction.
import type { Queryable } from '../db/index.ts';
import { productRating, type RatingSummary } from '../domain/index.ts';

export type Review = {
  id: number;
  productId: string;
  buyerId: number;
  rating: number;
  body: string | null;
  createdAt: Date;
  updatedAt: Date;
};

const REVIEW_COLUMNS = `
  r.id, r.product_id AS "productId", r.buyer_id AS "buyerId", r.rating::int AS rating,
  r.body, r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

export interface ReviewInput {
  buyerId: number;
  productId: string;
  rating: number;
  body: string | null;
}

/** True when the buyer has a paid order for the product: the right to review it. */
export async function buyerHasPaidOrder(q: Queryable, buyerId: number, productId: string): Promise<boolean> {
  const row = await q.one<{ paid: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM orders WHERE buyer_id = $1 AND product_id = $2 AND status = 'paid') AS paid`,
    [buyerId, productId],
  );
  return row.paid;
}

/**
 * Inserts the review unless the buyer already reviewed the product; null then. A concurrent
 * insert of the same pair waits on the unique key and then returns null, never a second row.
 */
export async function insertReviewIfNew(q: Queryable, review: ReviewInput): Promise<Review | null> {
  return q.maybeOne<Review>(
    `INSERT INTO reviews AS r (buyer_id, product_id, rating, body) VALUES ($1, $2, $3, $4)
     ON CONFLICT ON CONSTRAINT reviews_buyer_product_key DO NOTHING
     RETURNING ${REVIEW_COLUMNS}`,
    [review.buyerId, review.productId, review.rating, review.body],
  );
}

/** Locks the buyer's review of the product until the end of the transaction. */
export async function lockReview(q: Queryable, buyerId: number, productId: string): Promise<Review | null> {
  return q.maybeOne<Review>(
    `SELECT ${REVIEW_COLUMNS} FROM reviews r WHERE r.buyer_id = $1 AND r.product_id = $2 FOR UPDATE`,
    [buyerId, productId],
  );
}

export async function updateReview(q: Queryable, review: ReviewInput): Promise<Review> {
  return q.one<Review>(
    `UPDATE reviews r SET rating = $3, body = $4, updated_at = now()
     WHERE r.buyer_id = $1 AND r.product_id = $2 RETURNING ${REVIEW_COLUMNS}`,
    [review.buyerId, review.productId, review.rating, review.body],
  );
}

/** Adds to the product's local review counters (the generated rating column follows). */
export async function adjustReviewCounters(
  q: Queryable,
  productId: string,
  countDelta: number,
  starsDelta: number,
): Promise<void> {
  await q.exec(
    `UPDATE products SET reviews_count = reviews_count + $2, rating_sum = rating_sum + $3, updated_at = now()
     WHERE id = $1`,
    [productId, countDelta, starsDelta],
  );
}

export type PublicReview = Review & {
  /** The reviewer's Telegram first name: what the reviews page shows, never the id. */
  authorName: string;
};

export type ReviewsPage = {
  items: PublicReview[];
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
};

export const REVIEWS_PAGE_SIZE = 5;

/** One page of a product's reviews, newest first; `page` counts from 0. */
export async function listProductReviews(
  q: Queryable,
  productId: string,
  page = 0,
  pageSize = REVIEWS_PAGE_SIZE,
): Promise<ReviewsPage> {
  const safePage = Math.max(0, Math.trunc(page));
  const [items, count] = await Promise.all([
    q.many<PublicReview>(
      `SELECT ${REVIEW_COLUMNS}, u.first_name AS "authorName"
       FROM reviews r JOIN users u ON u.id = r.buyer_id
       WHERE r.product_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2 OFFSET $3`,
      [productId, pageSize, safePage * pageSize],
    ),
    q.one<{ total: number }>('SELECT count(*)::int AS total FROM reviews WHERE product_id = $1', [productId]),
  ]);
  return {
    items,
    page: safePage,
    pageSize,
    total: count.total,
    pageCount: Math.ceil(count.total / pageSize),
  };
}

export type RatingOverview = RatingSummary & {
  /** Local reviews per star, index 0 = 1 star … index 4 = 5 stars (imported reviews have no detail). */
  histogram: [number, number, number, number, number];
  localCount: number;
  importedCount: number;
};

/** The product's rating (imported and local blended by src/domain) and its star histogram; null for an unknown product. */
export async function ratingOverview(q: Queryable, productId: string): Promise<RatingOverview | null> {
  const row = await q.maybeOne<{
    importedAverage: string;
    importedCount: number;
    localSum: number;
    localCount: number;
    histogram: number[];
  }>(
    `SELECT p.imported_rating_avg::text AS "importedAverage", p.imported_reviews_count AS "importedCount",
            p.rating_sum AS "localSum", p.reviews_count AS "localCount",
            ARRAY(SELECT count(r.id)::int FROM generate_series(1, 5) AS s(stars)
                  LEFT JOIN reviews r ON r.product_id = p.id AND r.rating = s.stars
                  GROUP BY s.stars ORDER BY s.stars) AS histogram
     FROM products p WHERE p.id = $1`,
    [productId],
  );
  if (!row) return null;
  const summary = productRating({
    importedAverage: Number(row.importedAverage),
    importedCount: row.importedCount,
    localSum: row.localSum,
    localCount: row.localCount,
  });
  return {
    ...summary,
    histogram: row.histogram as RatingOverview['histogram'],
    localCount: row.localCount,
    importedCount: row.importedCount,
  };
}
