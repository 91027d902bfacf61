// Every client method against the simulator, over HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type NowPaymentsSimulator,
  startNowPaymentsSimulator,
} from '../../src/dev/nowpayments-simulator/index.ts';
import {
  createNowPaymentsClient,
  type NowPaymentsClient,
  NowPaymentsError,
} from '../../src/integrations/nowpayments/index.ts';

const API_KEY = 'sim-api-key-0001';
const CALLBACK = 'http://127.0.0.1:9/ipn/nowpayments';

describe('NOWPayments client against the simulator', () => {
  let sim: NowPaymentsSimulator;
  let client: NowPaymentsClient;

  before(async () => {
    sim = await startNowPaymentsSimulator({ apiKey: API_KEY, ipnSecret: 'sim-ipn-secret' });
    client = createNowPaymentsClient({ baseUrl: sim.baseUrl, apiKey: API_KEY, timeoutMs: 2_000, retries: 0 });
  });
  after(() => sim.close());

  const order = (overrides: Partial<Parameters<NowPaymentsClient['createPayment']>[0]> = {}) => ({
    priceAmount: '12.49',
    priceCurrency: 'usd' as const,
    payCurrency: 'btc',
    orderId: 'order-1',
    orderDescription: 'A product',
    ipnCallbackUrl: CALLBACK,
    ...overrides,
  });

  test('status', async () => {
    assert.deepEqual(await client.status(), { ok: true, message: 'OK' });
  });

  test('currencies', async () => {
    assert.deepEqual(await client.currencies(), ['btc', 'eth', 'sol', 'usdtsol', 'usdcsol']);
  });

  test('minAmount, with and without the USD equivalent', async () => {
    assert.deepEqual(await client.minAmount({ from: 'BTC', fiatEquivalent: 'usd' }), {
      from: 'btc',
      to: 'btc',
      minAmount: '0.0001',
      fiatEquivalent: '6',
    });
    assert.deepEqual(await client.minAmount({ from: 'sol', to: 'usdtsol' }), {
      from: 'sol',
      to: 'usdtsol',
      minAmount: '0.01',
      fiatEquivalent: null,
    });
  });

  test('estimate gives the crypto amount as an exact decimal string', async () => {
    assert.deepEqual(await client.estimate({ amount: '12.49', from: 'usd', to: 'btc' }), {
      from: 'usd',
      to: 'btc',
      amountFrom: '12.49',
      estimatedAmount: '0.00020817',
    });
  });

  test('createPayment then getPayment', async () => {
    const created = await client.createPayment(order({ payCurrency: 'eth', orderId: 'order-eth' }));
    assert.match(created.paymentId, /^\d{10}$/);
    assert.equal(created.status, 'waiting');
    assert.match(created.payAddress, /^0x[0-9a-f]{40}$/);
    assert.equal(created.priceAmount, '12.49');
    assert.equal(created.priceCurrency, 'usd');
    assert.equal(created.payAmount, '0.00416334');
    assert.equal(created.payCurrency, 'eth');
    assert.equal(created.orderId, 'order-eth');
    assert.equal(created.orderDescription, 'A product');
    assert.equal(created.actuallyPaid, '0');
    assert.ok(created.expiresAt && Date.parse(created.expiresAt) > Date.now());
    assert.equal(created.raw.ipn_callback_url, CALLBACK);

    const fetched = await client.getPayment(created.paymentId);
    assert.equal(fetched.paymentId, created.paymentId);
    assert.equal(fetched.status, 'waiting');
    assert.equal(fetched.payAddress, created.payAddress);
    assert.equal(fetched.payAmount, created.payAmount);
    assert.equal(
      await client.getPayment(Number(created.paymentId)).then((p) => p.paymentId),
      created.paymentId,
    );
  });

  test('getPayment follows the simulated statuses', async () => {
    const created = await client.createPayment(order({ payCurrency: 'usdtsol', orderId: 'order-usdt' }));
    assert.equal(created.payAmount, '12.49');
    await sim.advance(created.paymentId, 'finished', { notify: false });
    const fetched = await client.getPayment(created.paymentId);
    assert.equal(fetched.status, 'finished');
    assert.equal(fetched.actuallyPaid, '12.49');
    assert.equal(fetched.outcomeCurrency, 'usdtsol');
    assert.ok(fetched.payinHash && fetched.payoutHash);
  });

  test('below the coin minimum: the provider error, not retried', async () => {
    const retrying = createNowPaymentsClient({
      baseUrl: sim.baseUrl,
      apiKey: API_KEY,
      retries: 3,
      baseDelayMs: 1,
    });
    await assert.rejects(retrying.createPayment(order({ priceAmount: '1.00' })), (error: unknown) => {
      assert.ok(error instanceof NowPaymentsError);
      assert.equal(error.status, 400);
      assert.equal(error.providerCode, 'AMOUNT_MINIMAL_ERROR');
      assert.equal(error.attempts, 1);
      assert.equal(error.mayHaveSucceeded, false);
      return true;
    });
  });

  test('an unavailable coin and an unknown payment are 4xx errors', async () => {
    await assert.rejects(client.createPayment(order({ payCurrency: 'doge' })), {
      status: 400,
      providerCode: 'CURRENCY_UNAVAILABLE',
    });
    await assert.rejects(client.getPayment('1234567890'), {
      status: 404,
      providerCode: 'PAYMENT_NOT_FOUND',
      attempts: 1,
    });
  });

  test('a wrong API key is a 401 that names neither key', async () => {
    const wrong = createNowPaymentsClient({
      baseUrl: sim.baseUrl,
      apiKey: 'wrong-key-4242',
      retries: 2,
      baseDelayMs: 1,
    });
    await assert.rejects(wrong.currencies(), (error: unknown) => {
      assert.ok(error instanceof NowPaymentsError);
      assert.equal(error.status, 401);
      assert.equal(error.providerCode, 'INVALID_API_KEY');
      assert.equal(error.isAuthError, true);
      assert.equal(error.attempts, 1);
      assert.ok(!error.message.includes('wrong-key-4242'));
      assert.ok(!error.message.includes(API_KEY));
      return true;
    });
    // /status is public, as on the live API.
    assert.equal((await wrong.status()).ok, true);
  });

  test('bad arguments are refused before any request', async () => {
    await assert.rejects(client.getPayment('../status'), { providerCode: 'INVALID_ARGUMENT', attempts: 0 });
    await assert.rejects(client.estimate({ amount: '-1', from: 'usd', to: 'btc' }), {
      providerCode: 'INVALID_ARGUMENT',
    });
    await assert.rejects(client.createPayment(order({ priceAmount: '12.4900000001' })), {
      providerCode: 'INVALID_ARGUMENT',
    });
    await assert.rejects(client.createPayment(order({ ipnCallbackUrl: 'not a url' })), {
      providerCode: 'INVALID_ARGUMENT',
    });
    await assert.rejects(client.minAmount({ from: 'b t c' }), { providerCode: 'INVALID_ARGUMENT' });
    assert.throws(() => createNowPaymentsClient({ baseUrl: 'ftp://x', apiKey: API_KEY }), TypeError);
    assert.throws(() => createNowPaymentsClient({ baseUrl: sim.baseUrl, apiKey: '' }), TypeError);
  });

  test('a configured currency list is what the simulator offers', async () => {
    const small = await startNowPaymentsSimulator({
      apiKey: API_KEY,
      ipnSecret: 's',
      currencies: ['sol', 'USDCSOL'],
    });
    try {
      const c = createNowPaymentsClient({ baseUrl: small.baseUrl, apiKey: API_KEY });
      assert.deepEqual(await c.currencies(), ['sol', 'usdcsol']);
      await assert.rejects(c.createPayment(order({ payCurrency: 'btc' })), {
        providerCode: 'CURRENCY_UNAVAILABLE',
      });
    } finally {
      await small.close();
    }
  });
});
