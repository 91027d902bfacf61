// Memory stays flat whatever the file size: 300 MB written, then read back as a stream and
// through writeTo.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildProductKey, LocalFileStorage } from '../../src/storage/index.ts';

const MiB = 1024 * 1024;
const TOTAL_MIB = 300;
const LIMIT_MB = 50;

const root = await mkdtemp(join(tmpdir(), 'agora-memory-'));
test.after(() => rm(root, { recursive: true, force: true }));

const CHUNK = 64 * 1024; // what a socket typically hands over
const RING = 64; // far more chunks than a pipeline holds at once

/**
 * `mib` MiB of varying bytes, produced on demand, the expected hash computed as it goes.
 * Chunks come from a preallocated ring so the test measures what storage holds, not the
 * generator's garbage; were a chunk reused while storage still held it, the hash would differ.
 */
function generated(mib: number): { stream: Readable; sha256: () => string; next: (mib: number) => Readable } {
  const ring = Array.from({ length: RING }, () => Buffer.alloc(CHUNK));
  for (const chunk of ring) for (let i = 4; i < CHUNK; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
  const hash = createHash('sha256');
  let sent = 0;
  /** The next `part` MiB of the same sequence, as one stream (a chunk request of an upload). */
  const next = (part: number) => {
    const until = sent + (part * MiB) / CHUNK;
    return new Readable({
      read() {
        if (sent === until) {
          this.push(null);
          return;
        }
        const chunk = ring[sent % RING] as Buffer;
        chunk.writeUInt32LE(sent, 0);
        hash.update(chunk);
        sent++;
        this.push(chunk);
      },
    });
  };
  return { stream: next(mib), sha256: () => hash.digest('hex'), next };
}

/** A writable that hashes what it receives and calls back through `done`. */
function hashingSink(done: (callback: () => void) => void) {
  const hash = createHash('sha256');
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      done(callback);
    },
  });
  return { sink, received: () => ({ bytes, sha256: hash.digest('hex') }) };
}

// A full collection before each baseline, so one phase's garbage is not charged to the next.
// Nothing is collected by force during a measurement: GC lag counts against the limit.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Samples RSS while `work` runs; returns the peak growth over a settled baseline, in MB. */
async function peakRssGrowth(work: () => Promise<void>): Promise<number> {
  collectGarbage();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage.rss());
  return (peak - base) / 1e6;
}

test(`writing and reading ${TOTAL_MIB} MB keeps RSS growth under ${LIMIT_MB} MB`, async (t) => {
  const storage = new LocalFileStorage({
    dir: root,
    publicUrl: 'http://localhost:3000',
    signingSecret: 'memory-test-secret-0123456789abcdef',
  });
  const key = buildProductKey({ sellerId: 1, productId: 'BIG', kind: 'file', fileName: 'big.bin' });

  // Warm up code paths and buffers so the baseline is not charged to the big transfer.
  const warm = generated(4);
  await storage.put(key, warm.stream, { contentType: 'application/octet-stream' });
  for await (const _ of await storage.read(key));

  const source = generated(TOTAL_MIB);
  let written: { size: number; sha256: string } | undefined;
  const writeGrowth = await peakRssGrowth(async () => {
    written = await storage.put(key, source.stream, {
      contentType: 'application/octet-stream',
      size: TOTAL_MIB * MiB,
    });
  });
  assert.deepEqual(written, { size: TOTAL_MIB * MiB, sha256: source.sha256() });

  // Read as a stream into a writable; then written through two reused buffers (the download
  // route's way), to a destination that calls back later, as a socket does.
  const streamed = hashingSink((callback) => callback());
  const readGrowth = await peakRssGrowth(async () => pipeline(await storage.read(key), streamed.sink));
  assert.deepEqual(streamed.received(), { bytes: TOTAL_MIB * MiB, sha256: written?.sha256 });
  const sent = hashingSink((callback) => setImmediate(callback));
  const sendGrowth = await peakRssGrowth(async () => (await storage.read(key)).writeTo(sent.sink));
  assert.deepEqual(sent.received(), { bytes: TOTAL_MIB * MiB, sha256: written?.sha256 });

  let rangeBytes = 0;
  for await (const chunk of await storage.read(key, { start: 100 * MiB, end: 101 * MiB - 1 })) {
    rangeBytes += (chunk as Buffer).length;
  }
  assert.equal(rangeBytes, MiB);

  t.diagnostic(
    `RSS growth: write ${writeGrowth.toFixed(1)} MB, read ${readGrowth.toFixed(1)} MB, ` +
      `writeTo ${sendGrowth.toFixed(1)} MB`,
  );
  assert.ok(writeGrowth < LIMIT_MB, `write grew RSS by ${writeGrowth.toFixed(1)} MB`);
  assert.ok(readGrowth < LIMIT_MB, `read grew RSS by ${readGrowth.toFixed(1)} MB`);
  assert.ok(sendGrowth < LIMIT_MB, `writeTo grew RSS by ${sendGrowth.toFixed(1)} MB`);
});

test(`a resumable upload of ${TOTAL_MIB} MB in 8 MB chunks keeps RSS growth under ${LIMIT_MB} MB`, async (t) => {
  const storage = new LocalFileStorage({
    dir: root,
    publicUrl: 'http://localhost:3000',
    signingSecret: 'memory-test-secret-0123456789abcdef',
  });
  const key = buildProductKey({ sellerId: 1, productId: 'BIG', kind: 'file', fileName: 'chunked.bin' });
  const warm = await storage.startResumableUpload(key, { contentType: 'application/zip', size: 4 * MiB });
  await storage.appendChunk(warm, 0, generated(4).stream);
  await storage.completeResumableUpload(warm);

  const size = TOTAL_MIB * MiB;
  const source = generated(0);
  const upload = await storage.startResumableUpload(key, { contentType: 'application/zip', size });
  let done: { size: number; sha256: string } | undefined;
  const growth = await peakRssGrowth(async () => {
    for (let offset = 0; offset < size; offset += 8 * MiB) {
      await storage.appendChunk(upload, offset, source.next(Math.min(8, (size - offset) / MiB)));
    }
    done = await storage.completeResumableUpload(upload);
  });
  assert.equal(done?.size, size);
  assert.equal(done?.sha256, source.sha256());
  t.diagnostic(`RSS growth: chunked upload ${growth.toFixed(1)} MB`);
  assert.ok(growth < LIMIT_MB, `the chunked upload grew RSS by ${growth.toFixed(1)} MB`);
});
