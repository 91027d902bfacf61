// Transport behaviour against scripted local servers: retries, Retry-After, timeouts, what
// createPayment may and may not send twice, exact amounts, and no API key in errors or logs.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, describe, test } from 'node:test';
import { pino } from 'pino';
import {
  createNowPaymentsClient,
  type NowPaymentsClientOptions,
  NowPaymentsError,
} from '../../src/integrations/nowpayments/index.ts';
import {
  closedPort,
  type Script,
  type ScriptedServer,
  send,
  sleep,
  startScriptedServer,
  wirePayment,
} from './helpers.ts';

const API_KEY = 'live-like-key-7777';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: Script, options: Partial<NowPaymentsClientOptions> = {}) {
  server = await startScriptedServer(script);
  const client = createNowPaymentsClient({
    baseUrl: `${server.url}/v1`,
    apiKey: API_KEY,
    timeoutMs: 1_000,
    retries: 2,
    baseDelayMs: 5,
    maxDelayMs: 2_000,
    ...options,
  });
  return { client, requests: server.requests };
}

const ORDER = {
  priceAmount: '12.49',
  priceCurrency: 'usd' as const,
  payCurrency: 'btc',
  orderId: 'order-1',
  orderDescription: 'A product',
  ipnCallbackUrl: 'http://127.0.0.1:9/ipn',
};

const providerError = (statusCode: number, code: string, message: string) => ({
  status: false,
  statusCode,
  code,
  message,
});

describe('reads', () => {
  test('503 twice, then success: three requests, key and path right', async () => {
    const { client, requests } = await serve((_req, n, res) =>
      n < 3
        ? send(res, 503, providerError(503, 'SERVICE_UNAVAILABLE', 'busy'))
        : send(res, 200, { message: 'OK' }),
    );
    assert.deepEqual(await client.status(), { ok: true, message: 'OK' });
    assert.equal(requests.length, 3);
    assert.equal(requests[0]?.url, '/v1/status');
    assert.equal(requests[0]?.headers['x-api-key'], API_KEY);
  });

  test('429 with Retry-After: waits that long, then succeeds', async () => {
    const { client, requests } = await serve((_req, n, res) =>
      n === 1
        ? send(res, 429, '<html>429 Too Many Requests</html>', { 'retry-after': '1' })
        : send(res, 200, { currencies: ['BTC'] }),
    );
    const started = Date.now();
    assert.deepEqual(await client.currencies(), ['btc']);
    assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
    assert.equal(requests.length, 2);
  });

  test('a Retry-After longer than maxDelayMs ends the retries', async () => {
    const { client, requests } = await serve((_req, _n, res) =>
      send(res, 429, '<html>429 Too Many Requests</html>', { 'retry-after': '120' }),
    );
    await assert.rejects(client.currencies(), { status: 429, providerCode: 'RATE_LIMITED', attempts: 1 });
    assert.equal(requests.length, 1);
  });

  test('400 is never retried', async () => {
    const { client, requests } = await serve((_req, _n, res) =>
      send(res, 400, providerError(400, 'INVALID_REQUEST_PARAMS', 'currency_to is invalid')),
    );
    await assert.rejects(client.minAmount({ from: 'btc', to: 'xyz' }), (error: unknown) => {
      assert.ok(error instanceof NowPaymentsError);
      assert.equal(error.status, 400);
      assert.equal(error.providerCode, 'INVALID_REQUEST_PARAMS');
      assert.match(error.message, /currency_to is invalid/);
      return true;
    });
    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.url, '/v1/min-amount?currency_from=btc&currency_to=xyz');
  });

  test('500 every time: retries + 1 attempts, then the error', async () => {
    const { client, requests } = await serve((_req, _n, res) =>
      send(res, 500, providerError(500, 'INTERNAL', 'boom')),
    );
    await assert.rejects(client.getPayment('42'), { status: 500, providerCode: 'INTERNAL', attempts: 3 });
    assert.equal(requests.length, 3);
  });

  test('a slow answer times out, and a read retries it', async () => {
    const { client, requests } = await serve(
      async (_req, _n, res) => {
        await sleep(3_000);
        send(res, 200, { message: 'OK' });
      },
      { timeoutMs: 600, retries: 1 },
    );
    // The server would answer 200 after 3 s: a TIMEOUT means the client gave up first.
    await assert.rejects(client.status(), { providerCode: 'TIMEOUT', status: null, attempts: 2 });
    assert.equal(requests.length, 2);
  });

  test('a dropped connection is retried for a read', async () => {
    const { client, requests } = await serve((_req, n, res) =>
      n === 1 ? res.destroy() : send(res, 200, wirePayment({ payment_status: 'confirming' })),
    );
    assert.equal((await client.getPayment('5077125051')).status, 'confirming');
    assert.equal(requests.length, 2);
  });

  test('an unreadable 200 is INVALID_RESPONSE, not retried', async () => {
    const { client, requests } = await serve((_req, _n, res) => send(res, 200, { currencies: 'btc' }));
    await assert.rejects(client.currencies(), { providerCode: 'INVALID_RESPONSE', status: 200, attempts: 1 });
    assert.equal(requests.length, 1);
  });

  test('an unknown payment status is INVALID_RESPONSE rather than a guess', async () => {
    const { client } = await serve((_req, _n, res) =>
      send(res, 200, wirePayment({ payment_status: 'teleported' })),
    );
    await assert.rejects(client.getPayment('5077125051'), { providerCode: 'INVALID_RESPONSE' });
  });
});

describe('createPayment', () => {
  const created = wirePayment({ payment_id: '5077125051' });

  test('sends the documented body and maps the answer', async () => {
    const { client, requests } = await serve((_req, _n, res) => send(res, 201, created));
    const payment = await client.createPayment({ ...ORDER, payoutCurrency: 'usdtsol' });
    assert.equal(payment.paymentId, '5077125051');
    assert.equal(payment.payAddress, created.pay_address);
    assert.equal(requests[0]?.method, 'POST');
    assert.equal(requests[0]?.url, '/v1/payment');
    assert.equal(requests[0]?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(requests[0]?.body ?? ''), {
      price_amount: 12.49,
      price_currency: 'usd',
      pay_currency: 'btc',
      order_id: 'order-1',
      order_description: 'A product',
      ipn_callback_url: 'http://127.0.0.1:9/ipn',
      payout_currency: 'usdtsol',
    });
  });

  for (const status of [503, 429]) {
    test(`${status} (rejected before processing) is retried`, async () => {
      const { client, requests } = await serve((_req, n, res) =>
        n === 1 ? send(res, status, providerError(status, 'BUSY', 'try later')) : send(res, 201, created),
      );
      assert.equal((await client.createPayment(ORDER)).paymentId, '5077125051');
      assert.equal(requests.length, 2);
    });
  }

  for (const status of [500, 502, 504]) {
    test(`${status} is not retried: the payment may exist`, async () => {
      const { client, requests } = await serve((_req, _n, res) =>
        send(res, status, providerError(status, 'ERR', 'x')),
      );
      await assert.rejects(client.createPayment(ORDER), { status, attempts: 1, mayHaveSucceeded: true });
      assert.equal(requests.length, 1);
    });
  }

  test('a timeout is not retried: the payment may exist', async () => {
    const { client, requests } = await serve(
      async (_req, _n, res) => {
        await sleep(3_000);
        send(res, 201, created);
      },
      // Long enough for a loaded machine to deliver the request before the client gives up.
      { timeoutMs: 600 },
    );
    await assert.rejects(client.createPayment(ORDER), {
      providerCode: 'TIMEOUT',
      attempts: 1,
      mayHaveSucceeded: true,
    });
    assert.equal(requests.length, 1);
  });

  test('a connection dropped after sending is not retried', async () => {
    const { client, requests } = await serve((_req, _n, res) => res.destroy());
    await assert.rejects(client.createPayment(ORDER), {
      providerCode: 'NETWORK_ERROR',
      attempts: 1,
      mayHaveSucceeded: true,
    });
    assert.equal(requests.length, 1);
  });

  test('connection refused (nothing sent) is retried, and is not a maybe', async () => {
    const port = await closedPort();
    const client = createNowPaymentsClient({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      apiKey: API_KEY,
      retries: 2,
      baseDelayMs: 1,
    });
    await assert.rejects(client.createPayment(ORDER), (error: unknown) => {
      assert.ok(error instanceof NowPaymentsError);
      assert.equal(error.providerCode, 'NETWORK_ERROR');
      assert.equal(error.attempts, 3);
      assert.equal(error.mayHaveSucceeded, false);
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
  });

  test('400 is neither retried nor a maybe', async () => {
    const { client, requests } = await serve((_req, _n, res) =>
      send(res, 400, providerError(400, 'AMOUNT_MINIMAL_ERROR', 'amountTo is too small')),
    );
    await assert.rejects(client.createPayment(ORDER), { status: 400, mayHaveSucceeded: false, attempts: 1 });
    assert.equal(requests.length, 1);
  });

  test('a 201 we cannot read still says the payment may exist', async () => {
    const { client } = await serve((_req, _n, res) => send(res, 201, '<html>oops</html>'));
    await assert.rejects(client.createPayment(ORDER), {
      providerCode: 'INVALID_RESPONSE',
      mayHaveSucceeded: true,
    });
  });
});

test('amounts and ids keep every digit the provider sent', async () => {
  const raw =
    '{"payment_id":12345678901234567890,"payment_status":"partially_paid","pay_address":"0xabc",' +
    '"price_amount":12.49,"price_currency":"usd","pay_amount":0.123456789012345678,"actually_paid":1e-7,' +
    '"pay_currency":"eth","order_id":"o","outcome_amount":"0.000000000000000001","outcome_currency":"eth"}';
  const { client } = await serve((_req, _n, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(raw);
  });
  const payment = await client.getPayment('12345678901234567890');
  assert.equal(payment.paymentId, '12345678901234567890');
  assert.equal(payment.payAmount, '0.123456789012345678');
  assert.equal(payment.actuallyPaid, '0.0000001');
  assert.equal(payment.outcomeAmount, '0.000000000000000001');
  assert.equal(payment.raw.pay_amount, '0.123456789012345678');
});

test('the API key appears in no error and no log line, even when the server echoes it', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const { client } = await serve(
    (_req, n, res) =>
      n === 1
        ? send(res, 503, providerError(503, 'BUSY', 'busy'))
        : send(res, 403, providerError(403, 'INVALID_API_KEY', `Invalid api key ${API_KEY}`)),
    { log: pino({ level: 'debug' }, sink) },
  );
  await assert.rejects(client.currencies(), (error: unknown) => {
    assert.ok(error instanceof NowPaymentsError);
    assert.equal(error.isAuthError, true);
    assert.ok(!error.message.includes(API_KEY), error.message);
    assert.match(error.message, /\[redacted\]/);
    return true;
  });
  assert.equal(lines.length, 1, 'one retry logged');
  assert.match(lines[0] ?? '', /"operation":"currencies"/);
  assert.ok(lines.every((line) => !line.includes(API_KEY)));
});
