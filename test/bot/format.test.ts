// What a French and an English reader see for amounts, sizes, counts and times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatMoney,
  formatRelative,
  formatSize,
} from '../../src/bot/ui/format.ts';

// Intl separates French thousands with a narrow no-break space; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

test('amounts follow each language: $1,234.50 and 1 234,50 $US', () => {
  assert.equal(formatMoney('en', 123450), '$1,234.50');
  assert.equal(plain(formatMoney('fr', 123450)), '1 234,50 $US');
  assert.equal(plain(formatMoney('fr', 0)), '0,00 $US');
});

test('sizes use the largest readable unit, never "0.0 MB" for a small file', () => {
  assert.equal(formatSize('en', 47_000), '45.9 kB');
  assert.equal(plain(formatSize('fr', 47_000)), '45,9 ko');
  assert.equal(plain(formatSize('fr', 2_500_000)), '2,4 Mo');
  assert.equal(formatSize('en', 3.4 * 1024 ** 3), '3.4 GB');
  assert.equal(formatSize('en', 0), '0 bytes', 'an empty store, not "0 byte"');
  assert.equal(formatSize('en', 1), '1 byte');
  assert.equal(plain(formatSize('fr', 900)), '900 octets');
});

test("counts are grouped by language; dates and times are written the reader's way", () => {
  assert.equal(formatCount('en', 1234567), '1,234,567');
  assert.equal(plain(formatCount('fr', 1234567)), '1 234 567');
  const moment = new Date('2026-11-12T14:05:00Z');
  assert.equal(formatDate('en', moment), 'Nov 12, 2026');
  assert.equal(formatDate('fr', moment), '12 nov. 2026');
  assert.equal(formatDateTime('fr', moment), '12 nov. 2026, 14:05 UTC');
  assert.equal(formatDateTime('en', moment), 'Nov 12, 2026, 2:05 PM UTC');
});

test('relative times read naturally', () => {
  const now = new Date('2026-11-12T14:05:00Z');
  assert.equal(formatRelative('fr', new Date(now.getTime() + 58 * 60_000), now), 'dans 58 minutes');
  assert.equal(formatRelative('en', new Date(now.getTime() - 3 * 86_400_000), now), '3 days ago');
  assert.equal(formatRelative('en', new Date(now.getTime() - 86_400_000), now), 'yesterday');
});
