// Telegram's photo rules, read from the image's own bytes: JPEG, PNG and WebP headers give type
// and size; anything else, or dimensions Telegram refuses, is a validation error with the numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkPhotoDimensions,
  checkPhotoHeader,
  readImageHeader,
  ValidationError,
} from '../../src/domain/index.ts';
import { jpegHeader, png, webpHeader } from '../support/images.ts';

const refusedWith = (code: string, details?: object) => (error: unknown) => {
  assert.ok(error instanceof ValidationError, String(error));
  assert.equal(error.code, code);
  if (details) assert.deepEqual(error.details, details);
  return true;
};

test('the dimensions come from the header of each accepted type', () => {
  assert.deepEqual(readImageHeader(png(640, 480)), { type: 'png', width: 640, height: 480 });
  assert.deepEqual(readImageHeader(jpegHeader(1280, 720)), { type: 'jpeg', width: 1280, height: 720 });
  // A camera's metadata before the frame header is skipped, however long.
  assert.deepEqual(readImageHeader(jpegHeader(4000, 3000, 60_000)), {
    type: 'jpeg',
    width: 4000,
    height: 3000,
  });
  assert.deepEqual(readImageHeader(webpHeader(800, 600)), { type: 'webp', width: 800, height: 600 });
});

test('other bytes are no image: text, a GIF, a PDF, a header cut short', () => {
  for (const bytes of [
    Buffer.from('a jpeg, honestly'),
    Buffer.from('GIF89a\x10\x00\x10\x00', 'latin1'),
    Buffer.from('%PDF-1.7\n'),
    png(10, 10).subarray(0, 20),
    jpegHeader(10, 10).subarray(0, 30),
    Buffer.alloc(0),
  ]) {
    assert.equal(readImageHeader(bytes), null, bytes.toString('latin1', 0, 12));
    assert.throws(() => checkPhotoHeader(bytes), refusedWith('image_type_invalid'));
  }
});

test("Telegram's limits: width + height at most 10,000, one side at most 20 times the other", () => {
  checkPhotoDimensions(5000, 5000);
  checkPhotoDimensions(2000, 100);
  assert.throws(
    () => checkPhotoDimensions(5001, 5000),
    refusedWith('image_dimensions_too_large', { width: 5001, height: 5000, max: 10_000 }),
  );
  assert.throws(
    () => checkPhotoDimensions(100, 2001),
    refusedWith('image_ratio_too_large', { width: 100, height: 2001, max: 20 }),
  );
  assert.throws(() => checkPhotoHeader(png(30_000, 100)), refusedWith('image_dimensions_too_large'));
  assert.deepEqual(checkPhotoHeader(webpHeader(1000, 50)), { type: 'webp', width: 1000, height: 50 });
});
