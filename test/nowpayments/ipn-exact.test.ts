// The IPN signature covers numbers as doubles (JSON.parse, then sorted JSON.stringify), while
// amounts are read from the exact text: every number must therefore be exactly the double that
// was signed, and only a JSON object can be a notification at all.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  readIpn,
  signedContentDigest,
  signIpn,
  verifyIpnSignature,
} from '../../src/integrations/nowpayments/index.ts';
import { respelled } from './helpers.ts';

const SECRET = 'ipn-secret-for-exact-tests';

// A finished BTC payment in the provider's shape: numbers, a nested fee, keys unsorted.
const IPN = {
  payment_id: 5_077_125_051,
  payment_status: 'finished',
  pay_address: 'bc1qaddress',
  price_amount: 17.49,
  price_currency: 'usd',
  pay_amount: 0.0002915,
  actually_paid: 0.0002915,
  pay_currency: 'btc',
  order_id: 'O-1',
  purchase_id: '4077125051',
  outcome_amount: 0.00028859,
  outcome_currency: 'btc',
  parent_payment_id: null,
  fee: { currency: 'btc', depositFee: 0, withdrawalFee: 0.00001, serviceFee: 0.00000146 },
};

/** The text of `body` (an object, or JSON text) with `from` (which must occur) replaced by `to`. */
function retyped(body: unknown, from: string, to: string): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  assert.ok(text.includes(from), `${from} in ${text}`);
  return text.replace(from, to);
}

describe('numbers the signature does not cover exactly', () => {
  const unpaid = { ...IPN, actually_paid: null };
  const tricks: [string, unknown, string, string][] = [
    ['digits a double drops', IPN, '"pay_amount":0.0002915', '"pay_amount":0.000291500000000000000001'],
    [
      'a 401-digit number, signed as null',
      unpaid,
      '"actually_paid":null',
      `"actually_paid":1${'0'.repeat(400)}`,
    ],
    ['an overflowing exponent, signed as null', unpaid, '"actually_paid":null', '"actually_paid":1e400'],
    [
      'a digit past the precision, inside fee',
      IPN,
      '"serviceFee":0.00000146',
      '"serviceFee":0.0000014600000000000001',
    ],
  ];

  for (const [name, signed, from, to] of tricks) {
    test(`${name} is refused once the signature holds`, () => {
      const text = retyped(signed, from, to);
      // What JSON.parse makes of it is exactly what was signed: the signature alone cannot tell.
      assert.equal(verifyIpnSignature(text, signIpn(signed, SECRET), SECRET), true);
      const read = readIpn(text, signIpn(signed, SECRET), SECRET);
      assert.equal(read.ok, false);
      assert.equal(!read.ok && read.reason, 'inexact_number');
      const key = from.slice(1, from.indexOf('"', 1));
      assert.match((!read.ok && read.detail) || '', new RegExp(`^${key}: `));
    });
  }

  test('a wrong signature is still a bad signature first', () => {
    const text = retyped(IPN, '"pay_amount":0.0002915', '"pay_amount":0.000291500000000000000001');
    assert.deepEqual(readIpn(text, 'a'.repeat(128), SECRET), { ok: false, reason: 'bad_signature' });
  });
});

describe("the provider's own spellings", () => {
  test('trailing zeros and exponents read as the exact amounts the signature covers', () => {
    const text = retyped(
      retyped(IPN, '"pay_amount":0.0002915', '"pay_amount":0.00029150'),
      '"price_amount":17.49',
      '"price_amount":1.749e1',
    );
    const read = readIpn(text, signIpn(IPN, SECRET), SECRET);
    assert.ok(read.ok, JSON.stringify(read));
    assert.equal(read.ipn.priceAmount, '17.49');
    assert.equal(read.ipn.payAmount, '0.0002915');
    assert.equal(read.ipn.actuallyPaid, '0.0002915');
    assert.deepEqual(read.ipn.fee, {
      currency: 'btc',
      depositFee: '0',
      withdrawalFee: '0.00001',
      serviceFee: '0.00000146',
    });
  });

  test('the live IPN shape reads: updated_at in epoch milliseconds, invoice_id, extra nulls', () => {
    const live = {
      ...IPN,
      actually_paid_at_fiat: 0,
      invoice_id: 4_978_049_765,
      order_description: null,
      payin_extra_id: null,
      payment_extra_ids: null,
      updated_at: 1_708_011_564_521,
    };
    const read = readIpn(JSON.stringify(live), signIpn(live, SECRET), SECRET);
    assert.ok(read.ok, JSON.stringify(read));
    assert.equal(read.ipn.updatedAt, '2024-02-15T15:39:24.521Z');
    assert.equal(read.ipn.payAmount, '0.0002915');
  });

  test('one notification spelled two ways has one raw payment and one signed digest', () => {
    const plain = JSON.stringify(IPN);
    const other = respelled(IPN);
    assert.notEqual(other, plain);
    const a = readIpn(plain, signIpn(IPN, SECRET), SECRET);
    const b = readIpn(other, signIpn(IPN, SECRET), SECRET);
    assert.ok(a.ok && b.ok, JSON.stringify([a, b]));
    assert.deepEqual(b.ipn.raw, a.ipn.raw);
    assert.equal(b.ipn.paymentId, '5077125051');
    assert.equal(signedContentDigest(other), signedContentDigest(plain));
    assert.notEqual(
      signedContentDigest(JSON.stringify({ ...IPN, actually_paid: 0.0002914 })),
      signedContentDigest(plain),
    );
  });
});

describe('only a JSON object can verify', () => {
  test('a captured IPN wrapped in a JSON string is a bad signature', () => {
    const captured = JSON.stringify(IPN);
    const wrapped = JSON.stringify(captured);
    const signature = signIpn(IPN, SECRET);
    assert.equal(verifyIpnSignature(wrapped, signature, SECRET), false);
    assert.equal(readIpn(wrapped, signature, SECRET).ok, false);
    assert.equal((readIpn(wrapped, signature, SECRET) as { reason: string }).reason, 'bad_signature');
  });

  test('a correctly signed array, string, number or null is a bad signature', () => {
    for (const body of [[IPN], 'finished', 17.49, null]) {
      const signature = signIpn(body, SECRET);
      assert.equal(verifyIpnSignature(JSON.stringify(body), signature, SECRET), false, JSON.stringify(body));
      const read = readIpn(JSON.stringify(body), signature, SECRET);
      assert.equal(!read.ok && read.reason, 'bad_signature', JSON.stringify(body));
    }
  });
});
