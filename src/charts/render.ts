// Daily charts as PNG, rendered in-process: ECharts lays the chart out as an SVG string (its
// server-side renderer, no DOM), resvg rasterises it with the font shipped in assets/fonts.
// Deterministic: no animation, no clock, no system font (a missing glyph never falls back to
// whatever the machine has), so the same input gives the same bytes on every machine.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
// The single-file build: it loads in ~0.15 s where the per-module `echarts/core` tree takes ~1 s.
import { init } from 'echarts/dist/echarts.esm.mjs';
import { type ChartLocale, chartFormat } from './format.ts';
import { CHART_HEIGHT, CHART_WIDTH, type ChartContent, chartOption, FONT_FAMILY } from './option.ts';
import { assertDailySeries } from './series.ts';

const FONT_DIR = join(import.meta.dirname, '../../assets/fonts');
// Liberation Sans has Arial's metrics, which is what ECharts' built-in text measurer assumes
// when there is no canvas: label widths it computes match what resvg draws.
const FONT_FILES = ['LiberationSans-Regular.ttf', 'LiberationSans-Bold.ttf'].map((file) =>
  join(FONT_DIR, file),
);

// resvg silently draws no text when a font file is missing: say so at start instead.
for (const file of FONT_FILES) if (!existsSync(file)) throw new Error(`chart font missing: ${file}`);

export interface DailyChartInput extends ChartContent {
  readonly locale: ChartLocale;
}

/** The chart as an SVG document (1000×600). Throws a RangeError on a malformed series. */
export function renderDailyChartSvg(input: DailyChartInput): string {
  assertDailySeries(input.series);
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption(chartOption(input, chartFormat(input.locale)));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * Renders a daily revenue or sales chart as a 1000×600 PNG. Rasterising, the longest step, runs
 * on resvg's worker thread; the layout and the PNG encoding run on the caller's.
 */
export async function renderDailyChart(input: DailyChartInput): Promise<Buffer> {
  const svg = renderDailyChartSvg(input);
  const image = await renderAsync(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: FONT_FILES,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    fitTo: { mode: 'original' },
  });
  return image.asPng();
}
