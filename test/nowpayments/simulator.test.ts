// The simulator as our server will meet it: payments walked through their statuses, signed IPNs
// received over HTTP on 127.0.0.1, and the control API and page a person uses.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  type NowPaymentsSimulator,
  SimulatorError,
  startNowPaymentsSimulator,
} from '../../src/dev/nowpayments-simulator/index.ts';
import {
  createNowPaymentsClient,
  IPN_SIGNATURE_HEADER,
  type NowPaymentsClient,
  readIpn,
  verifyIpnSignature,
} from '../../src/integrations/nowpayments/index.ts';
import { type Received, type ScriptedServer, send, sleep, startScriptedServer } from './helpers.ts';

const API_KEY = 'sim-api-key-0002';
const SECRET = 'sim-ipn-secret-0002';

describe('NOWPayments simulator', () => {
  let sim: NowPaymentsSimulator;
  let client: NowPaymentsClient;
  let receiver: ScriptedServer;
  // What the receiving server answers next; tests change it.
  let answer: (req: Received) => number;
  let slowMs = 0;

  before(async () => {
    receiver = await startScriptedServer(async (req, _n, res) => {
      if (slowMs) await sleep(slowMs);
      send(res, answer(req), { ok: true });
    });
    sim = await startNowPaymentsSimulator({ apiKey: API_KEY, ipnSecret: SECRET, ipnTimeoutMs: 500 });
    client = createNowPaymentsClient({ baseUrl: sim.baseUrl, apiKey: API_KEY, retries: 0 });
  });
  after(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(() => {
    answer = (req) => (verifyIpnSignature(req.body, req.headers[IPN_SIGNATURE_HEADER], SECRET) ? 200 : 401);
    slowMs = 0;
    receiver.requests.length = 0;
  });

  const create = (payCurrency = 'btc', ipnCallbackUrl = `${receiver.url}/ipn/nowpayments`) =>
    client.createPayment({
      priceAmount: '12.49',
      priceCurrency: 'usd',
      payCurrency,
      orderId: `order-${Math.random().toString(36).slice(2)}`,
      orderDescription: 'A product',
      ipnCallbackUrl,
    });

  const statusesReceived = () => receiver.requests.map((r) => JSON.parse(r.body).payment_status as string);

  test('walked to finished: one signed IPN per status, in order, each verified by our receiver', async () => {
    const payment = await create();
    const result = await sim.advance(payment.paymentId, 'finished');
    assert.deepEqual(result.steps, ['confirming', 'confirmed', 'sending', 'finished']);
    assert.deepEqual(statusesReceived(), ['confirming', 'confirmed', 'sending', 'finished']);
    assert.deepEqual(
      result.deliveries.map((d) => [d.paymentStatus, d.httpStatus, d.ok]),
      ['confirming', 'confirmed', 'sending', 'finished'].map((s) => [s, 200, true]),
    );

    const last = receiver.requests.at(-1) as Received;
    assert.equal(last.method, 'POST');
    assert.equal(last.url, '/ipn/nowpayments');
    assert.equal(last.headers['content-type'], 'application/json');
    // Sent in the provider's field order, not sorted: the receiver must canonicalise.
    assert.ok(last.body.startsWith('{"payment_id":'), last.body.slice(0, 40));
    const read = readIpn(last.body, last.headers[IPN_SIGNATURE_HEADER], SECRET);
    assert.ok(read.ok);
    assert.equal(read.ipn.paymentId, payment.paymentId);
    assert.equal(read.ipn.status, 'finished');
    assert.equal(read.ipn.orderId, payment.orderId);
    assert.equal(read.ipn.priceAmount, '12.49');
    assert.equal(read.ipn.payAmount, payment.payAmount);
    assert.equal(read.ipn.actuallyPaid, payment.payAmount);
    assert.equal(read.ipn.payCurrency, 'btc');
    assert.deepEqual(read.ipn.fee, {
      currency: 'btc',
      depositFee: '0',
      withdrawalFee: '0.00001',
      serviceFee: '0.00000105',
    });
    for (const field of [
      'created_at',
      'updated_at',
      'purchase_id',
      'outcome_amount',
      'outcome_currency',
      'expiration_estimate_date',
    ]) {
      assert.ok(field in read.ipn.raw, field);
    }

    assert.equal(verifyIpnSignature(last.body, last.headers[IPN_SIGNATURE_HEADER], 'another-secret'), false);
    assert.equal((await client.getPayment(payment.paymentId)).status, 'finished');
  });

  test('partially_paid records actually_paid and tells our server', async () => {
    const payment = await create('eth');
    const result = await sim.advance(payment.paymentId, 'partially_paid', { actuallyPaid: '0.002' });
    assert.deepEqual(result.steps, ['confirming', 'partially_paid']);
    assert.deepEqual(statusesReceived(), ['confirming', 'partially_paid']);
    const ipn = JSON.parse(receiver.requests.at(-1)?.body ?? '');
    assert.equal(ipn.actually_paid, 0.002);
    assert.equal(ipn.pay_amount, 0.00416334);
    const fetched = await client.getPayment(payment.paymentId);
    assert.equal(fetched.status, 'partially_paid');
    assert.equal(fetched.actuallyPaid, '0.002');

    const other = await create('eth');
    await assert.rejects(sim.advance(other.paymentId, 'partially_paid', { actuallyPaid: '0.00416334' }), {
      statusCode: 400,
    });
    const half = await sim.advance(other.paymentId, 'partially_paid');
    assert.equal(half.payment.actually_paid, 0.00208167);
  });

  test('duplicate sends every IPN twice, identically', async () => {
    const payment = await create();
    const { deliveries } = await sim.advance(payment.paymentId, 'confirmed', { duplicate: true });
    assert.deepEqual(statusesReceived(), ['confirming', 'confirming', 'confirmed', 'confirmed']);
    assert.equal(receiver.requests[0]?.body, receiver.requests[1]?.body);
    assert.equal(deliveries[0]?.signature, deliveries[1]?.signature);
    assert.ok(deliveries.every((d) => d.httpStatus === 200));
  });

  test('outOfOrder delivers finished before confirming', async () => {
    const payment = await create();
    await sim.advance(payment.paymentId, 'finished', { outOfOrder: true });
    assert.deepEqual(statusesReceived(), ['finished', 'sending', 'confirmed', 'confirming']);
    assert.ok(
      receiver.requests.every((r) => verifyIpnSignature(r.body, r.headers[IPN_SIGNATURE_HEADER], SECRET)),
    );
  });

  test('notify: false changes the status without an IPN (a lost notification)', async () => {
    const payment = await create();
    const { deliveries } = await sim.advance(payment.paymentId, 'finished', { notify: false });
    assert.equal(deliveries.length, 0);
    assert.equal(receiver.requests.length, 0);
    assert.equal((await client.getPayment(payment.paymentId)).status, 'finished');
  });

  test('what our server answers is recorded: 500, 401, and no answer in time', async () => {
    const payment = await create();
    answer = () => 500;
    const first = await sim.advance(payment.paymentId, 'confirming');
    assert.deepEqual(
      first.deliveries.map((d) => [d.httpStatus, d.ok]),
      [[500, false]],
    );
    answer = () => 401;
    const second = await sim.advance(payment.paymentId, 'confirmed');
    assert.equal(second.deliveries[0]?.httpStatus, 401);
    slowMs = 800;
    const third = await sim.advance(payment.paymentId, 'sending');
    assert.equal(third.deliveries[0]?.httpStatus, null);
    assert.match(third.deliveries[0]?.error ?? '', /no answer within 500 ms/);
    const all = sim.deliveries().filter((d) => d.paymentId === payment.paymentId);
    assert.deepEqual(
      all.map((d) => d.httpStatus),
      [500, 401, null],
    );
  });

  test('resendIpn replays the current state, concurrently', async () => {
    const payment = await create();
    await sim.advance(payment.paymentId, 'finished', { notify: false });
    const copies = await sim.resendIpn(payment.paymentId, { copies: 5 });
    assert.equal(copies.length, 5);
    assert.ok(copies.every((d) => d.httpStatus === 200 && d.paymentStatus === 'finished'));
    assert.equal(new Set(receiver.requests.map((r) => r.body)).size, 1);
  });

  test('override puts other amounts in a correctly signed IPN (mismatch tests)', async () => {
    const payment = await create();
    await sim.advance(payment.paymentId, 'finished', { override: { price_amount: 1, pay_currency: 'eth' } });
    const last = receiver.requests.at(-1) as Received;
    const read = readIpn(last.body, last.headers[IPN_SIGNATURE_HEADER], SECRET);
    assert.ok(read.ok);
    assert.equal(read.ipn.priceAmount, '1');
    assert.equal(read.ipn.payCurrency, 'eth');
  });

  test('transitions follow the provider: no going back, expiry only while waiting', async () => {
    const done = await create();
    await sim.advance(done.paymentId, 'finished', { notify: false });
    await assert.rejects(sim.advance(done.paymentId, 'confirming'), (error: unknown) => {
      assert.ok(error instanceof SimulatorError);
      assert.equal(error.statusCode, 409);
      assert.equal(error.code, 'INVALID_TRANSITION');
      return true;
    });
    await assert.rejects(sim.advance(done.paymentId, 'expired'), { statusCode: 409 });
    assert.deepEqual((await sim.advance(done.paymentId, 'refunded', { notify: false })).steps, ['refunded']);

    const waiting = await create();
    assert.deepEqual((await sim.advance(waiting.paymentId, 'expired')).steps, ['expired']);
    assert.deepEqual(statusesReceived(), ['expired']);
    await assert.rejects(sim.advance(waiting.paymentId, 'finished'), { statusCode: 409 });

    const failing = await create();
    assert.deepEqual((await sim.advance(failing.paymentId, 'failed', { notify: false })).steps, ['failed']);
    await assert.rejects(sim.advance('999', 'finished'), { statusCode: 404, code: 'PAYMENT_NOT_FOUND' });
    await assert.rejects(sim.advance(failing.paymentId, 'paid' as 'finished'), { statusCode: 400 });
  });

  test('IPNs go to loopback hosts only: nothing is sent elsewhere', async () => {
    const payment = await create('btc', 'http://example.com/ipn');
    const { deliveries } = await sim.advance(payment.paymentId, 'confirming');
    assert.equal(deliveries[0]?.httpStatus, null);
    assert.match(deliveries[0]?.error ?? '', /not a loopback host/);
  });

  describe('over HTTP', () => {
    const origin = () => sim.baseUrl.replace(/\/v1$/, '');
    const control = () => ({ 'x-sim-token': sim.controlToken });
    const page = () => `/sim?token=${sim.controlToken}`;

    test('the control routes need this run’s token, which the page URL carries', async () => {
      assert.equal(sim.pageUrl, `${origin()}${page()}`);
      for (const headers of [{}, { 'x-sim-token': 'guessed' }]) {
        for (const path of ['/sim', '/sim/payments', '/sim/ipn']) {
          const refused = await fetch(`${origin()}${path}`, { headers });
          assert.equal(refused.status, 401, `${path} ${JSON.stringify(headers)}`);
          assert.equal(((await refused.json()) as { code: string }).code, 'SIM_TOKEN_REQUIRED');
        }
      }
      const payment = await create();
      const advance = await fetch(`${origin()}/sim/payments/${payment.paymentId}/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: 'finished' }),
      });
      assert.equal(advance.status, 401);
      assert.equal((await client.getPayment(payment.paymentId)).status, 'waiting', 'nothing was paid');
      assert.equal((await fetch(sim.pageUrl)).status, 200);
    });

    test('two runs have different tokens, and the simulator listens on loopback only', async () => {
      const other = await startNowPaymentsSimulator({ apiKey: API_KEY, ipnSecret: SECRET });
      assert.notEqual(other.controlToken, sim.controlToken);
      assert.ok(other.controlToken.length >= 24);
      await other.close();
      await assert.rejects(
        startNowPaymentsSimulator({ apiKey: API_KEY, ipnSecret: SECRET, host: '0.0.0.0' }),
        /loopback only/,
      );
    });

    test('the API wants the key it was started with, with the provider error envelope', async () => {
      for (const headers of [{}, { 'x-api-key': 'nope' }]) {
        const response = await fetch(`${sim.baseUrl}/currencies`, { headers });
        assert.equal(response.status, 401);
        assert.deepEqual(await response.json(), {
          status: false,
          statusCode: 401,
          code: 'INVALID_API_KEY',
          message: 'Invalid api key',
        });
      }
      assert.equal((await fetch(`${sim.baseUrl}/status`)).status, 200);
      const created = await fetch(`${sim.baseUrl}/payment`, {
        method: 'POST',
        headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({
          price_amount: 20,
          price_currency: 'usd',
          pay_currency: 'sol',
          order_id: 'raw-1',
        }),
      });
      assert.equal(created.status, 201);
      const body = (await created.json()) as { payment_id: unknown };
      assert.equal(
        typeof body.payment_id,
        'string',
        'POST /payment answers the id as a string, like the provider',
      );
      const fetched = (await (
        await fetch(`${sim.baseUrl}/payment/${body.payment_id}`, { headers: { 'x-api-key': API_KEY } })
      ).json()) as { payment_id: unknown };
      assert.equal(typeof fetched.payment_id, 'number');
    });

    test('POST /sim/payments/:id/advance (JSON) and GET /sim/payments', async () => {
      const payment = await create();
      const response = await fetch(`${origin()}/sim/payments/${payment.paymentId}/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...control() },
        body: JSON.stringify({ to: 'partially_paid', actuallyPaid: '0.0001', duplicate: true }),
      });
      assert.equal(response.status, 200);
      const result = (await response.json()) as { steps: string[]; deliveries: { httpStatus: number }[] };
      assert.deepEqual(result.steps, ['confirming', 'partially_paid']);
      assert.deepEqual(
        result.deliveries.map((d) => d.httpStatus),
        [200, 200, 200, 200],
      );
      const list = (await (await fetch(`${origin()}/sim/payments`, { headers: control() })).json()) as {
        payments: Record<string, unknown>[];
      };
      const listed = list.payments.find((p) => String(p.payment_id) === payment.paymentId);
      assert.equal(listed?.payment_status, 'partially_paid');
      assert.equal(listed?.actually_paid, 0.0001);

      const refused = await fetch(`${origin()}/sim/payments/${payment.paymentId}/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...control() },
        body: JSON.stringify({ to: 'finished' }),
      });
      assert.equal(refused.status, 409);
      assert.equal(((await refused.json()) as { code: string }).code, 'INVALID_TRANSITION');
    });

    test('the page lists payments and its "Mark paid" form pays one', async () => {
      const payment = await create();
      const listing = await fetch(sim.pageUrl);
      assert.match(listing.headers.get('content-type') ?? '', /text\/html/);
      const html = await listing.text();
      assert.ok(html.includes(payment.paymentId));
      assert.ok(
        html.includes(`action="/sim/payments/${payment.paymentId}/advance?token=${sim.controlToken}"`),
      );
      assert.ok(html.includes('Mark paid'));

      const form = await fetch(
        `${origin()}/sim/payments/${payment.paymentId}/advance?token=${sim.controlToken}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'to=finished',
          redirect: 'manual',
        },
      );
      assert.equal(form.status, 303);
      assert.equal(form.headers.get('location'), page());
      assert.equal((await client.getPayment(payment.paymentId)).status, 'finished');
      assert.deepEqual(statusesReceived(), ['confirming', 'confirmed', 'sending', 'finished']);
      const after = await (await fetch(sim.pageUrl)).text();
      assert.ok(after.includes('finished → 200'));
    });

    test('GET /sim/ipn lists deliveries; the page escapes what it shows', async () => {
      const created = await client.createPayment({
        priceAmount: '15',
        priceCurrency: 'usd',
        payCurrency: 'usdcsol',
        orderId: '<script>alert(1)</script>',
        orderDescription: '"quoted" & <b>bold</b>',
        ipnCallbackUrl: `${receiver.url}/ipn`,
      });
      await sim.advance(created.paymentId, 'confirming');
      const { deliveries } = (await (await fetch(`${origin()}/sim/ipn`, { headers: control() })).json()) as {
        deliveries: { paymentId: string }[];
      };
      assert.ok(deliveries.some((d) => d.paymentId === created.paymentId));
      const html = await (await fetch(sim.pageUrl)).text();
      assert.ok(!html.includes('<script>alert(1)</script>'));
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    });
  });
});
