// The seller's exports, sent as CSV documents from the analytics screen: sales (date, order,
// product, price, fee, status, payout status, delivery) and products. Column names are stable English
// identifiers for spreadsheets and accountants; amounts are dollars with two decimals; text
// that a spreadsheet would run as a formula is escaped by toCsv.
import { Composer } from 'grammy';
import type { ProductLine, SaleLine } from '../../../services/analytics.ts';
import { EXPORT_MAX_ROWS } from '../../../services/analytics.ts';
import type { BotContext } from '../../context.ts';
import { answerAlert, attempt } from '../../refusals.ts';
import { replyWithCsv } from '../../ui/documents.ts';
import { SELL, type SellDeps } from './state.ts';

const dollars = (cents: number) => (cents / 100).toFixed(2);

const SALES_HEADER = [
  'date',
  'order_id',
  'product_id',
  'product',
  'price_usd',
  'fee_usd',
  'status',
  'payout_status',
  'payout_paid_at',
  'payout_tx_hash',
  'delivered_at',
  'delivery_blocked_at',
] as const;

function saleRow(line: SaleLine) {
  return [
    line.paidAt,
    line.orderId,
    line.productId,
    line.productTitle,
    dollars(line.priceCents),
    dollars(line.feeCents),
    line.status,
    line.payoutStatus,
    line.payoutPaidAt,
    line.payoutTxHash,
    line.deliveredAt,
    line.deliveryBlockedAt,
  ];
}

const PRODUCTS_HEADER = [
  'product_id',
  'title',
  'category',
  'status',
  'price_usd',
  'views',
  'sales',
  'revenue_usd',
  'rating',
  'reviews',
  'file_version',
  'created_at',
  'ban_reason',
] as const;

function productRow(line: ProductLine) {
  return [
    line.id,
    line.title,
    line.categorySlug,
    line.status,
    dollars(line.priceCents),
    line.views,
    line.sales,
    dollars(line.revenueCents),
    line.rating,
    line.reviews,
    line.version,
    line.createdAt,
    line.banReason,
  ];
}

/** "sales-2026-12-01.csv": the export's name carries its day. */
function fileName(what: 'sales' | 'products'): string {
  return `${what}-${new Date().toISOString().slice(0, 10)}.csv`;
}

export function exportsComposer(deps: SellDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { analytics } = deps.services;

  composer.callbackQuery(SELL.exportSales, async (ctx) => {
    const lines = await attempt(ctx, () => analytics.salesExport(ctx.from.id));
    if (!lines.ok) return answerAlert(ctx, lines.message);
    if (lines.value.length === 0) return answerAlert(ctx, ctx.t('sell-export-empty'));
    await ctx.answerCallbackQuery();
    const count = lines.value.length;
    await replyWithCsv(
      ctx,
      fileName('sales'),
      { header: SALES_HEADER, rows: lines.value.map(saleRow) },
      ctx.t('sell-export-sales', { count, capped: count >= EXPORT_MAX_ROWS ? 'yes' : 'no' }),
    );
  });

  composer.callbackQuery(SELL.exportProducts, async (ctx) => {
    const lines = await attempt(ctx, () => analytics.productsExport(ctx.from.id));
    if (!lines.ok) return answerAlert(ctx, lines.message);
    if (lines.value.length === 0) return answerAlert(ctx, ctx.t('sell-export-empty'));
    await ctx.answerCallbackQuery();
    await replyWithCsv(
      ctx,
      fileName('products'),
      { header: PRODUCTS_HEADER, rows: lines.value.map(productRow) },
      ctx.t('sell-export-products', { count: lines.value.length }),
    );
  });

  return composer;
}
