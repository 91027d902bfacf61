// Badges on a product card, decided from the product's counters only (no query of their own).

export const BADGES = ['best_seller', 'new', 'top_rated', 'popular'] as const;
export type Badge = (typeof BADGES)[number];

export interface BadgePolicy {
  /** best_seller: at least this many completed sales. */
  readonly bestSellerMinSales: number;
  /** new: listed less than this many days ago. */
  readonly newMaxAgeDays: number;
  /** top_rated: rating at least this high... */
  readonly topRatedMinRating: number;
  /** ...over at least this many reviews (imported ones included), so two 5-star reviews do not qualify. */
  readonly topRatedMinReviews: number;
  /** popular: at least this many detail views. */
  readonly popularMinViews: number;
}

/** The thresholds of the system we replace: 50 sales, 7 days, 4.5 stars over 10 reviews, 100 views. */
export const DEFAULT_BADGE_POLICY: BadgePolicy = Object.freeze({
  bestSellerMinSales: 50,
  newMaxAgeDays: 7,
  topRatedMinRating: 4.5,
  topRatedMinReviews: 10,
  popularMinViews: 100,
});

export interface BadgeInputs {
  readonly salesCount: number;
  readonly viewsCount: number;
  /** From productRating(); null without reviews. */
  readonly rating: number | null;
  readonly reviewsCount: number;
  /** When the product was listed (created). */
  readonly createdAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The card's badges, in display order (the order of BADGES). `now` is passed in to stay pure. */
export function productBadges(
  product: BadgeInputs,
  now: Date,
  policy: BadgePolicy = DEFAULT_BADGE_POLICY,
): Badge[] {
  const earned: Record<Badge, boolean> = {
    best_seller: product.salesCount >= policy.bestSellerMinSales,
    // A creation date in the future (clock skew) still counts as new.
    new: now.getTime() - product.createdAt.getTime() < policy.newMaxAgeDays * DAY_MS,
    top_rated:
      product.rating !== null &&
      product.rating >= policy.topRatedMinRating &&
      product.reviewsCount >= policy.topRatedMinReviews,
    popular: product.viewsCount >= policy.popularMinViews,
  };
  return BADGES.filter((badge) => earned[badge]);
}
