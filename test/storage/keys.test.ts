// Keys, header helpers and settings: the pure parts of storage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertKeyBelongsTo,
  assertValidKey,
  buildProductKey,
  checkContentType,
  contentDisposition,
  createStorage,
  ForeignKeyError,
  InvalidArgumentError,
  InvalidKeyError,
  keyBelongsTo,
  LocalFileStorage,
  parseProductKey,
  parseRangeHeader,
  S3FileStorage,
  StorageSettingsError,
  sanitizeFileName,
  storageSettings,
} from '../../src/storage/index.ts';
import { UNSAFE_KEYS } from './support.ts';

test('unsafe keys are refused', () => {
  for (const key of UNSAFE_KEYS) {
    assert.throws(() => assertValidKey(key), InvalidKeyError, JSON.stringify(key));
    assert.equal(parseProductKey(key), null);
  }
  assert.throws(() => assertValidKey('a'.repeat(1025)), InvalidKeyError);
  assertValidKey('products/1/p/file/abc-x.pdf');
  assertValidKey('backups/2026-01-01T00:00:00Z.dump');
});

test('a product key has the documented shape and parses back', () => {
  const key = buildProductKey({
    sellerId: 123456789,
    productId: 'AB12CD',
    kind: 'file',
    fileName: 'Guide été 2026.pdf',
  });
  assert.match(key, /^products\/123456789\/AB12CD\/file\/[0-9a-f]{20}-Guide_ete_2026\.pdf$/);
  const parts = parseProductKey(key);
  assert.deepEqual(
    { ...parts, random: undefined },
    {
      sellerId: '123456789',
      productId: 'AB12CD',
      kind: 'file',
      random: undefined,
      fileName: 'Guide_ete_2026.pdf',
    },
  );
  const again = buildProductKey({
    sellerId: 123456789,
    productId: 'AB12CD',
    kind: 'file',
    fileName: 'Guide été 2026.pdf',
  });
  assert.notEqual(again, key, 'two uploads of one name get two keys');
});

test('ids and kinds that could break the key are refused', () => {
  const base = { sellerId: 1, productId: 'P1', kind: 'file' as const, fileName: 'x' };
  assert.throws(() => buildProductKey({ ...base, sellerId: '../1' }), InvalidKeyError);
  assert.throws(() => buildProductKey({ ...base, productId: 'a/b' }), InvalidKeyError);
  assert.throws(() => buildProductKey({ ...base, productId: '' }), InvalidKeyError);
  assert.throws(() => buildProductKey({ ...base, kind: 'other' as 'file' }), InvalidKeyError);
});

test('file names are reduced to one safe component', () => {
  assert.equal(sanitizeFileName('../../etc/passwd'), 'passwd');
  assert.equal(sanitizeFileName('..\\..\\boot.ini'), 'boot.ini');
  assert.equal(sanitizeFileName('Résumé final (v2).pdf'), 'Resume_final_v2_.pdf');
  assert.equal(sanitizeFileName('.htaccess'), 'htaccess');
  assert.equal(sanitizeFileName('...'), 'file');
  assert.equal(sanitizeFileName('日本語'), 'file');
  assert.equal(sanitizeFileName('a\0b\r\nc.txt'), 'a_b_c.txt');
  const long = sanitizeFileName(`${'x'.repeat(300)}.tar.gz`);
  assert.equal(long.length, 120);
  assert.ok(long.endsWith('.gz'));
});

test('ownership: only the seller and product in the key', () => {
  const key = buildProductKey({ sellerId: 42, productId: 'P1', kind: 'cover', fileName: 'c.jpg' });
  assert.ok(keyBelongsTo(key, { sellerId: 42, productId: 'P1' }));
  assert.ok(keyBelongsTo(key, { sellerId: '42', productId: 'P1', kind: 'cover' }));
  assert.ok(!keyBelongsTo(key, { sellerId: 42, productId: 'P1', kind: 'file' }));
  assert.ok(!keyBelongsTo(key, { sellerId: 43, productId: 'P1' }));
  assert.ok(!keyBelongsTo(key, { sellerId: 42, productId: 'P2' }));
  assert.ok(!keyBelongsTo(key, { sellerId: 4, productId: 'P1' }), 'no prefix match on ids');
  assertKeyBelongsTo(key, { sellerId: 42, productId: 'P1' });
  assert.throws(() => assertKeyBelongsTo(key, { sellerId: 43, productId: 'P1' }), ForeignKeyError);
  assert.throws(
    () => assertKeyBelongsTo('products/42/P1/file/x', { sellerId: 42, productId: 'P1' }),
    InvalidKeyError,
  );
  assert.throws(
    () =>
      assertKeyBelongsTo(`products/42/P1/file/../../43/P1/file/${key.split('/').pop()}`, {
        sellerId: 42,
        productId: 'P1',
      }),
    InvalidKeyError,
  );
});

test('Content-Disposition carries an ASCII fallback and the exact UTF-8 name', () => {
  assert.equal(
    contentDisposition('Résumé "final".pdf'),
    `attachment; filename="Resume _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`,
  );
  assert.ok(!/[\r\n]/.test(contentDisposition('a\r\nSet-Cookie: x=1')));
  assert.equal(contentDisposition('../x.zip'), `attachment; filename="x.zip"; filename*=UTF-8''x.zip`);
});

test('Range headers', () => {
  assert.equal(parseRangeHeader(undefined, 100), null);
  assert.deepEqual(parseRangeHeader('bytes=0-9', 100), { start: 0, end: 9 });
  assert.deepEqual(parseRangeHeader('bytes=90-', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRangeHeader('bytes=90-500', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRangeHeader('bytes=-10', 100), { start: 90, end: 99 });
  assert.equal(parseRangeHeader('bytes=100-', 100), 'unsatisfiable');
  assert.equal(parseRangeHeader('bytes=5-1', 100), null);
  assert.equal(parseRangeHeader('bytes=0-1,5-6', 100), null);
  assert.equal(parseRangeHeader('items=0-1', 100), null);
});

test('content types are checked before reaching headers or signatures', () => {
  assert.equal(checkContentType(' application/pdf '), 'application/pdf');
  assert.equal(checkContentType('text/plain; charset=utf-8'), 'text/plain; charset=utf-8');
  for (const bad of ['', 'pdf', 'text/plain\r\nX: y', 'a/b; c', `a/${'b'.repeat(300)}`]) {
    assert.throws(() => checkContentType(bad), InvalidArgumentError, bad);
  }
});

test('settings: local by default', () => {
  const s = storageSettings({});
  assert.equal(s.driver, 'local');
  assert.equal(s.dir, '.data/files');
  assert.equal(s.s3, null);
  const storage = createStorage({ ...s, dir: '/tmp/agora-unused' });
  assert.ok(storage instanceof LocalFileStorage);
});

test('settings: s3 without its settings names each missing variable', () => {
  assert.throws(
    () => storageSettings({ STORAGE_DRIVER: 's3' }),
    (error: unknown) => {
      assert.ok(error instanceof StorageSettingsError);
      for (const name of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_REGION']) {
        assert.match(error.message, new RegExp(`${name}.*required`));
      }
      return true;
    },
  );
  assert.throws(() => storageSettings({ STORAGE_DRIVER: 'ftp' }), StorageSettingsError);
  assert.throws(() => storageSettings({ UPLOAD_SIGNING_SECRET: 'short' }), /at least 32/);
});

test('settings: R2 and B2 endpoints imply the region; custom endpoints use path style', () => {
  const common = { STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };
  const r2 = storageSettings({ ...common, S3_ENDPOINT: 'https://acc123.r2.cloudflarestorage.com' });
  assert.equal(r2.s3?.region, 'auto');
  assert.equal(r2.s3?.forcePathStyle, true);
  const b2 = storageSettings({ ...common, S3_ENDPOINT: 'https://s3.us-west-004.backblazeb2.com' });
  assert.equal(b2.s3?.region, 'us-west-004');
  const aws = storageSettings({ ...common, S3_REGION: 'eu-west-1', S3_FORCE_PATH_STYLE: '' });
  assert.equal(aws.s3?.endpoint, undefined);
  assert.equal(aws.s3?.forcePathStyle, false);
  const minio = storageSettings({
    ...common,
    S3_ENDPOINT: 'http://127.0.0.1:9000',
    S3_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: 'false',
  });
  assert.equal(minio.s3?.forcePathStyle, false);
  const storage = createStorage(r2);
  assert.ok(storage instanceof S3FileStorage);
  void storage.close();
});
