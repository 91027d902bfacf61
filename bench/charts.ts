// `npm run bench:charts`: how long one analytics chart takes. Cold: loading the module (ECharts,
// resvg) and the first render in a fresh process, as the bot's first /stats sees it. Warm: 50
// renders each of 30 and 90 days, revenue and sales, one after the other; the layout step
// (ECharts to SVG, which holds the event loop) is timed apart from the whole render (the
// rasterising to PNG runs on resvg's worker thread), and the CPU time of a render (all threads)
// is given beside its wall time, which other processes on a busy machine stretch.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const RENDERS = Number(process.env.BENCH_CHART_RENDERS ?? 50);
const WARM_UP = 5;

const started = performance.now();
const charts = await import('../src/charts/index.ts');
const { renderDailyChartSvg } = await import('../src/charts/render.ts');
const loaded = performance.now();

type Kind = 'revenue' | 'sales';

function input(kind: Kind, days: number) {
  const last = Date.UTC(2025, 10, 12);
  const series = Array.from({ length: days }, (_, index) => ({
    day: new Date(last - (days - 1 - index) * 86_400_000).toISOString().slice(0, 10),
    value: index % 4 === 1 ? 0 : kind === 'revenue' ? ((index * 37) % 11) * 999 + 1499 : (index * 7) % 5,
  }));
  return { kind, locale: 'fr' as const, title: kind === 'revenue' ? 'Chiffre d’affaires' : 'Ventes', series };
}

await charts.renderDailyChart(input('revenue', 30));
const firstRendered = performance.now();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

const cases = [30, 90].flatMap((days) =>
  (['revenue', 'sales'] as const).map((kind) => ({
    days,
    kind,
    chart: input(kind, days),
    layout: [] as number[],
    whole: [] as number[],
    cpu: [] as number[],
    bytes: 0,
  })),
);
// A few renders of each before timing, then the cases in turn, so JIT warm-up and load from
// other processes fall on all of them alike.
for (let round = -WARM_UP; round < RENDERS; round++) {
  for (const c of cases) {
    const t0 = performance.now();
    renderDailyChartSvg(c.chart);
    const t1 = performance.now();
    const cpu = process.cpuUsage();
    c.bytes = (await charts.renderDailyChart(c.chart)).length;
    const { user, system } = process.cpuUsage(cpu);
    if (round < 0) continue;
    c.layout.push(t1 - t0);
    c.whole.push(performance.now() - t1);
    c.cpu.push((user + system) / 1000);
  }
}
const rows = cases.map((c) => ({
  days: c.days,
  kind: c.kind,
  renders: RENDERS,
  layout: summary(c.layout),
  render: summary(c.whole),
  cpu: summary(c.cpu),
  pngBytes: c.bytes,
}));

const report = {
  node: process.version,
  loadAverage: os.loadavg()[0] ?? 0,
  cold: { loadModuleMs: round(loaded - started), firstRenderMs: round(firstRendered - loaded) },
  warm: rows,
};

console.log(`Cold: module load ${report.cold.loadModuleMs} ms, first render ${report.cold.firstRenderMs} ms`);
console.log(
  `Load average at the end: ${report.loadAverage.toFixed(1)} on ${os.availableParallelism()} cores`,
);
console.log('');
console.log(
  '| days | kind | renders | render p50 ms | render p95 ms | CPU p50 ms | layout p50 / p95 ms | PNG KB |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.days} | ${row.kind} | ${row.renders} | ${row.render.medianMs} | ${row.render.p95Ms} | ${row.cpu.medianMs} | ` +
      `${row.layout.medianMs} / ${row.layout.p95Ms} | ${(row.pngBytes / 1024).toFixed(1)} |`,
  );
}
await writeFile(new URL('./results/charts.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
console.log('Written to bench/results/charts.json');
