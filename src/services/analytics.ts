// A seller's numbers: the dashboard (profile, totals, balances), the analytics screen and a
// product's series, for that seller only.
import type { Database } from '../db/index.ts';
import {
  type DailySales,
  dailySales,
  getSellerDashboard,
  type SellerDashboard,
  type TopProduct,
  topProducts,
} from '../repositories/analytics.ts';
import { type SellerBalances, sellerBalances } from '../repositories/payouts.ts';
import { getProduct } from '../repositories/products.ts';
import { getSellerProfile, type SellerProfile } from '../repositories/sellers.ts';
import { NotFoundError, NotOwnerError, NotSellerError } from './errors.ts';

export type { DailySales, SellerBalances, SellerDashboard, SellerProfile, TopProduct };

export interface SellerHome {
  profile: SellerProfile;
  stats: SellerDashboard;
  balances: SellerBalances;
}

export interface SellerAnalytics {
  dashboard: SellerDashboard;
  /** 30 days, oldest first, empty days as zeros. */
  daily: DailySales[];
  top: TopProduct[];
}

export function createAnalyticsService({ db }: { db: Database }) {
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

    /** The analytics screen of the acting seller (totals, 30-day series, top 5). */
    async summary(sellerId: number): Promise<SellerAnalytics> {
      if (!(await getSellerProfile(db, sellerId))) throw new NotSellerError();
      const [dashboard, daily, top] = await Promise.all([
        getSellerDashboard(db, sellerId),
        dailySales(db, { sellerId }),
        topProducts(db, sellerId, 5),
      ]);
      return { dashboard, daily, top };
    },

    /** One product's 30-day series, for its owner only. */
    async salesSeries(actorId: number, productId: string): Promise<DailySales[]> {
      const product = await getProduct(db, productId);
      if (!product) throw new NotFoundError('product', productId);
      if (product.sellerId !== actorId) throw new NotOwnerError('product', productId);
      return dailySales(db, { productId });
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
