// Where the pipelines place one-shot statements, given what each is expected to cost: the rule
// alone, on stand-in connections (the statements themselves run in pipelining.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lease } from '../../src/db/lease.ts';
import { type PipelineHost, Pipelines, type SharedConnection } from '../../src/db/pipeline.ts';

const PACK_MS = 2;

function pipelines(max = 10) {
  const leases: { lostError: undefined; oldestAskedAt: number | undefined }[] = [];
  let opened = 0;
  const host: PipelineHost = {
    checkOut: async () => {
      const lease = { lostError: undefined, oldestAskedAt: undefined };
      leases.push(lease);
      return lease as unknown as Lease;
    },
    giveBack: () => {},
    hasFreeConnection: () => opened < max,
    scopeWaiting: () => false,
    retiring: () => false,
    waiting: () => 0,
    queueFull: () => new Error('queue full'),
    saturated: () => new Error('saturated'),
    failed: () => undefined,
  };
  const placed = new Pipelines(host, {
    depth: 100,
    packMs: PACK_MS,
    acquireTimeoutMs: 1_000,
    maxWaiters: 100,
  });
  const take = (costMs: number) => {
    const shared = placed.take(costMs) as SharedConnection;
    if (!(shared instanceof Promise) && shared.assigned === 1) opened++;
    return shared;
  };
  return { take, leases };
}

test('quick statements pack onto one connection while it is expected to be busy for at most 2 ms', () => {
  const { take } = pipelines();
  const quick = Array.from({ length: 20 }, () => take(0.05));
  assert.equal(new Set(quick).size, 1, '20 statements of 50 µs: one connection');
  assert.notEqual(take(1.5), quick[0], 'one of 1.5 ms would make it 2.5 ms: another connection');
  assert.equal(take(0.5), quick[0], 'one of 0.5 ms still fits');
});

test('slow statements, and statements not seen yet, take a connection each while one is free', () => {
  const { take } = pipelines();
  const slow = Array.from({ length: 10 }, () => take(PACK_MS));
  assert.equal(new Set(slow).size, 10);
});

test('a quick statement does not join a connection whose oldest statement was asked 2 ms ago or more', async () => {
  const { take, leases } = pipelines();
  const first = take(0.05);
  await first.ready;
  const lease = leases[0];
  assert.ok(lease);
  lease.oldestAskedAt = performance.now();
  assert.equal(take(0.05), first, 'asked just now: it keeps up');
  lease.oldestAskedAt = performance.now() - 10;
  assert.notEqual(take(0.05), first, 'still unanswered after 10 ms: it does not');
});
