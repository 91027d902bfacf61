// The chart's design as an ECharts option: what a seller sees, decided from the data alone.
//
// Both kinds are bars, one per day: a day's revenue or sales is a total of its own, not a point
// on a curve, so no line suggests sales between two days, and a day without sales is an empty
// slot on the zero line (up to a month each slot has a faint column, so empty days still show
// as days). Revenue is green with amounts, sales blue with counts.

import type { BarSeriesOption } from 'echarts/charts';
import type { GraphicComponentOption, GridComponentOption, TitleComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { ChartFormat } from './format.ts';
import { type DailyPoint, dayToUtc } from './series.ts';

export type ChartKind = 'revenue' | 'sales';

export type DailyChartOption = ComposeOption<
  BarSeriesOption | GridComponentOption | TitleComponentOption | GraphicComponentOption
>;

export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 600;
export const FONT_FAMILY = 'Liberation Sans';

const MARGIN = 40;
const GRID_TOP = 180;
const GRID_BOTTOM = 24;
const TEXT = '#111827';
const MUTED = '#4b5563';
const GRID_LINE = '#e5e7eb';
const AXIS_LINE = '#9ca3af';
const COLOR: Record<ChartKind, string> = { revenue: '#059669', sales: '#2563eb' };
// Telegram shows the 1000 px picture about 360 points wide on a phone: 28 px reads as ~10 pt.
const TITLE_SIZE = 42;
const LABEL_SIZE = 28;

/** At most this many dates under the axis: "12 nov." at 28 px is ~100 px wide. */
const MAX_DAY_LABELS = 7;
const DAY_STEPS = [1, 2, 3, 5, 7, 14, 28];

/** Days between two labelled dates: 7 days → every day, 30 → every 5th, 90 → every 14th. */
export function dayLabelStep(days: number): number {
  const fits = DAY_STEPS.find((step) => Math.ceil(days / step) <= MAX_DAY_LABELS);
  return fits ?? Math.ceil(days / MAX_DAY_LABELS);
}

export interface ChartContent {
  readonly kind: ChartKind;
  readonly series: readonly DailyPoint[];
  readonly title: string;
  readonly subtitle?: string;
}

export function chartOption(content: ChartContent, format: ChartFormat): DailyChartOption {
  const { kind, series } = content;
  const values = series.map((point) => point.value);
  const total = values.reduce((sum, value) => sum + value, 0);
  const empty = total === 0;
  const days = series.map((point) => dayToUtc(point.day));
  const first = days[0];
  const last = days.at(-1);
  const period = first !== undefined && last !== undefined ? format.range(first, last) : '';
  // The period first: a long product name is what gets cut, never the dates.
  const subtitle = [period, content.subtitle].filter(Boolean).join(' · ');

  const step = dayLabelStep(series.length);
  // Counted back from the last day, so the latest day always carries its date.
  const labelled = (index: number) => (series.length - 1 - index) % step === 0;

  const color = COLOR[kind];
  const revenue = kind === 'revenue';
  const plotted = revenue ? values.map((cents) => cents / 100) : values;
  const maxPlotted = Math.max(0, ...plotted);
  const withCents = revenue && !empty && maxPlotted < 10;
  const pointLabel = (value: number) =>
    revenue ? format.money(Math.round(value * 100)) : format.count(value);
  // Every non-zero day gets its number while there is room for it; otherwise the best day only.
  const labelEveryDay = series.length <= (revenue ? 7 : 31);
  const bestIndex = empty ? -1 : plotted.lastIndexOf(maxPlotted);
  const data = plotted.map((value, index) => ({
    value,
    label: { show: value > 0 && (labelEveryDay || index === bestIndex) },
  }));

  const valueLabel = {
    position: 'top' as const,
    distance: 8,
    fontSize: LABEL_SIZE,
    fontWeight: 'bold' as const,
    color: TEXT,
    formatter: ({ value }: { value: unknown }) => pointLabel(Number(value)),
  };

  const dataSeries: BarSeriesOption = {
    type: 'bar',
    data,
    color,
    barCategoryGap: '30%',
    barMaxWidth: 90,
    // Up to a month, every day has a faint column: a day without sales reads as an empty day.
    showBackground: !empty && series.length <= 31,
    backgroundStyle: { color: '#f5f6f8', borderRadius: [6, 6, 0, 0] },
    itemStyle: { borderRadius: [6, 6, 0, 0] },
    label: valueLabel,
    labelLayout: { hideOverlap: true },
  };

  const totalText = revenue ? format.money(total) : format.count(total);
  // Room left of the total (up to "12 345,67 $US" in bold) and of its one-word caption.
  const titleWidth = CHART_WIDTH - 2 * MARGIN - 300;
  const subtitleWidth = CHART_WIDTH - 2 * MARGIN - 150;

  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY },
    title: [
      {
        text: content.title,
        subtext: subtitle,
        left: MARGIN,
        top: 28,
        itemGap: 12,
        textStyle: {
          fontSize: TITLE_SIZE,
          fontWeight: 'bold',
          color: TEXT,
          width: titleWidth,
          overflow: 'truncate',
          ellipsis: '…',
        },
        subtextStyle: {
          fontSize: LABEL_SIZE,
          color: MUTED,
          width: subtitleWidth,
          overflow: 'truncate',
          ellipsis: '…',
        },
      },
      {
        text: totalText,
        subtext: format.totalCaption(kind, total),
        // Anchored at its right edge, so the real text width (not ECharts' estimate) places it.
        left: CHART_WIDTH - MARGIN,
        top: 28,
        textAlign: 'right',
        itemGap: 12,
        textStyle: { fontSize: TITLE_SIZE, fontWeight: 'bold', color: empty ? MUTED : color },
        subtextStyle: { fontSize: LABEL_SIZE, color: MUTED },
      },
    ],
    grid: {
      left: MARGIN,
      right: MARGIN,
      top: GRID_TOP,
      bottom: GRID_BOTTOM,
      // Axis labels stay inside the margins: the plot shrinks to make room for them.
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    xAxis: {
      type: 'category',
      data: days.map((utc) => format.day(utc)),
      axisLine: { lineStyle: { color: AXIS_LINE, width: 2 } },
      axisTick: { interval: (index: number) => labelled(index), alignWithLabel: true, length: 8 },
      axisLabel: {
        interval: (index: number) => labelled(index),
        fontSize: LABEL_SIZE,
        color: MUTED,
        margin: 14,
      },
    },
    yAxis: {
      type: 'value',
      min: 0,
      // Nothing sold: a flat zero line under an empty scale, not ECharts' default 0–1 ticks.
      // Otherwise ticks in whole sales, and in whole dollars once the axis reaches $10.
      ...(empty ? { max: 4, interval: 1 } : { splitNumber: 4, minInterval: withCents ? 0 : 1 }),
      axisLabel: {
        fontSize: LABEL_SIZE,
        color: MUTED,
        formatter: (value: number) => {
          if (empty && value !== 0) return '';
          return revenue ? format.axisMoney(value, withCents) : format.count(value);
        },
      },
      splitLine: { lineStyle: { color: GRID_LINE, width: 2 } },
    },
    series: [{ ...dataSeries, silent: true }],
    graphic: empty ? [noSalesNotice(format.noSales)] : [],
  };
}

function noSalesNotice(text: string): GraphicComponentOption {
  const plotMiddle = (GRID_TOP + CHART_HEIGHT - GRID_BOTTOM) / 2;
  return {
    type: 'group',
    left: 'center',
    top: plotMiddle - 36,
    children: [
      {
        type: 'rect',
        z: 100,
        shape: { x: 0, y: 0, width: 560, height: 72, r: 36 },
        style: { fill: '#f3f4f6', stroke: '#d1d5db', lineWidth: 2 },
      },
      {
        type: 'text',
        z: 101,
        x: 280,
        y: 36,
        style: {
          text,
          fontSize: 32,
          fontWeight: 'bold',
          fontFamily: FONT_FAMILY,
          fill: MUTED,
          align: 'center',
          verticalAlign: 'middle',
        },
      },
    ],
  };
}
