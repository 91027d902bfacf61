// The local-folder backend end to end, including signed uploads.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import {
  buildProductKey,
  ContentTypeMismatchError,
  InvalidArgumentError,
  InvalidKeyError,
  LocalFileStorage,
  ObjectNotFoundError,
  RangeNotSatisfiableError,
  SizeMismatchError,
  signUploadToken,
  TooLargeError,
  UploadTokenExpiredError,
  UploadTokenInvalidError,
} from '../../src/storage/index.ts';
import { UNSAFE_KEYS } from './support.ts';

const SECRET = 'test-upload-secret-0123456789abcdef';
const root = await mkdtemp(join(tmpdir(), 'agora-storage-'));
test.after(() => rm(root, { recursive: true, force: true }));

let clock = Date.now();
const storage = new LocalFileStorage({
  dir: join(root, 'files'),
  publicUrl: 'https://agora.example/',
  signingSecret: SECRET,
  maxUploadBytes: 1024 * 1024,
  now: () => clock,
});

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const key = (name = 'file.bin') =>
  buildProductKey({ sellerId: 7, productId: 'P1', kind: 'file', fileName: name });

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk;
  return out;
}

/** A stream of `parts`, as a client trickling a body would send it. */
const streamOf = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

async function tmpFiles(): Promise<string[]> {
  return readdir(join(storage.root, 'tmp')).catch(() => []);
}

test('put, stat, read, exists, delete', async () => {
  const k = key('notes.txt');
  const result = await storage.put(k, Buffer.from('hello world'), { contentType: 'text/plain' });
  assert.deepEqual(result, { size: 11, sha256: sha256('hello world') });
  assert.deepEqual(await storage.stat(k), { size: 11, contentType: 'text/plain' });
  assert.equal(await storage.exists(k), true);
  assert.equal(await text(await storage.read(k)), 'hello world');
  // A key that names a folder of other objects is not an object.
  const folder = k.split('/').slice(0, 3).join('/');
  assert.equal(await storage.stat(folder), null);
  await assert.rejects(storage.read(folder), ObjectNotFoundError);
  await storage.delete(folder);
  assert.equal(await storage.exists(k), true);

  await storage.delete(k);
  assert.equal(await storage.stat(k), null);
  assert.equal(await storage.exists(k), false);
  await assert.rejects(storage.read(k), ObjectNotFoundError);
  await storage.delete(k); // deleting twice is fine
  assert.ok(!existsSync(join(storage.root, 'objects', 'products', '7')), 'empty folders pruned');
});

test('a streamed put hashes while writing and accepts an empty body', async () => {
  const k = key();
  const result = await storage.put(k, streamOf('abc', 'def', 'ghi'), {
    contentType: 'application/octet-stream',
    size: 9,
  });
  assert.deepEqual(result, { size: 9, sha256: sha256('abcdefghi') });
  const empty = key('empty');
  assert.deepEqual(await storage.put(empty, Buffer.alloc(0), { contentType: 'text/plain' }), {
    size: 0,
    sha256: sha256(''),
  });
  assert.equal(await text(await storage.read(empty)), '');
  await assert.rejects(storage.read(empty, { start: 0 }), RangeNotSatisfiableError);
});

test('range reads for resumable downloads', async () => {
  const k = key();
  await storage.put(k, Buffer.from('0123456789'), { contentType: 'text/plain' });
  assert.equal(await text(await storage.read(k, { start: 2, end: 4 })), '234');
  assert.equal(await text(await storage.read(k, { start: 7 })), '789');
  assert.equal(await text(await storage.read(k, { end: 1 })), '01');
  assert.equal(await text(await storage.read(k, { start: 8, end: 500 })), '89');
  assert.equal(await text(await storage.read(k, { start: 9, end: 9 })), '9');
  await assert.rejects(storage.read(k, { start: 10 }), RangeNotSatisfiableError);
  await assert.rejects(storage.read(k, { start: 5, end: 4 }), InvalidArgumentError);
  await assert.rejects(storage.read(k, { start: -1 }), InvalidArgumentError);
});

test('a declared size is enforced both ways and a failed write leaves nothing', async () => {
  const k = key();
  await assert.rejects(
    storage.put(k, streamOf('abc', 'de'), { contentType: 'text/plain', size: 10 }),
    SizeMismatchError,
  );
  await assert.rejects(
    storage.put(k, streamOf('abcdef', 'ghijkl'), { contentType: 'text/plain', size: 8 }),
    TooLargeError,
  );
  assert.equal(await storage.exists(k), false);
  assert.deepEqual(await tmpFiles(), []);
});

test('writes are atomic: a failed replace keeps the old file, readers never see a partial one', async () => {
  const k = key();
  await storage.put(k, Buffer.from('original'), { contentType: 'text/plain' });
  const failing = new Readable({
    read() {
      this.push(Buffer.from('partial'));
      this.destroy(new Error('client went away'));
    },
  });
  await assert.rejects(storage.put(k, failing, { contentType: 'text/plain' }), /client went away/);
  assert.equal(await text(await storage.read(k)), 'original');

  const reader = await storage.read(k); // opened before the replace
  await storage.put(k, Buffer.from('replacement'), { contentType: 'text/csv' });
  assert.equal(await text(reader), 'original');
  assert.equal(await text(await storage.read(k)), 'replacement');
  assert.deepEqual(await storage.stat(k), { size: 11, contentType: 'text/csv' });
  assert.deepEqual(await tmpFiles(), []);
});

test('path traversal is refused by every operation and nothing lands outside the root', async () => {
  for (const bad of UNSAFE_KEYS) {
    await assert.rejects(
      storage.put(bad, Buffer.from('x'), { contentType: 'text/plain' }),
      InvalidKeyError,
      bad,
    );
    await assert.rejects(storage.read(bad), InvalidKeyError);
    await assert.rejects(storage.stat(bad), InvalidKeyError);
    await assert.rejects(storage.exists(bad), InvalidKeyError);
    await assert.rejects(storage.delete(bad), InvalidKeyError);
    await assert.rejects(
      storage.uploadUrl(bad, { contentType: 'text/plain', size: 1, expiresInSec: 60 }),
      InvalidKeyError,
    );
    await assert.rejects(storage.downloadUrl(bad), InvalidKeyError);
  }
  assert.deepEqual((await readdir(root)).sort(), ['files']);
});

test('downloadUrl is null: the server streams local files itself', async () => {
  assert.equal(await storage.downloadUrl(key()), null);
});

/** The token of a local upload URL, as the HTTP route would take it from the path. */
async function grant(k: string, size: number, contentType = 'application/pdf', expiresInSec = 300) {
  const target = await storage.uploadUrl(k, { contentType, size, expiresInSec });
  assert.equal(target.method, 'PUT');
  assert.deepEqual(target.headers, { 'Content-Type': contentType });
  const prefix = 'https://agora.example/uploads/';
  assert.ok(target.url.startsWith(prefix));
  return { ...target, token: target.url.slice(prefix.length) };
}

test('a signed upload is accepted, stored and hashed', async () => {
  const k = key('book.pdf');
  const { token, expiresAt } = await grant(k, 10);
  assert.ok(Math.abs(expiresAt.getTime() - (clock + 300_000)) < 1000);
  assert.deepEqual(storage.verifyUploadToken(token), {
    key: k,
    contentType: 'application/pdf',
    size: 10,
    expiresAt: new Date(Math.floor((clock + 300_000) / 1000) * 1000),
  });
  const accepted = await storage.acceptSignedUpload(token, streamOf('01234', '56789'), {
    'content-type': 'application/pdf',
    'content-length': '10',
  });
  assert.deepEqual(accepted, {
    key: k,
    contentType: 'application/pdf',
    size: 10,
    sha256: sha256('0123456789'),
  });
  assert.deepEqual(await storage.stat(k), { size: 10, contentType: 'application/pdf' });
  await assert.rejects(
    storage.acceptSignedUpload(token, streamOf('ABCDE', 'FGHIJ'), {
      'content-type': 'application/pdf',
      'content-length': '10',
    }),
    { code: 'storage_upload_token_used' },
    'a link is good for one upload',
  );
  assert.equal(await text(await storage.read(k)), '0123456789', 'what was uploaded stays');

  // fetch-style Headers, content type with parameters, chunked (no Content-Length)
  const k2 = key('notes.txt');
  const second = await grant(k2, 3, 'text/plain');
  const headers = new Headers({ 'Content-Type': 'text/plain; charset=utf-8' });
  await storage.acceptSignedUpload(second.token, streamOf('abc'), headers);
  assert.equal(await text(await storage.read(k2)), 'abc');
});

test('an expired upload token is refused', async () => {
  const k = key();
  const { token } = await grant(k, 3, 'text/plain', 60);
  const saved = clock;
  clock += 61_000;
  try {
    assert.throws(() => storage.verifyUploadToken(token), UploadTokenExpiredError);
    await assert.rejects(
      storage.acceptSignedUpload(token, streamOf('abc'), { 'content-type': 'text/plain' }),
      UploadTokenExpiredError,
    );
  } finally {
    clock = saved;
  }
  assert.equal(await storage.exists(k), false);
});

test('a tampered or foreign upload token is refused', async () => {
  const mine = key();
  const { token } = await grant(mine, 3, 'text/plain');
  const [payload, signature] = token.split('.') as [string, string];
  const body = JSON.parse(Buffer.from(payload, 'base64url').toString());

  const other = buildProductKey({ sellerId: 8, productId: 'P9', kind: 'file', fileName: 'victim.pdf' });
  const retargeted = `${Buffer.from(JSON.stringify({ ...body, k: other })).toString('base64url')}.${signature}`;
  const bigger = `${Buffer.from(JSON.stringify({ ...body, s: 10_000 })).toString('base64url')}.${signature}`;
  const later = `${Buffer.from(JSON.stringify({ ...body, e: body.e + 3600 })).toString('base64url')}.${signature}`;
  const flipped = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
  const forged = signUploadToken(
    { key: other, contentType: 'text/plain', size: 3, expiresAt: new Date(clock + 60_000) },
    'someone-elses-secret-0123456789abcdef',
  );
  for (const bad of [retargeted, bigger, later, flipped, forged, `${token}.x`, 'garbage', '', 'a.b']) {
    await assert.rejects(
      storage.acceptSignedUpload(bad, streamOf('abc'), { 'content-type': 'text/plain' }),
      UploadTokenInvalidError,
      bad,
    );
  }
  assert.equal(await storage.exists(other), false);
  assert.equal(await storage.exists(mine), false);
});

test('a signed upload with the wrong type or size is refused, and the size is a hard cap', async () => {
  const k = key();
  const { token } = await grant(k, 5, 'application/zip');
  const zip = { 'content-type': 'application/zip' };

  await assert.rejects(
    storage.acceptSignedUpload(token, streamOf('abcde'), { 'content-type': 'text/html' }),
    ContentTypeMismatchError,
  );
  await assert.rejects(storage.acceptSignedUpload(token, streamOf('abcde'), {}), ContentTypeMismatchError);
  await assert.rejects(
    storage.acceptSignedUpload(token, streamOf('abcdef'), { ...zip, 'content-length': '6' }),
    TooLargeError,
  );
  await assert.rejects(
    storage.acceptSignedUpload(token, streamOf('abcd'), { ...zip, 'content-length': '4' }),
    SizeMismatchError,
  );
  await assert.rejects(
    storage.acceptSignedUpload(token, streamOf('abcde'), { ...zip, 'content-length': 'lots' }),
    InvalidArgumentError,
  );
  // No Content-Length (chunked): the body itself is cut off past the signed size...
  let produced = 0;
  const endless = new Readable({
    read() {
      produced += 1024;
      this.push(Buffer.alloc(1024, 1));
    },
  });
  await assert.rejects(storage.acceptSignedUpload(token, endless, zip), TooLargeError);
  assert.ok(produced < 256 * 1024, `stopped after a few stream buffers (read ${produced} bytes)`);
  // ...or refused when short.
  await assert.rejects(storage.acceptSignedUpload(token, streamOf('ab'), zip), SizeMismatchError);
  assert.equal(await storage.exists(k), false);
  assert.deepEqual(await tmpFiles(), []);
});

test('upload URLs respect the size cap and sane lifetimes', async () => {
  const k = key();
  await assert.rejects(
    storage.uploadUrl(k, { contentType: 'text/plain', size: 1024 * 1024 + 1, expiresInSec: 60 }),
    TooLargeError,
  );
  await assert.rejects(
    storage.uploadUrl(k, { contentType: 'text/plain', size: -1, expiresInSec: 60 }),
    InvalidArgumentError,
  );
  await assert.rejects(
    storage.uploadUrl(k, { contentType: 'text/plain', size: 1, expiresInSec: 0 }),
    InvalidArgumentError,
  );
  await assert.rejects(
    storage.uploadUrl(k, { contentType: 'nope', size: 1, expiresInSec: 60 }),
    InvalidArgumentError,
  );
  assert.throws(
    () => new LocalFileStorage({ dir: root, publicUrl: 'http://x', signingSecret: 'short' }),
    InvalidArgumentError,
  );
});

test('sweepTemp removes abandoned writes only', async () => {
  const { writeFile, mkdir } = await import('node:fs/promises');
  await mkdir(join(storage.root, 'tmp'), { recursive: true });
  await writeFile(join(storage.root, 'tmp', 'abandoned'), 'x');
  assert.equal(await storage.sweepTemp(60_000), 0);
  const saved = clock;
  clock += 120_000;
  try {
    assert.equal(await storage.sweepTemp(60_000), 1);
  } finally {
    clock = saved;
  }
  assert.deepEqual(await tmpFiles(), []);
});
