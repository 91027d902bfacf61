// Buying from the bot: already yours, your own product refused, a free product delivered at
// once, the coin chooser with price, fee and total, the payment message with its QR code, and
// the Refresh button applying what NOWPayments says (the simulator here).
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { InputFile } from 'grammy';
import { createNowPaymentsClient } from '../../src/integrations/nowpayments/index.ts';
import {
  addPaidOrder,
  addProduct,
  addSeller,
  addUser,
  assertCallbacksFit,
  buyerDatabase,
  buyerHarness,
  simulatedPayments,
} from './browse-fixtures.ts';
import { buttonLabels, callbackDataOf, telegramUser, textOf } from './harness.ts';

const db = await buyerDatabase();
const payments = await simulatedPayments();
const SELLER = 7101;
await addSeller(db, SELLER);
const cheap = await addProduct(db, { sellerId: SELLER, title: 'Petit guide', priceCents: 1999 });
const pricey = await addProduct(db, { sellerId: SELLER, title: 'Grande formation', priceCents: 10000 });
const free = await addProduct(db, { sellerId: SELLER, title: 'Cadeau', priceCents: 0 });

let nextUser = 9100;
const newBuyer = () => telegramUser(nextUser++);
const harness = () => buyerHarness(db, { payments });

test('a product the buyer already paid for is "already yours", with a download', async () => {
  const bot = await harness();
  const user = newBuyer();
  await addUser(db, user.id);
  const orderId = await addPaidOrder(db, user.id, cheap);
  await bot.sendText(user, `/start product_${cheap}`);
  const calls = await bot.press(user, `b.buy:${cheap}`);
  const shown = calls.find((c) => c.method === 'editMessageText');
  assert.match(textOf(shown), /déjà à vous/);
  assert.ok(callbackDataOf(shown as never).includes(`l.dl:${orderId}`));
});

test('buying your own product is refused', async () => {
  const bot = await harness();
  const seller = telegramUser(SELLER);
  const calls = await bot.press(seller, `b.buy:${cheap}`);
  const answer = calls.find((c) => c.method === 'answerCallbackQuery');
  assert.equal(answer?.payload.text, "C'est votre propre produit : vous ne pouvez pas l'acheter.");
  const own = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE buyer_id = $1', [
    SELLER,
  ]);
  assert.equal(own.n, 0);
});

test('a free product is delivered at once, without a payment', async () => {
  const bot = await harness();
  const user = newBuyer();
  await bot.sendText(user, `/start product_${free}`);
  assert.deepEqual(buttonLabels(bot.calls.at(-1))[0], ["🎁 L'obtenir gratuitement"]);
  const calls = await bot.press(user, `b.buy:${free}`);
  assert.match(textOf(calls.find((c) => c.method === 'editMessageText')), /<b>Cadeau<\/b> est à vous/);
  const order = await db.one<{ status: string }>('SELECT status FROM orders WHERE buyer_id = $1', [user.id]);
  assert.equal(order.status, 'paid');
});

test('the coin chooser shows price, flat fee below $48 and percentage fee above, and the total', async () => {
  const bot = await harness();
  const user = newBuyer();
  await bot.sendText(user, '/start');
  const small = await bot.press(user, `b.buy:${cheap}`);
  const chooser = small.find((c) => c.method === 'editMessageText');
  assert.match(
    textOf(chooser),
    /Prix : 19,99\s\$US\nFrais de service : 1,49\s\$US\n<b>Total : 21,48\s\$US<\/b>/,
  );
  assert.deepEqual(buttonLabels(chooser).slice(0, 3), [
    ['BTC', 'ETH'],
    ['SOL', 'USDT (Solana)'],
    ['USDC (Solana)'],
  ]);
  const big = await bot.press(user, `b.buy:${pricey}`);
  assert.match(
    textOf(big.find((c) => c.method === 'editMessageText')),
    /Frais de service : 3,14\s\$US\n<b>Total : 103,14\s\$US<\/b>/,
  );
  assertCallbacksFit(bot);
});

test('paying sends a QR code photo with the exact amount and address; Refresh applies the provider status', async () => {
  const bot = await harness();
  const user = newBuyer();
  await bot.sendText(user, '/start');
  const chooser = await bot.press(user, `b.buy:${cheap}`);
  const payData = callbackDataOf(chooser.find((c) => c.method === 'editMessageText') as never).find((d) =>
    d.endsWith(':sol'),
  );
  assert.ok(payData);
  const calls = await bot.press(user, payData);
  const photo = calls.find((c) => c.method === 'sendPhoto');
  assert.ok(photo, 'the payment is a photo of the QR code');
  assert.ok(photo.payload.photo instanceof InputFile);
  const caption = textOf(photo);
  const payment = payments.sim.payments().at(-1) as {
    payment_id: string;
    pay_address: string;
    pay_amount: number;
  };
  assert.match(caption, /Total : 21,48\s\$US \(frais inclus\)/);
  assert.ok(caption.includes(`<code>${payment.pay_address}</code>`));
  assert.match(caption, /<code>[0-9.]+<\/code> SOL/);
  assert.match(caption, /Valable jusqu'au \d{1,2} \S+ \d{4}, \d\d:\d\d UTC \(.+\)/);
  const orderId = String(payData.split(':')[1]);
  assert.deepEqual(buttonLabels(photo)[0], ['🔄 Actualiser le statut']);

  // Still waiting.
  const waiting = await bot.press(user, `b.st:${orderId}`);
  assert.match(textOf(waiting.find((c) => c.method === 'editMessageCaption')), /Paiement en attente/);

  // The money arrives but the IPN is lost: Refresh reads it back and completes the order once.
  await payments.sim.advance(payment.payment_id, 'finished', { notify: false });
  const paid = await bot.press(user, `b.st:${orderId}`);
  const edited = paid.find((c) => c.method === 'editMessageCaption');
  assert.match(textOf(edited), /Paiement reçu/);
  assert.deepEqual(buttonLabels(edited), [['📚 Ma bibliothèque', '🏠 Accueil']]);
  await bot.press(user, `b.st:${orderId}`, bot.lastMessage(user.id));
  const product = await db.one<{ sales: number }>('SELECT sales_count AS sales FROM products WHERE id = $1', [
    cheap,
  ]);
  assert.equal(product.sales, 1, 'counted once however often Refresh is pressed');
});

test('after a partial payment the buyer finishes in the same coin and address; no other coin can be opened', async () => {
  const bot = await harness();
  const user = newBuyer();
  await bot.sendText(user, '/start');
  const chooser = await bot.press(user, `b.buy:${cheap}`);
  const choices = callbackDataOf(chooser.find((c) => c.method === 'editMessageText') as never);
  const paySol = choices.find((d) => d.endsWith(':sol')) as string;
  const payBtc = choices.find((d) => d.endsWith(':btc')) as string;
  const orderId = String(paySol.split(':')[1]);
  await bot.press(user, paySol);
  const payment = payments.sim.payments().at(-1) as { payment_id: string; pay_address: string };
  await payments.sim.advance(payment.payment_id, 'partially_paid', { notify: false });

  const refreshed = (await bot.press(user, `b.st:${orderId}`)).find((c) => c.method === 'editMessageCaption');
  assert.match(textOf(refreshed), /Paiement partiel reçu : il manque <code>[0-9.]+<\/code> SOL/);
  assert.ok(textOf(refreshed).includes(payment.pay_address), 'the same address');
  assert.ok(
    buttonLabels(refreshed)
      .flat()
      .every((label) => !/Autre crypto/.test(label)),
    'no other coin is offered',
  );

  const created = payments.sim.payments().length;
  const otherCoin = await bot.press(user, payBtc);
  assert.match(textOf(otherCoin.find((c) => c.method === 'sendMessage')), /SOL/);
  const sameCoin = await bot.press(user, paySol);
  const shown = textOf(sameCoin.find((c) => c.method === 'sendPhoto'));
  assert.ok(shown.includes(payment.pay_address));
  assert.match(shown, /il manque/);
  assert.equal(payments.sim.payments().length, created, 'no second provider payment');
});

test("someone else's order in a forged pay or refresh button is refused", async () => {
  const bot = await harness();
  const owner = newBuyer();
  const intruder = newBuyer();
  await bot.sendText(owner, '/start');
  const chooser = await bot.press(owner, `b.buy:${pricey}`);
  const orderId = String(
    callbackDataOf(chooser.find((c) => c.method === 'editMessageText') as never)[0]?.split(':')[1],
  );
  await bot.sendText(intruder, '/start');
  // Both presses are answered before NOWPayments is asked; the refusal follows in the chat.
  for (const data of [`b.pay:${orderId}:btc`, `b.st:${orderId}`]) {
    const calls = await bot.press(intruder, data);
    assert.deepEqual(
      calls.map((c) => c.method),
      ['answerCallbackQuery', 'sendMessage'],
    );
    assert.match(textOf(calls[1]), /ne vous appartient pas/);
  }
});

test('a provider that does not answer: the press is answered first, then "provider unavailable" in the chat', async () => {
  // A NOWPayments that accepts connections and never answers; each request notes what the bot
  // had already told Telegram when it arrived.
  const held: ServerResponse[] = [];
  const callsWhenAsked: string[][] = [];
  const silent = createServer((_req, res) => {
    callsWhenAsked.push(bot.calls.map((c) => c.method));
    held.push(res);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  after(() => {
    for (const res of held) res.destroy();
    silent.close();
  });
  const client = createNowPaymentsClient({
    baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`,
    apiKey: 'silent-api-key',
    retries: 0,
    timeoutMs: 300,
  });
  const bot = await buyerHarness(db, { payments: { client } });
  const user = newBuyer();
  await bot.sendText(user, '/start');
  const chooser = await bot.press(user, `b.buy:${cheap}`);
  const paySol = callbackDataOf(chooser.find((c) => c.method === 'editMessageText') as never).find((d) =>
    d.endsWith(':sol'),
  );
  assert.ok(paySol);
  const calls = await bot.press(user, paySol);
  assert.equal(callsWhenAsked.length, 1, 'NOWPayments was asked once');
  assert.equal(callsWhenAsked[0]?.at(-1), 'answerCallbackQuery', 'the press was answered before it');
  assert.deepEqual(
    calls.map((c) => c.method),
    ['answerCallbackQuery', 'sendMessage'],
  );
  assert.match(textOf(calls[1]), /Le service de paiement ne répond pas/);
});
