// A seller's numbers: the dashboard (profile, totals, balances), the analytics of a period (7,
// 30 or 90 days against the period before), the same for one product, and the exports; each
// for that seller only.
import type { Database } from '../db/index.ts';
import {
  type DailyActivity,
  dailyActivity,
  getSellerDashboard,
  type SellerDashboard,
  type TopProduct,
  topProducts,
} from '../repositories/analytics.ts';
import { type SellerBalances, sellerBalances } from '../repositories/payouts.ts';
import { getProduct, type Product } from '../repositories/products.ts';
import {
  type ProductLine,
  type SaleLine,
  sellerProductLines,
  sellerSaleLines,
} from '../repositories/seller-exports.ts';
import { getSellerProfile, type SellerProfile } from '../repositories/sellers.ts';
import { InvalidInputError, NotFoundError, NotOwnerError, NotSellerError } from './errors.ts';

export type {
  DailyActivity,
  ProductLine,
  SaleLine,
  SellerBalances,
  SellerDashboard,
  SellerProfile,
  TopProduct,
};

export interface SellerHome {
  profile: SellerProfile;
  stats: SellerDashboard;
  balances: SellerBalances;
}

/** The periods analytics offer, in days. */
export const ANALYTICS_PERIODS = [7, 30, 90] as const;
export type AnalyticsPeriod = (typeof ANALYTICS_PERIODS)[number];
export const DEFAULT_PERIOD: AnalyticsPeriod = 30;

/** Rows an export holds at most, newest first. */
export const EXPORT_MAX_ROWS = 10_000;

export interface PeriodTotals {
  revenueCents: number;
  sales: number;
  views: number;
  /** Sales per 100 views; null without views. */
  conversionPercent: number | null;
  reviews: number;
  /** Average stars of the reviews posted in the period; null without any. */
  rating: number | null;
}

export interface PeriodReport {
  days: AnalyticsPeriod;
  /** The period's days, oldest first, zeros included: what the charts draw. */
  daily: DailyActivity[];
  current: PeriodTotals;
  /** The same number of days just before. */
  previous: PeriodTotals;
}

export interface SellerAnalytics extends PeriodReport {
  /** Best products of the period by revenue. */
  top: TopProduct[];
}

export interface ProductAnalytics extends PeriodReport {
  product: Product;
}

export function isAnalyticsPeriod(value: unknown): value is AnalyticsPeriod {
  return (ANALYTICS_PERIODS as readonly unknown[]).includes(value);
}

function checkPeriod(days: number): AnalyticsPeriod {
  if (!isAnalyticsPeriod(days)) {
    throw new InvalidInputError('analytics_period_invalid', 'days', 'A period is 7, 30 or 90 days.');
  }
  return days;
}

/** Sums a run of days. */
export function totalsOf(days: readonly DailyActivity[]): PeriodTotals {
  const sum = (pick: (day: DailyActivity) => number) => days.reduce((total, day) => total + pick(day), 0);
  const sales = sum((d) => d.sales);
  const views = sum((d) => d.views);
  const reviews = sum((d) => d.reviews);
  const stars = sum((d) => d.stars);
  return {
    revenueCents: sum((d) => d.revenueCents),
    sales,
    views,
    conversionPercent: views === 0 ? null : (100 * sales) / views,
    reviews,
    rating: reviews === 0 ? null : stars / reviews,
  };
}

/** Splits 2×days of activity into the period before and the period itself. */
function report(days: AnalyticsPeriod, activity: DailyActivity[]): PeriodReport {
  const daily = activity.slice(-days);
  return { days, daily, current: totalsOf(daily), previous: totalsOf(activity.slice(0, -days)) };
}

export function createAnalyticsService({ db }: { db: Database }) {
  async function requireSeller(sellerId: number): Promise<void> {
    if (!(await getSellerProfile(db, sellerId))) throw new NotSellerError();
  }

  return {
    /** The dashboard: profile, totals and balances; null when the user is not a seller. */
    async home(sellerId: number): Promise<SellerHome | null> {
      const profile = await getSellerProfile(db, sellerId);
      if (!profile) return null;
      const [stats, balances] = await Promise.all([
        getSellerDashboard(db, sellerId),
        sellerBalances(db, sellerId),
      ]);
      return { profile, stats, balances };
    },

    /** The acting seller's period: revenue, sales, views, conversion, rating, both periods; top 5. */
    async summary(sellerId: number, days: number = DEFAULT_PERIOD): Promise<SellerAnalytics> {
      const period = checkPeriod(days);
      await requireSeller(sellerId);
      const [activity, top] = await Promise.all([
        dailyActivity(db, { sellerId }, 2 * period),
        topProducts(db, sellerId, 5, period),
      ]);
      return { ...report(period, activity), top };
    },

    /** The same for one product, for its owner only (a deleted one included: its history stays). */
    async product(
      actorId: number,
      productId: string,
      days: number = DEFAULT_PERIOD,
    ): Promise<ProductAnalytics> {
      const period = checkPeriod(days);
      const product = await getProduct(db, productId);
      if (!product) throw new NotFoundError('product', productId);
      if (product.sellerId !== actorId) throw new NotOwnerError('product', productId);
      const activity = await dailyActivity(db, { productId }, 2 * period);
      return { ...report(period, activity), product };
    },

    /** The seller's paid orders (refunds included) with fee and payout status, newest first. */
    async salesExport(sellerId: number): Promise<SaleLine[]> {
      await requireSeller(sellerId);
      return sellerSaleLines(db, sellerId, EXPORT_MAX_ROWS);
    },

    /** The seller's products but deleted ones, with their all-time numbers. */
    async productsExport(sellerId: number): Promise<ProductLine[]> {
      await requireSeller(sellerId);
      return sellerProductLines(db, sellerId, EXPORT_MAX_ROWS);
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
