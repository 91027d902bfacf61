// The pool's wait quantiles are exact: the same values a sort of the recent samples gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentSamples } from '../../src/db/stats.ts';

function bySort(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1] as number),
    samples: sorted.length,
  };
}

test('quantiles equal a sort of the recent samples: random, sorted, reversed, repeated, partly filled', () => {
  const shapes: Record<string, (i: number) => number> = {
    random: () => Math.random() * 100,
    'long tail': () => (Math.random() < 0.02 ? 500 + Math.random() * 500 : Math.random() * 3),
    increasing: (i) => i * 0.5,
    decreasing: (i) => 10_000 - i,
    'few values': (i) => i % 3,
    constant: () => 7,
  };
  for (const [shape, value] of Object.entries(shapes)) {
    for (const count of [1, 2, 7, 100, 4096, 10_000]) {
      const samples = new RecentSamples(4096);
      const added = Array.from({ length: count }, (_, i) => value(i));
      for (const v of added) samples.add(v);
      const recent = added.slice(-4096);
      assert.deepEqual(samples.percentiles(), bySort(recent), `${shape}, ${count} samples`);
      assert.deepEqual(samples.percentiles(), bySort(recent), `${shape}, ${count} samples, asked twice`);
    }
  }
  assert.deepEqual(new RecentSamples().percentiles(), { p50: 0, p95: 0, p99: 0, max: 0, samples: 0 });
});

test('quantiles asked again within 100 ms are the last ones; later, the new samples count', () => {
  const samples = new RecentSamples(4096);
  samples.add(1);
  const first = samples.percentiles(1_000);
  assert.equal(first.samples, 1);
  samples.add(50);
  assert.deepEqual(samples.percentiles(1_050), first, 'computed 50 ms ago');
  assert.deepEqual(samples.percentiles(1_100), bySort([1, 50]), '100 ms later');
  assert.deepEqual(samples.percentiles(1_101), bySort([1, 50]), 'nothing new: the same');
});
