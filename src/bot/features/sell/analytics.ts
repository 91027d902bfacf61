// Seller analytics, from the dashboard (and /stats through it) or from one product: revenue,
// sales, views, conversion and rating over 7, 30 or 90 days against the period before, the top
// 5, and two charts (revenue and sales per day) rendered in-process as pictures. The charts come
// first, then the summary with the buttons, so the buttons stay at the bottom of the chat; a
// period button edits the three messages in place.
import { Composer, GrammyError, InputFile } from 'grammy';
import { renderDailyChart } from '../../../charts/index.ts';
import {
  ANALYTICS_PERIODS,
  type AnalyticsPeriod,
  isAnalyticsPeriod,
  type PeriodReport,
  type PeriodTotals,
  type ProductAnalytics,
  type SellerAnalytics,
} from '../../../services/analytics.ts';
import type { BotContext } from '../../context.ts';
import { answerAlert, attempt } from '../../refusals.ts';
import { actionPattern, type CallbackData, callbackData } from '../../ui/callback-data.ts';
import { formatCount, formatDate, formatMoney, formatPercent } from '../../ui/format.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import type { Screen } from '../../ui/screen.ts';
import { truncate } from '../../ui/text.ts';
import { dashboardButton } from './dashboard.ts';
import { ratingLabel } from './product-screen.ts';
import { SELL, SELL_BUTTONS, type SellDeps, sellSession } from './state.ts';

const TOP_TITLE_CHARS = 40;
const NOT_MODIFIED = /message is not modified/i;

type Scope = { kind: 'seller' } | { kind: 'product'; productId: string };

function periodData(scope: Scope, days: AnalyticsPeriod): CallbackData {
  return scope.kind === 'seller'
    ? callbackData(SELL.analytics, days)
    : callbackData(SELL.productAnalytics, scope.productId, days);
}

/** "(▲ +12.5%)", "(▼ −4%)", "(=)" or "(▲ new)": how a total moved against the period before. */
function movement(ctx: BotContext, current: number, previous: number): string {
  if (current === previous) return ctx.t('sell-analytics-same');
  if (previous === 0) return ctx.t('sell-analytics-new');
  const percent = (100 * (current - previous)) / previous;
  return `(${current > previous ? '▲' : '▼'} ${formatPercent(ctx.locale.language, percent, { signed: true })})`;
}

/** The difference of two rates or averages (conversion points, stars), "" when either is missing. */
function gap(
  ctx: BotContext,
  current: number | null,
  previous: number | null,
  unit: 'points' | 'stars',
): string {
  if (current === null || previous === null) return '';
  const delta = Math.round(10 * (current - previous)) / 10;
  if (delta === 0) return ctx.t('sell-analytics-same');
  const value = `${delta > 0 ? '▲ +' : '▼ −'}${formatCount(ctx.locale.language, Math.abs(delta))}`;
  return `(${unit === 'points' ? ctx.t('sell-analytics-points', { value }) : value})`;
}

function metricLines(ctx: BotContext, current: PeriodTotals, previous: PeriodTotals): string[] {
  const language = ctx.locale.language;
  const change = (now: number, before: number) => ` ${movement(ctx, now, before)}`;
  const difference = (now: number | null, before: number | null, unit: 'points' | 'stars') => {
    const text = gap(ctx, now, before, unit);
    return text === '' ? '' : ` ${text}`;
  };
  return [
    ctx.t('sell-analytics-revenue', {
      value: formatMoney(language, current.revenueCents),
      change: change(current.revenueCents, previous.revenueCents),
    }),
    ctx.t('sell-analytics-sales', {
      value: current.sales,
      change: change(current.sales, previous.sales),
    }),
    ctx.t('sell-analytics-views', {
      value: current.views,
      change: change(current.views, previous.views),
    }),
    ctx.t('sell-analytics-conversion', {
      value: current.conversionPercent === null ? '—' : formatPercent(language, current.conversionPercent),
      change: difference(current.conversionPercent, previous.conversionPercent, 'points'),
    }),
    ctx.t('sell-analytics-rating', {
      value: ratingLabel(ctx, current.rating),
      reviews: current.reviews,
      change: difference(current.rating, previous.rating, 'stars'),
    }),
  ];
}

function summaryScreen(ctx: BotContext, scope: Scope, report: SellerAnalytics | ProductAnalytics): Screen {
  const language = ctx.locale.language;
  const period = {
    days: report.days,
    from: formatDate(language, new Date(`${report.daily[0]?.day}T00:00:00Z`)),
    to: formatDate(language, new Date(`${report.daily.at(-1)?.day}T00:00:00Z`)),
  };
  const header =
    'product' in report
      ? ctx.t('sell-analytics-product-title', { title: report.product.title, ...period })
      : ctx.t('sell-analytics-title', period);
  const lines = [header, metricLines(ctx, report.current, report.previous).join('\n')];
  if ('top' in report) {
    const top = report.top.map((p, i) =>
      ctx.t('sell-analytics-top-line', {
        n: i + 1,
        title: truncate(p.title, TOP_TITLE_CHARS),
        revenue: formatMoney(language, p.revenueCents),
        sales: p.sales,
      }),
    );
    lines.push(
      [ctx.t('sell-analytics-top'), ...(top.length > 0 ? top : [ctx.t('sell-analytics-top-none')])].join(
        '\n',
      ),
    );
  }
  const periods = ANALYTICS_PERIODS.map((days) =>
    button(
      `${days === report.days ? '✅ ' : ''}${ctx.t('sell-analytics-period', { days })}`,
      periodData(scope, days),
    ),
  );
  const footer =
    scope.kind === 'seller'
      ? [
          [
            button(ctx.t('sell-button-export-sales'), SELL_BUTTONS.exportSales),
            button(ctx.t('sell-button-export-products'), SELL_BUTTONS.exportProducts),
          ],
          [dashboardButton(ctx)],
        ]
      : [
          [
            button(ctx.t('sell-button-open-product'), callbackData(SELL.product, scope.productId)),
            dashboardButton(ctx),
          ],
        ];
  return { text: lines.join('\n\n'), keyboard: keyboard(periods, ...footer) };
}

interface Chart {
  png: Buffer;
  fileName: string;
  caption: string;
}

/** The revenue and the sales chart of the period, in the seller's language. */
async function charts(ctx: BotContext, report: PeriodReport, subtitle: string): Promise<Chart[]> {
  const locale = ctx.locale.language;
  const days = report.days;
  const [revenue, sales] = await Promise.all([
    renderDailyChart({
      kind: 'revenue',
      series: report.daily.map((d) => ({ day: d.day, value: d.revenueCents })),
      locale,
      title: ctx.t('sell-chart-revenue'),
      subtitle,
    }),
    renderDailyChart({
      kind: 'sales',
      series: report.daily.map((d) => ({ day: d.day, value: d.sales })),
      locale,
      title: ctx.t('sell-chart-sales'),
      subtitle,
    }),
  ]);
  return [
    {
      png: revenue,
      fileName: `revenue-${days}d.png`,
      caption: ctx.t('sell-analytics-chart-revenue', { days }),
    },
    { png: sales, fileName: `sales-${days}d.png`, caption: ctx.t('sell-analytics-chart-sales', { days }) },
  ];
}

/** Edits the last analytics messages in place when the press came from their summary; false otherwise. */
async function editShown(ctx: BotContext, shownCharts: Chart[], summary: Screen): Promise<boolean> {
  const shown = sellSession(ctx).analytics;
  const pressed = ctx.callbackQuery?.message;
  const chatId = ctx.chat?.id;
  if (!shown || !pressed || pressed.message_id !== shown.summaryId || chatId === undefined) return false;
  try {
    for (const [i, chart] of shownCharts.entries()) {
      const messageId = shown.chartIds[i];
      if (messageId === undefined) return false;
      const media = new InputFile(chart.png, chart.fileName);
      await ctx.api
        .editMessageMedia(chatId, messageId, {
          type: 'photo',
          media,
          caption: chart.caption,
          parse_mode: 'HTML',
        })
        .catch((error: unknown) => {
          if (!(error instanceof GrammyError && NOT_MODIFIED.test(error.description))) throw error;
        });
    }
    await ctx.editMessageText(String(summary.text), {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(summary.keyboard ? { reply_markup: summary.keyboard } : {}),
    });
    return true;
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    // Deleted or too old: send a fresh set instead.
    return false;
  }
}

async function showAnalytics(ctx: BotContext, deps: SellDeps, scope: Scope, days: number): Promise<void> {
  const actorId = ctx.from?.id ?? 0;
  const loaded = await attempt<SellerAnalytics | ProductAnalytics>(ctx, () =>
    scope.kind === 'seller'
      ? deps.services.analytics.summary(actorId, days)
      : deps.services.analytics.product(actorId, scope.productId, days),
  );
  if (!loaded.ok) return answerAlert(ctx, loaded.message);
  const report = loaded.value;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
  const subtitle = 'product' in report ? report.product.title : ctx.t('sell-chart-all-products');
  const pictures = await charts(ctx, report, subtitle);
  const summary = summaryScreen(ctx, scope, report);
  if (await editShown(ctx, pictures, summary)) return;
  const chartIds: number[] = [];
  for (const chart of pictures) {
    const sent = await ctx.replyWithPhoto(new InputFile(chart.png, chart.fileName), {
      caption: chart.caption,
      parse_mode: 'HTML',
    });
    chartIds.push(sent.message_id);
  }
  const sent = await ctx.reply(String(summary.text), {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(summary.keyboard ? { reply_markup: summary.keyboard } : {}),
  });
  sellSession(ctx).analytics = { chartIds, summaryId: sent.message_id };
}

export function analyticsComposer(deps: SellDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.callbackQuery(actionPattern(SELL.analytics, 1), (ctx) => {
    const days = Number(ctx.match[1]);
    if (!isAnalyticsPeriod(days)) return answerAlert(ctx, ctx.t('button-expired'));
    return showAnalytics(ctx, deps, { kind: 'seller' }, days);
  });

  composer.callbackQuery(actionPattern(SELL.productAnalytics, 2), (ctx) => {
    const days = Number(ctx.match[2]);
    if (!isAnalyticsPeriod(days)) return answerAlert(ctx, ctx.t('button-expired'));
    return showAnalytics(ctx, deps, { kind: 'product', productId: ctx.match[1] ?? '' }, days);
  });

  return composer;
}
