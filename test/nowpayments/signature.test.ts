import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  canonicalIpnJson,
  readIpn,
  signIpn,
  verifyIpnSignature,
} from '../../src/integrations/nowpayments/index.ts';

const SECRET = 'ipn-secret-for-tests';

// Keys deliberately out of order at both levels, as the provider posts them.
const BODY = {
  payment_status: 'finished',
  payment_id: 5_077_125_051,
  fee: { withdrawalFee: 0, serviceFee: 0.0000125, depositFee: 0, currency: 'btc' },
  actually_paid: 1e-7,
  order_id: 'A-1',
  price_amount: 12.49,
  parent_payment_id: null,
  tags: ['b', 'a'],
};

// Written by hand, not computed: the contract itself.
const CANONICAL =
  '{"actually_paid":1e-7,"fee":{"currency":"btc","depositFee":0,"serviceFee":0.0000125,"withdrawalFee":0},' +
  '"order_id":"A-1","parent_payment_id":null,"payment_id":5077125051,"payment_status":"finished",' +
  '"price_amount":12.49,"tags":["b","a"]}';

const EXPECTED = createHmac('sha512', SECRET).update(CANONICAL).digest('hex');

function reversed(value: unknown): unknown {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversed(v)]),
  );
}

describe('IPN signature', () => {
  test('serialises compactly with keys sorted at every depth, arrays in order', () => {
    assert.equal(canonicalIpnJson(BODY), CANONICAL);
  });

  test('signIpn is HMAC-SHA512 hex of the canonical JSON', () => {
    assert.equal(signIpn(BODY, SECRET), EXPECTED);
    assert.match(EXPECTED, /^[0-9a-f]{128}$/);
  });

  test('verifies a parsed body, a raw string (any key order, any spacing) and a Buffer', () => {
    const pretty = JSON.stringify(reversed(BODY), null, 2);
    assert.equal(verifyIpnSignature(BODY, EXPECTED, SECRET), true);
    assert.equal(verifyIpnSignature(pretty, EXPECTED, SECRET), true);
    assert.equal(verifyIpnSignature(Buffer.from(pretty), EXPECTED, SECRET), true);
    assert.equal(verifyIpnSignature(BODY, EXPECTED.toUpperCase(), SECRET), true);
  });

  test('does not depend on key order, nested fee object included', () => {
    assert.equal(signIpn(reversed(BODY), SECRET), EXPECTED);
    const { fee: _fee, ...rest } = BODY;
    const feeFirst = {
      fee: { currency: 'btc', depositFee: 0, serviceFee: 0.0000125, withdrawalFee: 0 },
      ...rest,
    };
    assert.equal(signIpn(feeFirst, SECRET), EXPECTED);
  });

  test('a tampered body fails, at the top level or inside fee', () => {
    assert.equal(verifyIpnSignature({ ...BODY, actually_paid: 1 }, EXPECTED, SECRET), false);
    assert.equal(verifyIpnSignature({ ...BODY, payment_status: 'confirmed' }, EXPECTED, SECRET), false);
    assert.equal(
      verifyIpnSignature({ ...BODY, fee: { ...BODY.fee, serviceFee: 0 } }, EXPECTED, SECRET),
      false,
    );
    assert.equal(verifyIpnSignature({ ...BODY, extra: true }, EXPECTED, SECRET), false);
    assert.equal(verifyIpnSignature({ ...BODY, tags: ['a', 'b'] }, EXPECTED, SECRET), false);
  });

  test('the wrong secret, or an empty one, fails', () => {
    assert.equal(verifyIpnSignature(BODY, EXPECTED, 'another-secret'), false);
    assert.equal(verifyIpnSignature(BODY, signIpn(BODY, ''), ''), false);
  });

  test('a missing, repeated or garbled header is false, never an exception', () => {
    for (const header of [
      undefined,
      null,
      '',
      'sha512=abc',
      EXPECTED.slice(0, 127),
      `${EXPECTED}00`,
      `${EXPECTED.slice(0, 127)}g`,
      [EXPECTED],
    ]) {
      assert.equal(verifyIpnSignature(BODY, header as string, SECRET), false, String(header));
    }
  });

  test('a body that is not JSON fails', () => {
    assert.equal(verifyIpnSignature('{"payment_id":', EXPECTED, SECRET), false);
    assert.equal(verifyIpnSignature('', EXPECTED, SECRET), false);
  });

  test('a "__proto__" key is signed like any other key', () => {
    const raw = '{"b":1,"__proto__":{"x":1},"a":2}';
    const signature = signIpn(JSON.parse(raw), SECRET);
    assert.equal(canonicalIpnJson(JSON.parse(raw)), '{"__proto__":{"x":1},"a":2,"b":1}');
    assert.equal(verifyIpnSignature(raw, signature, SECRET), true);
    assert.equal(verifyIpnSignature('{"b":1,"a":2}', signature, SECRET), false);
  });
});

describe('readIpn', () => {
  const ipn = {
    payment_id: 5_077_125_051,
    payment_status: 'partially_paid',
    pay_address: 'bc1qaddress',
    price_amount: 12.49,
    price_currency: 'usd',
    pay_amount: 0.00020817,
    actually_paid: 1e-7,
    pay_currency: 'BTC',
    order_id: 'A-1',
    order_description: null,
    purchase_id: '4077125051',
    outcome_amount: 0.0000995,
    outcome_currency: 'btc',
    parent_payment_id: null,
    fee: { currency: 'btc', depositFee: 0.09853637216235617, withdrawalFee: 0, serviceFee: 0 },
  };

  test('returns the payment, amounts exact, only when the signature holds', () => {
    const raw = JSON.stringify(ipn);
    const result = readIpn(raw, signIpn(ipn, SECRET), SECRET);
    assert.ok(result.ok);
    assert.equal(result.ipn.paymentId, '5077125051');
    assert.equal(result.ipn.status, 'partially_paid');
    assert.equal(result.ipn.actuallyPaid, '0.0000001');
    assert.equal(result.ipn.payAmount, '0.00020817');
    assert.equal(result.ipn.payCurrency, 'btc');
    assert.equal(result.ipn.orderId, 'A-1');
    assert.deepEqual(result.ipn.fee, {
      currency: 'btc',
      depositFee: '0.09853637216235617',
      withdrawalFee: '0',
      serviceFee: '0',
    });
  });

  test('a bad signature or a non-JSON body is bad_signature; a signed odd body is invalid_payload', () => {
    const raw = JSON.stringify(ipn);
    assert.deepEqual(readIpn(raw, 'f'.repeat(128), SECRET), { ok: false, reason: 'bad_signature' });
    assert.equal(readIpn('not json', signIpn(ipn, SECRET), SECRET).ok, false);
    const odd = { ...ipn, payment_status: 'teleported' };
    const result = readIpn(JSON.stringify(odd), signIpn(odd, SECRET), SECRET);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'invalid_payload');
  });
});
