// Seller analytics charts: a daily revenue or sales series in, a 1000×600 PNG out.
export type { ChartLocale } from './format.ts';
export type { ChartKind } from './option.ts';
export { type DailyChartInput, renderDailyChart } from './render.ts';
export type { DailyPoint } from './series.ts';
