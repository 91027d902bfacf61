// The S3 backend through the real AWS SDK client, against the local S3 double.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import {
  buildProductKey,
  contentDisposition,
  InvalidArgumentError,
  InvalidKeyError,
  ObjectNotFoundError,
  RangeNotSatisfiableError,
  S3FileStorage,
  SizeMismatchError,
  TooLargeError,
} from '../../src/storage/index.ts';
import { startS3Double } from './s3-double.ts';
import { UNSAFE_KEYS } from './support.ts';

const MiB = 1024 * 1024;
const credentials = {
  bucket: 'agora-files',
  region: 'auto',
  accessKeyId: 'AKIDAGORATEST',
  secretAccessKey: 'test-secret',
};
let skewMs = 0; // moves the double's clock, to expire presigned URLs
const double = await startS3Double({ ...credentials, now: () => Date.now() + skewMs });
const storage = new S3FileStorage({
  ...credentials,
  endpoint: double.endpoint,
  forcePathStyle: true,
  partSizeBytes: 5 * MiB,
  multipartConcurrency: 2,
  maxUploadBytes: 50 * MiB,
});
test.after(async () => {
  await storage.close();
  await double.close();
});

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const key = (name = 'file.bin') =>
  buildProductKey({ sellerId: 7, productId: 'P1', kind: 'file', fileName: name });

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `total` bytes of a recognisable pattern, in uneven chunks as a socket would deliver them. */
function patterned(total: number): { data: Buffer; stream: () => Readable } {
  const data = Buffer.alloc(total);
  for (let i = 0; i < total; i++) data[i] = (i * 31 + (i >> 12)) & 0xff;
  const stream = () => {
    const chunks: Buffer[] = [];
    for (let at = 0, n = 1; at < total; at += n, n = (n * 7 + 12_345) % 300_000) {
      chunks.push(data.subarray(at, Math.min(total, at + n)));
    }
    return Readable.from(chunks);
  };
  return { data, stream };
}

const requestsFor = (k: string) => double.requests.filter((r) => r.key === k);

test('put, stat, read, range, exists, delete', async () => {
  const k = key('notes.txt');
  assert.deepEqual(await storage.put(k, Buffer.from('0123456789'), { contentType: 'text/plain' }), {
    size: 10,
    sha256: sha256('0123456789'),
  });
  assert.deepEqual(await storage.stat(k), { size: 10, contentType: 'text/plain' });
  assert.equal(await storage.exists(k), true);
  assert.equal((await bytes(await storage.read(k))).toString(), '0123456789');
  assert.equal((await bytes(await storage.read(k, { start: 2, end: 4 }))).toString(), '234');
  assert.equal((await bytes(await storage.read(k, { start: 7 }))).toString(), '789');
  assert.equal((await bytes(await storage.read(k, { end: 1 }))).toString(), '01');
  assert.equal((await bytes(await storage.read(k, { start: 8, end: 99 }))).toString(), '89');
  assert.equal(
    requestsFor(k).find((r) => r.method === 'GET' && r.headers.range === 'bytes=2-4')?.headers.range,
    'bytes=2-4',
  );
  await assert.rejects(storage.read(k, { start: 10 }), RangeNotSatisfiableError);
  await assert.rejects(storage.read(k, { start: 3, end: 2 }), InvalidArgumentError);

  await storage.delete(k);
  assert.equal(await storage.stat(k), null);
  assert.equal(await storage.exists(k), false);
  await assert.rejects(storage.read(k), ObjectNotFoundError);
  await storage.delete(k);
});

test('a small stream is one PutObject; the SDK sends no checksum headers B2 would refuse', async () => {
  const k = key();
  const { data, stream } = patterned(300_000);
  assert.deepEqual(await storage.put(k, stream(), { contentType: 'application/pdf', size: data.length }), {
    size: data.length,
    sha256: sha256(data),
  });
  assert.deepEqual(double.objects.get(k)?.body, data);
  assert.deepEqual(
    requestsFor(k).map((r) => r.method),
    ['PUT'],
  );
  for (const request of double.requests) {
    const names = [...Object.keys(request.headers), ...request.query.keys()].map((n) => n.toLowerCase());
    assert.ok(!names.some((n) => n.includes('checksum')), names.join(','));
  }
});

test('a large stream goes up in equal parts with bounded concurrency', async () => {
  const k = key('course.zip');
  const { data, stream } = patterned(12 * MiB + 12_345);
  double.peakConcurrentParts = 0;
  const result = await storage.put(k, stream(), { contentType: 'application/zip' });
  assert.deepEqual(result, { size: data.length, sha256: sha256(data) });
  const stored = double.objects.get(k);
  assert.ok(stored?.body.equals(data));
  assert.equal(stored?.contentType, 'application/zip');
  assert.match(stored?.etag ?? '', /-3"$/, 'three parts: 5 MiB, 5 MiB and the rest');
  assert.ok(
    double.peakConcurrentParts >= 1 && double.peakConcurrentParts <= 2,
    `${double.peakConcurrentParts}`,
  );
  assert.equal(double.openUploads.size, 0);
  assert.ok(sha256(await bytes(await storage.read(k))) === sha256(data));
  const tail = await bytes(await storage.read(k, { start: 10 * MiB }));
  assert.ok(tail.equals(data.subarray(10 * MiB)));

  // A Buffer larger than a part takes the same path.
  const k2 = key('buffer.bin');
  assert.equal((await storage.put(k2, data, { contentType: 'application/zip' })).sha256, sha256(data));
  assert.ok(double.objects.get(k2)?.body.equals(data));
});

test('a failed multipart upload is aborted and leaves no object', async () => {
  const short = key();
  const { stream } = patterned(11 * MiB);
  await assert.rejects(
    storage.put(short, stream(), { contentType: 'application/zip', size: 12 * MiB }),
    SizeMismatchError,
  );
  const long = key();
  await assert.rejects(
    storage.put(long, stream(), { contentType: 'application/zip', size: 6 * MiB }),
    TooLargeError,
  );
  const broken = key();
  const { data } = patterned(6 * MiB);
  const failing = new Readable({
    read() {
      this.push(data);
      this.destroy(new Error('seller connection lost'));
    },
  });
  await assert.rejects(
    storage.put(broken, failing, { contentType: 'application/zip' }),
    /seller connection lost/,
  );
  for (const k of [short, long, broken]) {
    assert.equal(double.objects.has(k), false);
    assert.ok(
      requestsFor(k).some((r) => r.method === 'DELETE' && r.query.has('uploadId')),
      'aborted',
    );
  }
  assert.equal(double.openUploads.size, 0);
});

test('a presigned PUT binds key, size and content type', async () => {
  const k = key('book.pdf');
  const body = Buffer.from('%PDF-1.7 a small book');
  const target = await storage.uploadUrl(k, {
    contentType: 'application/pdf',
    size: body.length,
    expiresInSec: 120,
  });
  assert.equal(target.method, 'PUT');
  assert.deepEqual(target.headers, { 'Content-Type': 'application/pdf', 'If-None-Match': '*' });
  const url = new URL(target.url);
  assert.equal(url.origin, double.endpoint);
  assert.equal(url.pathname, `/agora-files/${k}`);
  assert.ok(url.searchParams.get('X-Amz-Signature'));
  assert.equal(url.searchParams.get('X-Amz-Expires'), '120');
  assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-length;content-type;host;if-none-match');
  assert.ok(![...url.searchParams.keys()].some((n) => n.toLowerCase().includes('checksum')));

  const put = (u: string, payload: Buffer, type = 'application/pdf') =>
    fetch(u, { method: 'PUT', body: payload, headers: { 'Content-Type': type, 'If-None-Match': '*' } });
  const longer = await put(target.url, Buffer.concat([body, Buffer.from('!')]));
  assert.equal(longer.status, 403);
  assert.match(await longer.text(), /SignatureDoesNotMatch/);
  const html = await put(target.url, body, 'text/html');
  assert.equal(html.status, 403);
  await html.arrayBuffer();
  const elsewhere = await put(target.url.replace(`/${k}`, `/products/8/P9/file/${k.split('/').pop()}`), body);
  assert.equal(elsewhere.status, 403);
  await elsewhere.arrayBuffer();
  assert.ok(![...double.objects.keys()].some((x) => x.startsWith('products/8/')));

  const ok = await put(target.url, body);
  assert.equal(ok.status, 200);
  await ok.arrayBuffer();
  assert.deepEqual(await storage.stat(k), { size: body.length, contentType: 'application/pdf' });

  // The URL is spent: the same PUT cannot replace what buyers will download.
  const again = await put(target.url, Buffer.from('%PDF-1.7 another book!'.slice(0, body.length)));
  assert.equal(again.status, 412);
  await again.arrayBuffer();
  const unconditional = await fetch(target.url, {
    method: 'PUT',
    body,
    headers: { 'Content-Type': 'application/pdf' },
  });
  assert.equal(unconditional.status, 403, 'dropping the condition breaks the signature');
  await unconditional.arrayBuffer();
  assert.deepEqual(double.objects.get(k)?.body, body);

  skewMs = 121_000;
  try {
    const late = await put(target.url, body);
    assert.equal(late.status, 403);
    assert.match(await late.text(), /expired/);
  } finally {
    skewMs = 0;
  }
});

test('a presigned GET downloads under the product file name and the given type, with ranges', async () => {
  const k = key('resume.pdf');
  const { data } = patterned(100_000);
  await storage.put(k, data, { contentType: 'application/pdf' });
  const fileName = 'Résumé "final" 2026.pdf';
  const url = await storage.downloadUrl(k, { expiresInSec: 300, fileName, contentType: 'application/pdf' });
  assert.ok(url);
  const parsed = new URL(url);
  assert.ok(parsed.searchParams.get('X-Amz-Signature'));
  assert.equal(parsed.searchParams.get('X-Amz-Expires'), '300');
  assert.equal(parsed.searchParams.get('X-Amz-SignedHeaders'), 'host');
  assert.equal(parsed.searchParams.get('response-content-disposition'), contentDisposition(fileName));

  const whole = await fetch(url);
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('content-disposition'), contentDisposition(fileName));
  assert.equal(whole.headers.get('content-type'), 'application/pdf');
  assert.ok(Buffer.from(await whole.arrayBuffer()).equals(data));

  const resumed = await fetch(url, { headers: { Range: 'bytes=60000-' } });
  assert.equal(resumed.status, 206);
  assert.equal(resumed.headers.get('content-range'), `bytes 60000-99999/${data.length}`);
  assert.ok(Buffer.from(await resumed.arrayBuffer()).equals(data.subarray(60_000)));

  const tampered = new URL(url);
  tampered.searchParams.set('response-content-disposition', 'inline');
  const refused = await fetch(tampered);
  assert.equal(refused.status, 403);
  await refused.arrayBuffer();
  const retyped = new URL(url);
  retyped.searchParams.set('response-content-type', 'text/html');
  const refusedType = await fetch(retyped);
  assert.equal(refusedType.status, 403, 'the type is signed: nobody turns the file into a page');
  await refusedType.arrayBuffer();

  skewMs = 301_000;
  try {
    const late = await fetch(url);
    assert.equal(late.status, 403);
    await late.arrayBuffer();
  } finally {
    skewMs = 0;
  }
});

test('unsafe keys and bad parameters are refused before any request', async () => {
  const before = double.requests.length;
  for (const bad of UNSAFE_KEYS) {
    await assert.rejects(
      storage.put(bad, Buffer.from('x'), { contentType: 'text/plain' }),
      InvalidKeyError,
      bad,
    );
    await assert.rejects(storage.read(bad), InvalidKeyError);
    await assert.rejects(storage.stat(bad), InvalidKeyError);
    await assert.rejects(storage.delete(bad), InvalidKeyError);
    await assert.rejects(
      storage.uploadUrl(bad, { contentType: 'text/plain', size: 1, expiresInSec: 60 }),
      InvalidKeyError,
    );
    await assert.rejects(
      storage.downloadUrl(bad, { expiresInSec: 60, fileName: 'x', contentType: 'text/plain' }),
      InvalidKeyError,
    );
  }
  const k = key();
  await assert.rejects(
    storage.uploadUrl(k, { contentType: 'application/zip', size: 50 * MiB + 1, expiresInSec: 60 }),
    TooLargeError,
  );
  await assert.rejects(
    storage.uploadUrl(k, { contentType: 'application/zip', size: 1, expiresInSec: 8 * 24 * 3600 }),
    InvalidArgumentError,
  );
  await assert.rejects(
    storage.uploadUrl(k, { contentType: 'zip', size: 1, expiresInSec: 60 }),
    InvalidArgumentError,
  );
  await assert.rejects(
    storage.put(k, Buffer.from('abc'), { contentType: 'text/plain', size: 4 }),
    SizeMismatchError,
  );
  assert.equal(double.requests.length, before);
});
