// The whole marketplace in one journey, on the real stack (see src/dev/demo/journey.ts): a seller
// registers and lists a file; a buyer finds it by search and by deep link, pays in the
// NOWPayments simulator, is delivered by the job, downloads once through the one-time link and
// reviews it; the seller is told of the sale and of the review, sees the sale in escrow and in
// analytics (two charts), exports it, and publishes a second edition the buyer is told of and
// downloads, keeping the first. Every step is checked in what the bot sent and in the database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InputFile } from 'grammy';
import { MAX_CALLBACK_BYTES } from '../src/bot/ui/callback-data.ts';
import {
  BUYER,
  PRODUCT,
  runJourney,
  SELLER,
  SELLER_ADDRESS,
  startJourneyStack,
} from '../src/dev/demo/journey.ts';
import { formatTranscript } from '../src/dev/demo/transcript.ts';
import { keyboardOf, textOf } from '../src/dev/telegram/fake-telegram.ts';
import { freshDatabase } from './support/database.ts';

const databaseUrl = await freshDatabase();

test('a seller lists a file, a buyer finds, pays, downloads once and reviews it; the seller sees the sale in escrow and in analytics, then publishes a second edition', async (t) => {
  const stack = await startJourneyStack({ databaseUrl });
  // Closed when the test ends, before the file drops its database.
  t.after(() => stack.close());
  const { telegram, sim } = stack;
  const { db } = stack.app;
  const result = await runJourney(stack);

  // The seller is registered with their payout address; the product is on sale with its file.
  const seller = await db.one<{ email: string; address: string }>(
    'SELECT email, payout_address AS address FROM seller_profiles WHERE user_id = $1',
    [SELLER.id],
  );
  assert.deepEqual(seller, { email: 'ana@example.com', address: SELLER_ADDRESS });
  const product = await db.one<{ title: string; status: string; price: number; size: number; name: string }>(
    `SELECT p.title, p.status, p.price_cents AS price, f.size_bytes::int AS size, f.original_name AS name
       FROM products p JOIN stored_files f ON f.id = p.main_file_id WHERE p.id = $1`,
    [result.productId],
  );
  // Its current file is the second edition published at the end of the journey.
  assert.deepEqual(product, {
    title: PRODUCT.title,
    status: 'active',
    price: 1999,
    size: result.uploadedV2.length,
    name: 'solana-defi-playbook-2.pdf',
  });

  // Found by typed words and by the deep link, each time with its Buy button.
  const searched = textOf(result.searchCalls.find((c) => c.method === 'sendMessage'));
  assert.match(searched, /1 résultat<\/b>/);
  assert.ok(
    result.searchCalls.some((c) =>
      keyboardOf(c.payload)
        .flat()
        .some((b) => b.text.startsWith(PRODUCT.title)),
    ),
  );
  const card = result.deepLinkCalls.find((c) => textOf(c).includes(PRODUCT.title));
  assert.ok(card, 'the deep link opens the product');
  assert.ok(
    keyboardOf(card.payload)
      .flat()
      .some((b) => b.text === '💳 Acheter – 19,99\u00a0$US'),
  );

  // The payment message: a QR code with the total, fee included.
  const paymentMessage = telegram.shownTo(BUYER.id).find((c) => c.method === 'sendPhoto');
  assert.match(textOf(paymentMessage), /Total : 21,48\s\$US \(frais inclus\)/);

  // Paid exactly once: every IPN accepted and stored, one paid order, one payout in escrow.
  const ipns = sim.deliveries();
  assert.ok(ipns.length > 0 && ipns.every((d) => d.httpStatus === 200), 'our server accepted every IPN');
  assert.equal(ipns.at(-1)?.paymentStatus, 'finished');
  const stored = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM payment_notifications');
  assert.equal(stored.n, ipns.length);
  const order = await db.one<{ status: string; total: number; delivered: boolean }>(
    `SELECT status, total_cents AS total, delivered_at IS NOT NULL AS delivered FROM orders WHERE buyer_id = $1`,
    [BUYER.id],
  );
  assert.equal(order.status, 'paid');
  assert.equal(order.total, 2148);
  const payouts = await db.many<{ status: string; amount: number; seller: string }>(
    'SELECT status, amount_cents AS amount, seller_id::text AS seller FROM payouts WHERE order_id = $1',
    [result.orderId],
  );
  assert.deepEqual(payouts, [{ status: 'escrow', amount: 1999, seller: String(SELLER.id) }]);
  const sales = await db.one<{ n: number }>('SELECT sales_count AS n FROM products WHERE id = $1', [
    result.productId,
  ]);
  assert.equal(sales.n, 1);

  // Delivered by the job: the buyer's message has a download URL button, and delivery is stamped.
  assert.match(textOf(result.delivery), new RegExp(`${PRODUCT.title}.*${result.orderId}`));
  assert.match(result.downloadUrl, new RegExp(`^${stack.publicUrl}/download/[A-Za-z0-9_-]+\\?lang=fr$`));
  await eventually(
    async () =>
      (
        await db.one<{ done: boolean }>('SELECT delivered_at IS NOT NULL AS done FROM orders WHERE id = $1', [
          result.orderId,
        ])
      ).done,
  );
  const deliveries = telegram.calls.filter(
    (c) => c.method === 'sendMessage' && c.payload.chat_id === BUYER.id && /Paiement reçu/.test(textOf(c)),
  );
  assert.equal(deliveries.length, 1, 'delivered once');

  // The one-time link gives the exact bytes, then refuses.
  assert.equal(result.firstDownload.status, 200);
  assert.ok(result.firstDownload.bytes.equals(result.uploaded), 'the buyer gets the file the seller sent');
  assert.ok(result.secondDownload.status >= 400 && result.secondDownload.status < 500);
  assert.equal(result.secondDownload.bytes.includes(result.uploaded.subarray(0, 64)), false);
  const served = await db.many<{ channel: string; n: number }>(
    'SELECT channel, count(*)::int AS n FROM download_events WHERE order_id = $1 GROUP BY channel ORDER BY channel',
    [result.orderId],
  );
  assert.deepEqual(
    served,
    [
      { channel: 'link', n: 3 },
      { channel: 'telegram', n: 1 },
    ],
    'one download of the delivery link, then one per version; and the copy sent with the delivery',
  );
  assert.equal(
    telegram.calls.filter((c) => c.method === 'sendDocument' && c.payload.chat_id === BUYER.id).length,
    1,
    'the file went along with the delivery message',
  );

  // The review is stored and counted.
  const review = await db.one<{ rating: number; body: string }>(
    'SELECT rating::int, body FROM reviews WHERE buyer_id = $1 AND product_id = $2',
    [BUYER.id, result.productId],
  );
  assert.equal(review.rating, 5);
  assert.match(review.body, /exactement ce que je cherchais/);

  // The seller was told of the sale, in English, and the dashboard shows it in escrow.
  assert.match(textOf(result.saleNotice), new RegExp(`${PRODUCT.title}.*\\$19\\.99`));
  const dashboard = textOf(result.dashboard);
  assert.match(dashboard, /Sales: 1/);
  assert.match(dashboard, /escrow[^\n]*\$19\.99/i);
  assert.match(dashboard, /Available[^\n]*\$0\.00/);

  // The review reached the seller once complete, with its comment, in English.
  assert.equal(
    textOf(result.reviewNotice),
    `⭐ <b>New review</b> of <b>${PRODUCT.title}</b>: ⭐⭐⭐⭐⭐\n\n« Clair, concret et à jour : exactement ce que je cherchais. »`,
  );

  // Analytics: two 1000×600 PNG charts, then the numbers of the sale.
  const charts = result.analytics.filter((c) => c.method === 'sendPhoto');
  assert.equal(charts.length, 2);
  for (const chart of charts) {
    const png = Buffer.from((await (chart.payload.photo as InputFile).toRaw()) as Uint8Array);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1000, 600]);
  }
  const summary = textOf(result.analytics.findLast((c) => c.method === 'sendMessage'));
  assert.match(summary, /Revenue: <b>\$19\.99<\/b> \(▲ new\)\n🛍 Sales: <b>1<\/b>/);
  assert.match(summary, /1\. Solana DeFi Playbook: \$19\.99 · 1 sale/);
  assert.ok(result.analyticsMs > 0);
  const csv = Buffer.from((await (result.salesExport.payload.document as InputFile).toRaw()) as Uint8Array);
  assert.match(
    csv.toString(),
    new RegExp(`${result.orderId},${result.productId},${PRODUCT.title},19\\.99,1\\.49,paid,escrow`),
  );

  // Version 2: the buyer was told in French, gets it, and still gets the edition they bought.
  assert.match(
    textOf(result.versionNotice),
    /Nouvelle version de Solana DeFi Playbook[\s\S]*\(version 1\) reste disponible/,
  );
  assert.equal(result.latestDownload.status, 200);
  assert.ok(result.latestDownload.bytes.equals(result.uploadedV2), 'version 2 is the second edition');
  assert.equal(result.boughtDownload.status, 200);
  assert.ok(result.boughtDownload.bytes.equals(result.uploaded), 'version 1 is still what was bought');
  const versions = await db.many<{ version: number }>(
    'SELECT version FROM product_file_versions WHERE product_id = $1 ORDER BY version',
    [result.productId],
  );
  assert.deepEqual(
    versions.map((v) => v.version),
    [1, 2],
  );

  // Every button the bot showed fits Telegram's 64 bytes of callback data.
  const data = telegram.calls.flatMap((c) =>
    keyboardOf(c.payload)
      .flat()
      .flatMap((b) => ('callback_data' in b ? [b.callback_data] : [])),
  );
  assert.ok(data.length > 20);
  for (const d of data) assert.ok(Buffer.byteLength(d) <= MAX_CALLBACK_BYTES, d);

  // The demo's transcript reads as a conversation: plain text, buttons in brackets.
  const transcript = formatTranscript(telegram.transcript);
  assert.match(transcript, /🧑 Bruno \(buyer\)\n {4}\[💳 Acheter – 19,99\s\$US\]/);
  assert.match(transcript, /\[SOL\] \[USDT \(Solana\)\]/);
  assert.match(transcript, /In escrow \(24 h\): \$19\.99/);
  assert.match(
    transcript,
    /🤖 bot → Bruno\n {4}\(a file\)\n {4}📎 solana-defi-playbook\.pdf \(\d+(\.\d)? kB\)/,
    'the delivered document shows with its name and size',
  );
  assert.doesNotMatch(transcript, /<\/?(b|i|code)>|&amp;/);

  // The journey ran under the Bot API's rules, and Telegram refused nothing the bot sent.
  assert.ok(telegram.strict, 'the double is strict');
  assert.deepEqual(
    telegram.transcript.filter((entry) => entry.text.startsWith('Telegram refused')),
    [],
  );
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
