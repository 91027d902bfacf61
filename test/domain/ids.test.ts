import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  hashDownloadToken,
  ID_ALPHABET,
  ID_LENGTH,
  isDownloadTokenFormat,
  isId,
  newDownloadToken,
  newId,
  newOrderId,
  newProductId,
  parseId,
  parseOrderId,
  parseProductId,
  tryParseId,
  ValidationError,
} from '../../src/domain/index.ts';

function rejects(fn: () => unknown, code: string, field = 'product_id'): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.field, field);
    return true;
  });
}

describe('id alphabet', () => {
  test('has no look-alikes and no duplicates', () => {
    for (const c of '01OIL') assert.ok(!ID_ALPHABET.includes(c), c);
    assert.equal(new Set(ID_ALPHABET).size, ID_ALPHABET.length);
    assert.equal(ID_ALPHABET.length, 31);
  });
  test('carries at least 40 bits of entropy', () => {
    assert.ok(ID_LENGTH * Math.log2(ID_ALPHABET.length) >= 40);
  });
});

describe('newId', () => {
  test('product and order ids have their prefix and shape', () => {
    const product = newProductId();
    const order = newOrderId();
    assert.match(product, /^P-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
    assert.match(order, /^O-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
    assert.ok(isId('product', product));
    assert.ok(isId('order', order));
    assert.ok(!isId('order', product));
  });

  test('uses the injected random source for every character', () => {
    assert.equal(
      newId('product', () => 0),
      'P-2222222222',
    );
    assert.equal(
      newId('order', () => ID_ALPHABET.length - 1),
      'O-ZZZZZZZZZZ',
    );
    let i = 0;
    assert.equal(
      newId('product', () => i++),
      `P-${ID_ALPHABET.slice(0, 10)}`,
    );
  });

  test('10,000 ids are all distinct and spread over the alphabet', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newProductId()));
    assert.equal(ids.size, 10_000);
    const seen = new Set([...ids].flatMap((id) => [...id.slice(2)]));
    assert.equal(seen.size, ID_ALPHABET.length);
  });

  test('every generated id parses back to itself', () => {
    for (let n = 0; n < 200; n++) {
      const id = newOrderId();
      assert.equal(parseOrderId(id), id);
      assert.equal(parseOrderId(id.toLowerCase()), id);
    }
  });
});

describe('parseId', () => {
  const canonical = 'P-7K3M9QXD4T';
  const accepted = [
    'P-7K3M9QXD4T',
    'p-7k3m9qxd4t',
    '  P-7K3M9QXD4T  ',
    '7K3M9QXD4T',
    '7k3m 9qxd 4t',
    '7K3M-9QXD-4T',
    'P7K3M9QXD4T',
    'p 7k3m9qxd4t',
    'P – 7K3M9QXD4T', // en dash
    'P_7K3M9QXD4T',
    'Ｐ－７Ｋ３Ｍ９ＱＸＤ４Ｔ', // full-width
    'Р-7К3М9QХD4Т', // Cyrillic Р, К, М, Х, Т
  ];
  for (const input of accepted) {
    test(`"${input}" → ${canonical}`, () => assert.equal(parseProductId(input), canonical));
  }

  test('a body starting with the prefix letter keeps it when there is no prefix', () => {
    assert.equal(parseProductId('PK3M9QXD4T'), 'P-PK3M9QXD4T');
    assert.equal(parseProductId('P-PK3M9QXD4T'), 'P-PK3M9QXD4T');
    assert.equal(parseProductId('PPK3M9QXD4T'), 'P-PK3M9QXD4T');
  });

  test('order ids accept a zero typed for the O prefix', () => {
    assert.equal(parseOrderId('0-7K3M9QXD4T'), 'O-7K3M9QXD4T');
    assert.equal(parseOrderId('o7k3m9qxd4t'), 'O-7K3M9QXD4T');
    assert.equal(parseOrderId('7K3M9QXD4T'), 'O-7K3M9QXD4T');
  });

  test('empty input', () => rejects(() => parseProductId('  - '), 'id_required'));

  test('the other kind of id is named as such', () => {
    rejects(() => parseProductId('O-7K3M9QXD4T'), 'id_wrong_kind');
    rejects(() => parseProductId('O7K3M9QXD4T'), 'id_wrong_kind');
    rejects(() => parseOrderId('P-7K3M9QXD4T'), 'id_wrong_kind', 'order_id');
  });

  test('look-alike characters are reported, not guessed', () => {
    for (const input of [
      'P-7K3M9QXD40',
      'P-7K3M9QXDO4',
      'P-1K3M9QXD4T',
      'P-IK3M9QXD4T',
      'P-LK3M9QXD4T',
      'lk3m9qxd4t',
    ]) {
      rejects(() => parseProductId(input), 'id_ambiguous_char');
    }
  });

  test('wrong length or characters', () => {
    for (const input of [
      'P-7K3M9QXD4',
      'P-7K3M9QXD4TT',
      'hello',
      'P-7K3M9QXD4!',
      'P-7K3M9QXD4É',
      'TBF-65A1B2C3-000001',
    ]) {
      rejects(() => parseProductId(input), 'id_invalid');
    }
  });

  test('tryParseId returns null instead of throwing', () => {
    assert.equal(tryParseId('product', 'trading course'), null);
    assert.equal(tryParseId('product', 'p7k3m9qxd4t'), canonical);
  });

  test('isId is strict: no normalisation', () => {
    assert.ok(isId('product', canonical));
    assert.ok(!isId('product', canonical.toLowerCase()));
    assert.ok(!isId('product', '7K3M9QXD4T'));
    assert.ok(!isId('product', `${canonical}\n`));
  });

  test('parseId rejects with the kind in the field', () => {
    rejects(() => parseId('order', 'x'), 'id_invalid', 'order_id');
  });
});

describe('download tokens', () => {
  test('32 random bytes in base64url', () => {
    const token = newDownloadToken();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.ok(isDownloadTokenFormat(token));
  });

  test('tokens do not repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newDownloadToken));
    assert.equal(tokens.size, 1000);
  });

  test('hash is hex SHA-256 of the token, stable', () => {
    const token = newDownloadToken();
    const hash = hashDownloadToken(token);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(hash, createHash('sha256').update(token).digest('hex'));
    assert.equal(hashDownloadToken(token), hash);
    assert.notEqual(hashDownloadToken(newDownloadToken()), hash);
  });

  test('format check refuses garbage before any lookup', () => {
    for (const bad of [
      '',
      'abc',
      `${newDownloadToken()}x`,
      `${newDownloadToken().slice(1)}=`,
      `${'a'.repeat(42)}/`,
    ]) {
      assert.ok(!isDownloadTokenFormat(bad), bad);
    }
  });
});
