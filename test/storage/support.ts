// Shared by the storage tests.

/** Keys that could escape a folder or confuse a backend: every operation must refuse them. */
export const UNSAFE_KEYS = [
  '',
  '../x',
  'a/../../x',
  'products/1/p/file/..',
  '/etc/passwd',
  'a\\b',
  '..\\..\\x',
  'a\0b',
  'a\nb',
  'a//b',
  'a/',
  './a',
  'a/./b',
  'C:/Windows/x',
];
