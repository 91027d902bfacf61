// Reviews: only a buyer with a paid order may rate a product, once (then edit). The review and the
// product's counters change in one transaction, so the counters always equal the reviews.
import type { Database, Queryable } from '../db/index.ts';
import { validateRating, validateReviewText } from '../domain/index.ts';
import {
  adjustReviewCounters,
  buyerHasPaidOrder,
  insertReviewIfNew,
  listProductReviews,
  lockReview,
  type RatingOverview,
  type Review,
  type ReviewsPage,
  ratingOverview,
  updateReview,
} from '../repositories/reviews.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';

export interface ReviewDraft {
  /** 1–5, or its digit as text (a button's callback data). */
  rating: unknown;
  /** Optional, 10–1000 characters; empty means none. */
  text?: string | null;
}

export type ReviewOutcome = { review: Review; created: boolean };

export class ReviewNeedsPurchaseError extends ForbiddenError {
  constructor(productId: string) {
    super('review_requires_purchase', 'Only a buyer who paid for this product may review it.', { productId });
  }
}

export type { RatingOverview, Review, ReviewsPage };

export function createReviewService({ db }: { db: Database }) {
  return {
    /**
     * Posts the buyer's review, or replaces it when they already left one (a double tap, or two
     * devices at once, still gives one review counted once).
     */
    async leave(buyerId: number, productId: string, draft: ReviewDraft): Promise<ReviewOutcome> {
      const input = reviewInput(buyerId, productId, draft);
      return db.transaction(async (tx) => {
        if (!(await buyerHasPaidOrder(tx, buyerId, productId))) throw new ReviewNeedsPurchaseError(productId);
        const inserted = await insertReviewIfNew(tx, input);
        if (inserted) {
          await adjustReviewCounters(tx, productId, 1, inserted.rating);
          return { review: inserted, created: true };
        }
        return { review: await replaceReview(tx, input), created: false };
      });
    },

    /**
     * The stars of the buyer's review: a new review, or the existing one re-rated with its text
     * kept. The buyer then completes it (`complete`).
     */
    async rate(buyerId: number, productId: string, rating: unknown): Promise<ReviewOutcome> {
      const stars = validateRating(rating);
      return db.transaction(async (tx) => {
        if (!(await buyerHasPaidOrder(tx, buyerId, productId))) throw new ReviewNeedsPurchaseError(productId);
        const inserted = await insertReviewIfNew(tx, { buyerId, productId, rating: stars, body: null });
        if (inserted) {
          await adjustReviewCounters(tx, productId, 1, inserted.rating);
          return { review: inserted, created: true };
        }
        const before = await lockReview(tx, buyerId, productId);
        const input = { buyerId, productId, rating: stars, body: before?.body ?? null };
        return { review: await replaceReview(tx, input), created: false };
      });
    },

    /**
     * Ends the review the buyer rated: with a text (10–1000 characters), or as it stands when
     * `text` is undefined. NotFoundError when they never rated the product.
     */
    async complete(buyerId: number, productId: string, text?: string): Promise<Review> {
      const body = text === undefined ? undefined : validateReviewText(text);
      return db.transaction(async (tx) => {
        if (!(await buyerHasPaidOrder(tx, buyerId, productId))) throw new ReviewNeedsPurchaseError(productId);
        const review = await lockReview(tx, buyerId, productId);
        if (!review) throw new NotFoundError('review', productId);
        if (body === undefined) return review;
        return updateReview(tx, { buyerId, productId, rating: review.rating, body });
      });
    },

    /** Changes the buyer's existing review; NotFoundError when there is none yet. */
    async edit(buyerId: number, productId: string, draft: ReviewDraft): Promise<Review> {
      const input = reviewInput(buyerId, productId, draft);
      return db.transaction(async (tx) => {
        if (!(await buyerHasPaidOrder(tx, buyerId, productId))) throw new ReviewNeedsPurchaseError(productId);
        return replaceReview(tx, input);
      });
    },

    /** A page (from 0) of the product's reviews, 5 per page, newest first. */
    page(productId: string, page = 0): Promise<ReviewsPage> {
      return listProductReviews(db, productId, page);
    },

    async overview(productId: string): Promise<RatingOverview> {
      const overview = await ratingOverview(db, productId);
      if (!overview) throw new NotFoundError('product', productId);
      return overview;
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;

/** Validates before any transaction opens: bad input costs no connection. */
function reviewInput(buyerId: number, productId: string, draft: ReviewDraft) {
  return { buyerId, productId, rating: validateRating(draft.rating), body: validateReviewText(draft.text) };
}

async function replaceReview(
  tx: Queryable,
  input: { buyerId: number; productId: string; rating: number; body: string | null },
): Promise<Review> {
  const before = await lockReview(tx, input.buyerId, input.productId);
  if (!before) throw new NotFoundError('review', input.productId);
  const review = await updateReview(tx, input);
  await adjustReviewCounters(tx, input.productId, 0, review.rating - before.rating);
  return review;
}
