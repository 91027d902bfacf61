// CSV exports for the admins (and their accountant): users, products, orders and payout lines as
// tables of plain values, amounts in dollars with two decimals, times in ISO 8601 UTC. Reading
// the rows and auditing the export happen in one transaction, so the log says what was read.
// Cells are escaped against spreadsheet formulas when the table is written (domain/csv.ts).
import type { Database, Queryable } from '../db/index.ts';
import type { CsvValue } from '../domain/index.ts';
import { exportProducts, exportUsers } from '../repositories/admin.ts';
import { recordAdminAction } from '../repositories/audit.ts';
import { exportOrders } from '../repositories/orders.ts';
import { exportPayouts } from '../repositories/payouts.ts';
import type { Moderator } from './moderation.ts';

export const EXPORT_KINDS = ['users', 'products', 'orders', 'payouts'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** An export holds at most this many rows, the newest; `truncated` says when more exist. */
export const MAX_EXPORT_ROWS = 50_000;

export interface ExportTable {
  kind: ExportKind;
  header: readonly string[];
  rows: (readonly CsvValue[])[];
  truncated: boolean;
}

/** Cents as dollars for a spreadsheet: 1999 → "19.99" (a string: exact, never a float). */
function usd(cents: number | null): string | null {
  if (cents === null) return null;
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

type Reader = (q: Queryable, limit: number) => Promise<{ header: readonly string[]; rows: CsvValue[][] }>;

const READERS: Record<ExportKind, Reader> = {
  async users(q, limit) {
    const users = await exportUsers(q, limit);
    return {
      header: [
        'id',
        'username',
        'first_name',
        'last_name',
        'language',
        'created_at',
        'suspended',
        'suspended_until',
        'suspension_reason',
        'shop_name',
        'email',
        'payout_address',
        'products',
        'sales',
        'revenue_usd',
        'purchases',
        'spent_usd',
      ],
      rows: users.map((u) => [
        u.id,
        u.username,
        u.firstName,
        u.lastName,
        u.language,
        u.createdAt,
        u.suspended,
        u.suspendedUntil,
        u.suspensionReason,
        u.sellerName,
        u.contactEmail,
        u.payoutAddress,
        u.productsCount,
        u.salesCount,
        usd(u.revenueCents),
        u.purchasesCount,
        usd(u.spentCents),
      ]),
    };
  },
  async products(q, limit) {
    const products = await exportProducts(q, limit);
    return {
      header: [
        'id',
        'title',
        'status',
        'price_usd',
        'seller_id',
        'shop_name',
        'category',
        'sales',
        'views',
        'ban_reason',
        'created_at',
      ],
      rows: products.map((p) => [
        p.id,
        p.title,
        p.status,
        usd(p.priceCents),
        p.sellerId,
        p.sellerName,
        p.categorySlug,
        p.salesCount,
        p.viewsCount,
        p.banReason,
        p.createdAt,
      ]),
    };
  },
  async orders(q, limit) {
    const orders = await exportOrders(q, limit);
    return {
      header: [
        'id',
        'created_at',
        'status',
        'paid_at',
        'delivered_at',
        'buyer_id',
        'seller_id',
        'product_id',
        'product_title',
        'price_usd',
        'fee_usd',
        'total_usd',
        'pay_currency',
      ],
      rows: orders.map((o) => [
        o.id,
        o.createdAt,
        o.status,
        o.paidAt,
        o.deliveredAt,
        o.buyerId,
        o.sellerId,
        o.productId,
        o.productTitle,
        usd(o.priceCents),
        usd(o.feeCents),
        usd(o.totalCents),
        o.payCurrency,
      ]),
    };
  },
  async payouts(q, limit) {
    const payouts = await exportPayouts(q, limit);
    return {
      header: [
        'id',
        'order_id',
        'product_title',
        'seller_id',
        'shop_name',
        'amount_usd',
        'status',
        'escrow_until',
        'available_at',
        'paid_at',
        'paid_by',
        'tx_hash',
        'paid_to_address',
      ],
      rows: payouts.map((p) => [
        p.id,
        p.orderId,
        p.productTitle,
        p.sellerId,
        p.sellerName,
        usd(p.amountCents),
        p.status,
        p.escrowUntil,
        p.availableAt,
        p.paidAt,
        p.paidBy,
        p.txHash,
        p.paidToAddress,
      ]),
    };
  },
};

export function createExportService({ db }: { db: Database }) {
  return {
    /** The table of `kind`, newest rows first, recorded in the audit log as read by this admin. */
    async table(admin: Moderator, kind: ExportKind, maxRows = MAX_EXPORT_ROWS): Promise<ExportTable> {
      return db.transaction(
        async (tx) => {
          const { header, rows } = await READERS[kind](tx, maxRows + 1);
          const truncated = rows.length > maxRows;
          const kept = rows.slice(0, maxRows);
          await recordAdminAction(tx, {
            adminId: admin.adminId,
            action: `export.${kind}`,
            details: { rows: kept.length, truncated },
          });
          return { kind, header, rows: kept, truncated };
        },
        { isolation: 'repeatable read' },
      );
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
