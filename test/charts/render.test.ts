import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { type DailyChartInput, type DailyPoint, renderDailyChart } from '../../src/charts/index.ts';
import { renderDailyChartSvg } from '../../src/charts/render.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const REVENUE_GREEN = [0x05, 0x96, 0x69];
const SALES_BLUE = [0x25, 0x63, 0xeb];

/** `days` consecutive days ending 2025-11-12, valued by `value(index)`. */
function series(days: number, value: (index: number) => number): DailyPoint[] {
  const last = Date.UTC(2025, 10, 12);
  return Array.from({ length: days }, (_, index) => ({
    day: new Date(last - (days - 1 - index) * 86_400_000).toISOString().slice(0, 10),
    value: value(index),
  }));
}

// Uneven, with zero days: a seller's month, not a staircase.
const sample = (index: number) => (index % 4 === 1 ? 0 : ((index * 37) % 11) * 999 + 1499);

function chart(overrides: Partial<DailyChartInput> = {}): DailyChartInput {
  return { kind: 'revenue', locale: 'en', title: 'Revenue', series: series(30, sample), ...overrides };
}

/** Width and height as the PNG's IHDR chunk states them. */
function headerSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, 'a PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function decode(png: Buffer) {
  const image = PNG.sync.read(png);
  const colours = new Set<number>();
  for (let i = 0; i < image.data.length; i += 4) colours.add(image.data.readUInt32BE(i));
  const pixelsOf = ([r, g, b]: number[]) => {
    let count = 0;
    for (let i = 0; i < image.data.length; i += 4) {
      if (image.data[i] === r && image.data[i + 1] === g && image.data[i + 2] === b) count++;
    }
    return count;
  };
  return { width: image.width, height: image.height, distinctColours: colours.size, pixelsOf };
}

/** The date labels under the x-axis, as ECharts wrote them. */
function dayLabels(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
    .map((match) => match[1] ?? '')
    .filter((text) => /^(\d{1,2} [a-zé]+\.?|[A-Z][a-z]{2} \d{1,2})$/u.test(text));
}

describe('renderDailyChart', () => {
  for (const days of [0, 1, 90]) {
    test(`${days} day${days === 1 ? '' : 's'} of data: a 1000×600 PNG with a drawn chart`, async () => {
      const png = await renderDailyChart(chart({ series: series(days, sample) }));
      assert.deepEqual(headerSize(png), { width: 1000, height: 600 });
      const image = decode(png);
      assert.deepEqual({ width: image.width, height: image.height }, { width: 1000, height: 600 });
      // Anti-aliased text, bars, grid: far more than a blank or flat canvas has.
      assert.ok(image.distinctColours >= 50, `${image.distinctColours} distinct colours`);
      const barPixels = image.pixelsOf(REVENUE_GREEN);
      if (days === 0) assert.equal(barPixels, 0, 'no day, no bar');
      else assert.ok(barPixels > 1000, `${barPixels} pixels of bars`);
    });
  }

  test('the same input gives the same bytes, whatever was rendered in between', async () => {
    const first = await renderDailyChart(chart());
    await renderDailyChart(chart({ kind: 'sales', locale: 'fr', series: series(90, (i) => i % 5) }));
    const again = await renderDailyChart(chart());
    assert.ok(first.equals(again));
  });

  test('different data gives a different picture', async () => {
    const base = await renderDailyChart(chart());
    const oneDayMore = series(30, sample).map((point, index) =>
      index === 29 ? { ...point, value: point.value + 100 } : point,
    );
    assert.ok(!base.equals(await renderDailyChart(chart({ series: oneDayMore }))));
  });

  test('the title is drawn with the shipped font', async () => {
    const a = await renderDailyChart(chart({ title: 'Revenue' }));
    const b = await renderDailyChart(chart({ title: 'Revenus' }));
    assert.ok(!a.equals(b), 'text reaches the picture');
  });

  test('French and English charts differ', async () => {
    const en = await renderDailyChart(chart({ locale: 'en', title: 'Sales' }));
    const fr = await renderDailyChart(chart({ locale: 'fr', title: 'Sales' }));
    assert.ok(!en.equals(fr));
  });

  test('sales are blue bars, revenue green ones', async () => {
    const sales = decode(await renderDailyChart(chart({ kind: 'sales', series: series(30, (i) => i % 3) })));
    assert.ok(sales.pixelsOf(SALES_BLUE) > 1000);
    assert.equal(sales.pixelsOf(REVENUE_GREEN), 0);
  });

  test('a period without sales draws no bar', async () => {
    for (const kind of ['revenue', 'sales'] as const) {
      const image = decode(await renderDailyChart(chart({ kind, series: series(7, () => 0) })));
      assert.equal(image.pixelsOf(kind === 'revenue' ? REVENUE_GREEN : SALES_BLUE), 0, kind);
    }
  });
});

describe('chart labels', () => {
  test('amounts and dates in the seller’s language', () => {
    const bestDay = series(7, (i) => (i === 3 ? 123_450 : 0));
    const en = renderDailyChartSvg(chart({ locale: 'en', series: bestDay }));
    const fr = renderDailyChartSvg(chart({ locale: 'fr', series: bestDay }));
    assert.ok(en.includes('>$1,234.50<'), 'en amount');
    assert.ok(fr.includes('>1\u202f234,50\u00a0$US<'), 'fr amount');
    assert.deepEqual(dayLabels(en), ['Nov 6', 'Nov 7', 'Nov 8', 'Nov 9', 'Nov 10', 'Nov 11', 'Nov 12']);
    assert.deepEqual(dayLabels(fr), [
      '6 nov.',
      '7 nov.',
      '8 nov.',
      '9 nov.',
      '10 nov.',
      '11 nov.',
      '12 nov.',
    ]);
    assert.ok(en.includes('>Nov 6\u2009–\u200912, 2025<'), 'en period');
    assert.ok(fr.includes('>6–12 nov. 2025<'), 'fr period');
  });

  test('sales are counted with the plural the language wants', () => {
    const svg = (locale: 'fr' | 'en', total: number) =>
      renderDailyChartSvg(chart({ kind: 'sales', locale, series: series(7, (i) => (i === 6 ? total : 0)) }));
    assert.ok(svg('en', 1).includes('>sale<') && svg('en', 2).includes('>sales<'));
    assert.ok(svg('fr', 1).includes('>vente<') && svg('fr', 2).includes('>ventes<'));
  });

  test('dates stay readable at 7, 30 and 90 days, the latest day always labelled', () => {
    for (const [days, expected] of [
      [7, 7],
      [30, 6],
      [90, 7],
    ] as const) {
      const labels = dayLabels(renderDailyChartSvg(chart({ series: series(days, sample) })));
      assert.equal(labels.length, expected, `${days} days: ${labels.join(', ')}`);
      assert.equal(labels.at(-1), 'Nov 12');
    }
  });

  test('a period without sales says so, in the seller’s language', () => {
    const zero = series(7, () => 0);
    assert.ok(
      renderDailyChartSvg(chart({ locale: 'en', series: zero })).includes('>No sales in this period<'),
    );
    assert.ok(
      renderDailyChartSvg(chart({ locale: 'fr', series: zero })).includes('>Aucune vente sur cette période<'),
    );
    assert.ok(!renderDailyChartSvg(chart()).includes('No sales in this period'));
  });

  test('a subtitle follows the period', () => {
    const svg = renderDailyChartSvg(chart({ series: series(7, sample), subtitle: 'Budget planner' }));
    assert.ok(svg.includes('>Nov 6\u2009–\u200912, 2025 · Budget planner<'));
  });
});

describe('chart input', () => {
  const bad: [string, DailyPoint[], RegExp][] = [
    ['a missing day', [...series(3, sample).slice(0, 1), ...series(3, sample).slice(2)], /consecutive/],
    ['days out of order', series(3, sample).reverse(), /consecutive/],
    ['an impossible day', [{ day: '2025-02-30', value: 1 }], /calendar day/],
    ['a day in another format', [{ day: '12/11/2025', value: 1 }], /calendar day/],
    ['a negative value', series(2, () => -1), /whole number/],
    ['a fraction of a cent', series(2, () => 12.5), /whole number/],
  ];
  for (const [what, input, message] of bad) {
    test(`${what} is refused`, async () => {
      await assert.rejects(renderDailyChart(chart({ series: input })), (error: Error) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  test('an unknown locale is refused', async () => {
    await assert.rejects(renderDailyChart(chart({ locale: 'de' as 'en' })), RangeError);
  });
});
