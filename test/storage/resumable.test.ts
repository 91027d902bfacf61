// Resumable uploads on both backends: the local folder (chunks appended at an offset) and S3
// (parts PUT to presigned URLs, as a browser does, against the S3 double through the real SDK).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import {
  buildProductKey,
  InvalidArgumentError,
  LocalFileStorage,
  partCount,
  type ResumableUpload,
  S3FileStorage,
  TooLargeError,
  UploadIncompleteError,
  UploadNotFoundError,
  UploadOffsetMismatchError,
  UploadSupersededError,
} from '../../src/storage/index.ts';
import { startS3Double } from './s3-double.ts';

const MiB = 1024 * 1024;
const ORIGIN = 'https://agora.example';
const root = await mkdtemp(join(tmpdir(), 'agora-resumable-'));
const local = new LocalFileStorage({
  dir: root,
  publicUrl: ORIGIN,
  signingSecret: 'resumable-test-secret-0123456789abcdef',
  maxUploadBytes: 64 * MiB,
});
const credentials = {
  bucket: 'agora-files',
  region: 'auto',
  accessKeyId: 'AKIDRESUME',
  secretAccessKey: 's3cr3t',
};
const double = await startS3Double({ ...credentials, corsOrigins: [ORIGIN] });
const s3 = new S3FileStorage({
  ...credentials,
  endpoint: double.endpoint,
  forcePathStyle: true,
  partSizeBytes: 5 * MiB,
  maxUploadBytes: 64 * MiB,
});
test.after(async () => {
  await s3.close();
  await double.close();
  await rm(root, { recursive: true, force: true });
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const key = (name = 'film.mp4') =>
  buildProductKey({ sellerId: 5, productId: 'P1', kind: 'file', fileName: name });

function patterned(total: number): Buffer {
  const data = Buffer.alloc(total);
  for (let i = 0; i < total; i++) data[i] = (i * 131 + (i >> 10)) & 0xff;
  return data;
}

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends `data` in 64 KiB chunks, then dies after `cutAfter` bytes as a dropped socket would. */
function cutStream(data: Buffer, cutAfter: number): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (at >= cutAfter) {
        this.destroy(new Error('connection reset'));
        return;
      }
      const end = Math.min(cutAfter, at + 64 * 1024);
      this.push(data.subarray(at, end));
      at = end;
    },
  });
}

/** A PUT to a presigned URL with the browser's headers; `cutAfter` drops the socket mid-body. */
function putPart(
  url: string,
  body: Buffer,
  cutAfter?: number,
): Promise<{ status: number; etag?: string; cors?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'PUT',
      headers: { 'content-length': String(body.length), origin: ORIGIN },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          etag: res.headers.etag,
          cors: res.headers['access-control-expose-headers'] as string | undefined,
        }),
      );
    });
    req.on('error', (error) => (cutAfter === undefined ? reject(error) : resolve({ status: 0 })));
    if (cutAfter === undefined) {
      req.end(body);
      return;
    }
    req.write(body.subarray(0, cutAfter), () => req.destroy());
  });
}

test('local: a cut chunk keeps what arrived; the upload resumes at that offset and completes', async () => {
  const data = patterned(3 * MiB + 123);
  const upload = await local.startResumableUpload(key(), { contentType: 'video/mp4', size: data.length });
  assert.deepEqual(await local.uploadedParts(upload), { receivedBytes: 0, parts: [] });

  await assert.rejects(local.appendChunk(upload, 0, cutStream(data, 2 * MiB)), /connection reset/);
  const { receivedBytes } = await local.uploadedParts(upload);
  assert.ok(receivedBytes > 0 && receivedBytes <= 2 * MiB, `${receivedBytes}`);

  await assert.rejects(
    local.appendChunk(upload, 0, Readable.from([data.subarray(0, 10)])),
    (e: unknown) => e instanceof UploadOffsetMismatchError && e.offset === receivedBytes,
  );
  await assert.rejects(local.completeResumableUpload(upload), UploadIncompleteError);
  const after = await local.appendChunk(upload, receivedBytes, Readable.from([data.subarray(receivedBytes)]));
  assert.equal(after.receivedBytes, data.length);

  const done = await local.completeResumableUpload(upload);
  assert.deepEqual(done, { contentType: 'video/mp4', size: data.length, sha256: sha256(data) });
  assert.ok((await bytes(await local.read(upload.key))).equals(data));
  assert.deepEqual(await local.stat(upload.key), { size: data.length, contentType: 'video/mp4' });
  assert.deepEqual(await readdir(join(root, 'uploads')), [], 'nothing left behind');
  await assert.rejects(
    local.appendChunk(upload, data.length, Readable.from([Buffer.from('x')])),
    UploadNotFoundError,
  );
});

test('local: the running hash survives a restart (a new storage object rebuilds it from the file)', async () => {
  const data = patterned(MiB + 7);
  const upload = await local.startResumableUpload(key(), {
    contentType: 'application/zip',
    size: data.length,
  });
  await local.appendChunk(upload, 0, Readable.from([data.subarray(0, 1000)]));
  const restarted = new LocalFileStorage({ dir: root, publicUrl: ORIGIN, signingSecret: 'x'.repeat(32) });
  await restarted.appendChunk(upload, 1000, Readable.from([data.subarray(1000)]));
  assert.equal((await restarted.completeResumableUpload(upload)).sha256, sha256(data));
});

test('local: bytes past the declared size, a stale writer is superseded, a mixed-up id refused', async () => {
  const upload = await local.startResumableUpload(key(), { contentType: 'text/plain', size: 10 });
  await assert.rejects(local.appendChunk(upload, 0, Readable.from([Buffer.alloc(11)])), TooLargeError);
  assert.equal((await local.uploadedParts(upload)).receivedBytes, 0, 'the oversized chunk wrote nothing');

  // A resumed client supersedes its older request, which the server had not seen die.
  const stale = new Readable({ read() {} });
  stale.push(Buffer.alloc(3));
  const older = assert.rejects(local.appendChunk(upload, 0, stale), UploadSupersededError);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(await local.uploadedParts(upload), { receivedBytes: 3, parts: [] }, 'its bytes are kept');
  await older;
  assert.equal((await local.appendChunk(upload, 3, Readable.from([Buffer.alloc(7)]))).receivedBytes, 10);

  const other = await local.startResumableUpload(key('other.txt'), { contentType: 'text/plain', size: 10 });
  await assert.rejects(local.uploadedParts({ ...other, key: upload.key }), UploadNotFoundError);
  await assert.rejects(local.uploadedParts({ ...upload, uploadId: '../../etc/passwd' }), UploadNotFoundError);
  await assert.rejects(
    local.startResumableUpload(key(), { contentType: 'text/plain', size: 65 * MiB }),
    TooLargeError,
  );
  await local.abortResumableUpload(upload);
  await local.abortResumableUpload(other);
});

test('local: abort removes the bytes; the sweep removes abandoned uploads and spares kept ones', async () => {
  const upload = await local.startResumableUpload(key(), { contentType: 'text/plain', size: 100 });
  await local.appendChunk(upload, 0, Readable.from([Buffer.alloc(50)]));
  await local.abortResumableUpload(upload);
  await assert.rejects(local.uploadedParts(upload), UploadNotFoundError);
  await local.abortResumableUpload(upload); // twice is fine

  const abandoned = await local.startResumableUpload(key(), { contentType: 'text/plain', size: 100 });
  const active = await local.startResumableUpload(key(), { contentType: 'text/plain', size: 100 });
  assert.equal(await local.sweepAbandonedUploads(new Date(Date.now() - 60_000)), 0, 'recent uploads stay');
  const swept = await local.sweepAbandonedUploads(new Date(Date.now() + 1000), new Set([active.uploadId]));
  assert.equal(swept, 1);
  await assert.rejects(local.uploadedParts(abandoned), UploadNotFoundError);
  assert.equal((await local.uploadedParts(active)).receivedBytes, 0);
  await local.abortResumableUpload(active);
  assert.deepEqual(await readdir(join(root, 'uploads')), []);
});

async function signedUrl(upload: ResumableUpload, partNumber: number): Promise<string> {
  const [signed] = await s3.signParts(upload, [partNumber], 300);
  assert.ok(signed);
  return signed.url;
}

test('S3: parts go straight to the bucket; a cut part is sent again; the assembled object is hashed', async () => {
  const data = patterned(12 * MiB + 5);
  const upload = await s3.startResumableUpload(key(), { contentType: 'video/mp4', size: data.length });
  assert.equal(upload.partSize, 5 * MiB);
  assert.equal(partCount(upload), 3);
  const part = (n: number) => data.subarray((n - 1) * upload.partSize, n * upload.partSize);

  const first = await putPart(await signedUrl(upload, 1), part(1));
  assert.equal(first.status, 200);
  assert.match(first.etag ?? '', /^"[0-9a-f]{32}"$/);
  assert.equal(first.cors, 'ETag', 'the browser may read the ETag');
  await putPart(await signedUrl(upload, 2), part(2), 2 * MiB); // the connection drops mid-part
  assert.deepEqual(await s3.uploadedParts(upload), {
    receivedBytes: 5 * MiB,
    parts: [{ partNumber: 1, size: 5 * MiB }],
  });
  await assert.rejects(
    s3.completeResumableUpload(upload),
    (e: unknown) => e instanceof UploadIncompleteError && /parts missing: 2, 3/.test(e.message),
  );

  for (const n of [3, 2]) assert.equal((await putPart(await signedUrl(upload, n), part(n))).status, 200);
  const done = await s3.completeResumableUpload(upload);
  assert.deepEqual(done, { contentType: 'video/mp4', size: data.length, sha256: sha256(data) });
  assert.ok(double.objects.get(upload.key)?.body.equals(data));
  assert.equal(double.objects.get(upload.key)?.contentType, 'video/mp4');
  assert.equal(double.openUploads.has(upload.uploadId), false);
  await assert.rejects(s3.uploadedParts(upload), UploadNotFoundError);
  assert.notEqual(
    (await putPart(await signedUrl(upload, 1), part(1))).status,
    200,
    'a finished upload takes no part',
  );
});

test('S3: a part URL is for one exact length and one upload; part numbers are bounded', async () => {
  const upload = await s3.startResumableUpload(key(), { contentType: 'application/zip', size: 6 * MiB });
  const url = await signedUrl(upload, 2);
  assert.equal((await putPart(url, Buffer.alloc(MiB + 1))).status, 403, 'longer than signed');
  assert.equal((await putPart(url, Buffer.alloc(MiB))).status, 200);
  await assert.rejects(s3.signParts(upload, [3], 300), InvalidArgumentError);
  await assert.rejects(s3.signParts(upload, [0], 300), InvalidArgumentError);
  await s3.abortResumableUpload(upload);
});

test('S3: the upload origin is where presigned URLs point (for the page CSP)', async () => {
  assert.equal(await s3.uploadOrigin(), double.endpoint);
  const virtualHosted = new S3FileStorage({ ...credentials, region: 'eu-west-3' });
  assert.equal(await virtualHosted.uploadOrigin(), 'https://agora-files.s3.eu-west-3.amazonaws.com');
  await virtualHosted.close();
});

test('S3: the bucket answers the browser preflight for allowed origins only', async () => {
  const upload = await s3.startResumableUpload(key(), { contentType: 'application/zip', size: MiB });
  const url = await signedUrl(upload, 1);
  const preflight = (origin: string) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
  const allowed = await preflight(ORIGIN);
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers.get('access-control-allow-origin'), ORIGIN);
  assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /PUT/);
  assert.equal(allowed.headers.get('access-control-expose-headers'), 'ETag');
  assert.equal((await preflight('https://evil.example')).status, 403);
  await s3.abortResumableUpload(upload);
});

test('S3: abort drops the parts; the sweep aborts abandoned multipart uploads and spares kept ones', async () => {
  const upload = await s3.startResumableUpload(key(), { contentType: 'application/zip', size: 6 * MiB });
  await putPart(await signedUrl(upload, 2), Buffer.alloc(MiB));
  await s3.abortResumableUpload(upload);
  assert.equal(double.openUploads.has(upload.uploadId), false);
  await s3.abortResumableUpload(upload); // twice is fine

  const abandoned = await s3.startResumableUpload(key(), { contentType: 'application/zip', size: MiB });
  const active = await s3.startResumableUpload(key(), { contentType: 'application/zip', size: MiB });
  assert.equal(await s3.sweepAbandonedUploads(new Date(Date.now() - 60_000)), 0, 'recent uploads stay');
  assert.equal(await s3.sweepAbandonedUploads(new Date(Date.now() + 1000), new Set([active.uploadId])), 1);
  assert.equal(double.openUploads.has(abandoned.uploadId), false);
  assert.equal(double.openUploads.has(active.uploadId), true);
  await s3.abortResumableUpload(active);
});
