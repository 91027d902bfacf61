// Seller analytics and exports through the real bot on the seeded demo marketplace: the numbers a
// seller reads equal a recomputation from the orders, the charts are real pictures, the period
// buttons edit the screen in place, another seller's product is refused, and the CSV exports
// escape formula cells.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InputFile } from 'grammy';
import type { User } from 'grammy/types';
import { DEMO_SELLERS, seedDemo } from '../../scripts/seed-demo.ts';
import { formatMoney, formatPercent } from '../../src/bot/ui/format.ts';
import { newOrderId, priceBreakdown } from '../../src/domain/index.ts';
import { type ApiCall, buttonLabels, callbackDataOf, telegramUser, textOf } from './harness.ts';
import { alert, sellerKit } from './seller-fixtures.ts';

const kit = await sellerKit(6000);
const { db, storage, services } = kit;
await seedDemo(db, storage);
const SELLER = DEMO_SELLERS[0].id;
const OTHER_SELLER = DEMO_SELLERS[1].id;
const seller: User = telegramUser(SELLER, { first_name: 'Camille', language_code: 'fr' });
const DAY = 86_400_000;

const products = await db.many<{ id: string; title: string; priceCents: number }>(
  `SELECT id, title, price_cents AS "priceCents" FROM products WHERE seller_id = $1 AND status <> 'deleted' ORDER BY id`,
  [SELLER],
);
const otherProduct = await db.one<{ id: string }>('SELECT id FROM products WHERE seller_id = $1 LIMIT 1', [
  OTHER_SELLER,
]);

/** A paid order `daysAgo` days ago, as completion leaves it (the seed's orders are all within 30 days). */
async function paidOrder(productIndex: number, daysAgo: number, buyerId = 900_000_101): Promise<void> {
  const product = products[productIndex];
  assert.ok(product);
  const amounts = priceBreakdown(product.priceCents);
  await db.exec(
    `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents,
       status, paid_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'paid', now() - make_interval(days => $9))`,
    [
      newOrderId(),
      buyerId,
      product.id,
      SELLER,
      product.title,
      amounts.priceCents,
      amounts.feeCents,
      amounts.totalCents,
      daysAgo,
    ],
  );
}

// The period before the last 30 days gets sales too, and buyers open product pages (views are
// counted per day from now on).
for (const [index, days] of [
  [0, 31],
  [1, 33],
  [0, 45],
  [2, 59],
  [1, 75],
] as const)
  await paidOrder(index, days);
// The seed's daily views of this seller's products give way to these, so the totals are known.
await db.exec(
  'DELETE FROM product_daily_views WHERE product_id IN (SELECT id FROM products WHERE seller_id = $1)',
  [SELLER],
);
const VIEWS = 300;
for (let i = 0; i < VIEWS; i++) {
  await services.catalog.viewProduct(900_000_102, (products[i % 3] as { id: string }).id);
}

/** UTC midnight `days` days before today's, as a Date. */
function utcDaysAgo(days: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * DAY);
}

type Totals = { revenue: number; sales: number };

/** The seller's paid orders between two moments, recomputed from the orders table. */
async function ordersBetween(from: Date, to: Date | null): Promise<Totals> {
  return db.one<Totals>(
    `SELECT coalesce(sum(price_cents), 0)::float8 AS revenue, count(*)::int AS sales FROM orders
     WHERE seller_id = $1 AND status = 'paid' AND paid_at >= $2 AND ($3::timestamptz IS NULL OR paid_at < $3)`,
    [SELLER, from, to],
  );
}

async function topFive(from: Date): Promise<{ title: string; revenue: number; sales: number }[]> {
  return db.many(
    `SELECT o.product_title AS title, sum(o.price_cents)::float8 AS revenue, count(*)::int AS sales
     FROM orders o WHERE o.seller_id = $1 AND o.status = 'paid' AND o.paid_at >= $2
     GROUP BY o.product_id, o.product_title ORDER BY sum(o.price_cents) DESC, count(*) DESC, o.product_id LIMIT 5`,
    [SELLER, from],
  );
}

/** How the screen says a total moved, recomputed: "(▲ +12,5 %)", "(=)", "(▲ nouveau)". */
function expectedChange(current: number, previous: number): string {
  if (current === previous) return '(=)';
  if (previous === 0) return '(▲ nouveau)';
  const percent = (100 * (current - previous)) / previous;
  return `(${current > previous ? '▲' : '▼'} ${formatPercent('fr', percent, { signed: true })})`;
}

function photos(calls: ApiCall[]): ApiCall[] {
  return calls.filter((c) => c.method === 'sendPhoto' || c.method === 'editMessageMedia');
}

/** The PNG a photo call carries, with its size read from the IHDR chunk. */
async function png(call: ApiCall): Promise<{ width: number; height: number; bytes: Buffer }> {
  const file = (
    call.method === 'sendPhoto' ? call.payload.photo : (call.payload.media as { media: unknown }).media
  ) as InputFile;
  const bytes = Buffer.from((await file.toRaw()) as Uint8Array);
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), bytes };
}

test('/stats opens the dashboard; Analytics shows two charts, then numbers equal to a recomputation from the orders', async () => {
  const bot = kit.harness();
  const [dashboard] = await bot.sendText(seller, '/stats');
  assert.match(textOf(dashboard), /Tableau de bord : Atelier Camille/);
  assert.ok(callbackDataOf(dashboard as ApiCall).includes('sa:30'), 'the dashboard has an Analytics button');

  const calls = await bot.press(seller, 'sa:30');
  const charts = photos(calls);
  assert.deepEqual(
    charts.map((c) => c.payload.caption),
    ['📈 Revenus par jour, 30 derniers jours', '🛍 Ventes par jour, 30 derniers jours'],
  );
  for (const chart of charts) {
    const picture = await png(chart);
    assert.deepEqual([picture.width, picture.height], [1000, 600]);
    assert.ok(picture.bytes.length > 10_000, 'a drawn chart, not an empty canvas');
  }
  const summary = calls.findLast((c) => c.method === 'sendMessage');
  const text = textOf(summary);
  assert.ok(
    calls.indexOf(summary as ApiCall) > calls.indexOf(charts[1] as ApiCall),
    'the summary comes last',
  );

  const current = await ordersBetween(utcDaysAgo(29), null);
  const previous = await ordersBetween(utcDaysAgo(59), utcDaysAgo(29));
  assert.ok(current.sales > 20 && previous.sales === 4, `${current.sales} / ${previous.sales}`);
  assert.ok(
    text.includes(
      `💵 Revenus : <b>${formatMoney('fr', current.revenue)}</b> ${expectedChange(current.revenue, previous.revenue)}`,
    ),
    text,
  );
  assert.ok(
    text.includes(`🛍 Ventes : <b>${current.sales}</b> ${expectedChange(current.sales, previous.sales)}`),
    text,
  );
  assert.ok(text.includes(`👁 Vues : <b>${VIEWS}</b> (▲ nouveau)`), text);
  assert.ok(
    text.includes(`📈 Conversion : <b>${formatPercent('fr', (100 * current.sales) / VIEWS)}</b>`),
    text,
  );
  const ratings = await db.one<{ n: number; avg: number | null }>(
    `SELECT count(*)::int AS n, avg(r.rating)::float8 AS avg FROM reviews r JOIN products p ON p.id = r.product_id
     WHERE p.seller_id = $1 AND r.created_at >= $2`,
    [SELLER, utcDaysAgo(29)],
  );
  assert.ok(ratings.n > 0);
  const rating = (Math.round(10 * (ratings.avg ?? 0)) / 10).toLocaleString('fr-FR');
  assert.ok(text.includes(`⭐ Note : <b>${rating}</b> (${ratings.n} avis)`), text);
  for (const [i, line] of (await topFive(utcDaysAgo(29))).entries()) {
    const sales = line.sales === 1 ? '1 vente' : `${line.sales} ventes`;
    assert.ok(
      text.includes(`${i + 1}. ${line.title} : ${formatMoney('fr', line.revenue)} · ${sales}`),
      `top line ${i + 1} in\n${text}`,
    );
  }
  assert.deepEqual(buttonLabels(summary), [
    ['7 jours', '✅ 30 jours', '90 jours'],
    ['🧾 Ventes (CSV)', '📦 Produits (CSV)'],
    ['💼 Tableau de bord'],
  ]);

  // Another period edits the three messages in place.
  const week = await bot.press(seller, 'sa:7', bot.lastMessage(SELLER));
  assert.deepEqual(
    week.map((c) => c.method).filter((m) => m !== 'answerCallbackQuery'),
    ['editMessageMedia', 'editMessageMedia', 'editMessageText'],
  );
  const lastWeek = await ordersBetween(utcDaysAgo(6), null);
  const weekText = textOf(week.find((c) => c.method === 'editMessageText'));
  assert.match(weekText, /Statistiques : 7 derniers jours/);
  assert.ok(weekText.includes(`💵 Revenus : <b>${formatMoney('fr', lastWeek.revenue)}</b>`), weekText);

  const quarter = await bot.press(seller, 'sa:90', bot.lastMessage(SELLER));
  const all = await ordersBetween(utcDaysAgo(89), null);
  const quarterText = textOf(quarter.find((c) => c.method === 'editMessageText'));
  assert.ok(quarterText.includes(`🛍 Ventes : <b>${all.sales}</b> (▲ nouveau)`), quarterText);
});

test("a product's own analytics from My products; another seller's product is refused, forged period too", async () => {
  const bot = kit.harness();
  await bot.sendText(seller, '/sell');
  const product = products[0] as { id: string; title: string };
  const screen = await bot.press(seller, `sp.open:${product.id}`);
  assert.ok(
    callbackDataOf(screen.find((c) => c.method === 'editMessageText') as ApiCall).includes(
      `sp.stats:${product.id}:30`,
    ),
  );
  const calls = await bot.press(seller, `sp.stats:${product.id}:30`);
  assert.equal(photos(calls).length, 2);
  const text = textOf(calls.findLast((c) => c.method === 'sendMessage'));
  const sold = await db.one<Totals>(
    `SELECT coalesce(sum(price_cents), 0)::float8 AS revenue, count(*)::int AS sales FROM orders
     WHERE product_id = $1 AND status = 'paid' AND paid_at >= $2`,
    [product.id, utcDaysAgo(29)],
  );
  assert.ok(text.startsWith(`📊 <b>${product.title}</b> : 30 derniers jours`), text);
  assert.ok(text.includes(`💵 Revenus : <b>${formatMoney('fr', sold.revenue)}</b>`), text);
  assert.ok(text.includes(`👁 Vues : <b>${VIEWS / 3}</b>`), text);
  assert.doesNotMatch(text, /Meilleurs produits/);

  for (const data of [`sp.stats:${otherProduct.id}:30`, `sp.stats:${product.id}:45`, 'sa:45']) {
    const refused = await bot.press(seller, data);
    assert.deepEqual(
      refused.map((c) => c.method),
      ['answerCallbackQuery'],
      `${data}: no chart, no numbers`,
    );
    assert.match(String(alert(refused)), /n'est pas disponible|n'est plus disponible/, data);
  }
  const stranger = telegramUser(6999, { language_code: 'en' });
  const notSeller = await bot.press(stranger, 'sa:30');
  assert.deepEqual(
    notSeller.map((c) => c.method),
    ['answerCallbackQuery'],
  );
});

/** One CSV line as cells (RFC 4180 quoting). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === ',' && !quoted) {
      out.push(cell);
      cell = '';
    } else {
      cell += char;
    }
  }
  out.push(cell);
  return out;
}

/** The rows of a CSV document the bot sent. */
async function csvRows(call: ApiCall | undefined): Promise<string[][]> {
  assert.equal(call?.method, 'sendDocument');
  const file = call.payload.document as InputFile;
  const text = Buffer.from((await file.toRaw()) as Uint8Array).toString('utf8');
  assert.ok(text.startsWith('\uFEFF'), 'a byte order mark for spreadsheets');
  return text.slice(1).trimEnd().split('\r\n').map(cells);
}

test('sales and products exports are CSV documents; a title like =SUM(A1) is escaped', async () => {
  const bot = kit.harness();
  const formula = await services.products.create(SELLER, {
    title: '=SUM(A1)',
    description: '',
    categoryId: (await services.catalog.categories())[0]?.id ?? 0,
    priceCents: 1999,
  });
  await db.exec(
    `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
     VALUES ($1, 'file', $2, 'f.pdf', 10, 'application/pdf')`,
    [SELLER, `products/${SELLER}/${formula.id}/file/aaaaaaaaaaaaaaaaaaaa-f.pdf`],
  );
  await db.exec(
    `UPDATE products SET status = 'active', main_file_id = (SELECT max(id) FROM stored_files) WHERE id = $1`,
    [formula.id],
  );
  products.push({ id: formula.id, title: formula.title, priceCents: formula.priceCents });
  await paidOrder(products.length - 1, 0);

  // One buyer blocked the bot before the delivery: the seller's books show it waiting.
  const waiting = await db.one<{ id: string }>(
    `UPDATE orders SET delivered_at = NULL, delivery_blocked_at = now()
     WHERE id = (SELECT id FROM orders WHERE product_id = $1) RETURNING id`,
    [formula.id],
  );
  await bot.sendText(seller, '/stats');
  await bot.press(seller, 'sa:30');
  const salesCall = (await bot.press(seller, 'sa.sales')).find((c) => c.method === 'sendDocument');
  assert.match(String(salesCall?.payload.caption), /^🧾 <b>Vos ventes<\/b> : \d+ lignes\./);
  const sales = await csvRows(salesCall);
  assert.deepEqual(sales[0], [
    'date',
    'order_id',
    'product_id',
    'product',
    'price_usd',
    'fee_usd',
    'status',
    'payout_status',
    'payout_paid_at',
    'payout_tx_hash',
    'delivered_at',
    'delivery_blocked_at',
  ]);
  const paid = await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM orders WHERE seller_id = $1 AND paid_at IS NOT NULL`,
    [SELLER],
  );
  assert.equal(sales.length - 1, paid.n, 'one line per paid order');
  const line = sales.find((row) => row[2] === formula.id);
  assert.deepEqual(line?.slice(3, 7), ["'=SUM(A1)", '19.99', '1.49', 'paid']);
  assert.equal(line?.[1], waiting.id);
  assert.deepEqual(line?.slice(10, 11), [''], 'not delivered');
  assert.match(line?.[11] ?? '', /^\d{4}-\d\d-\d\dT/, 'waiting since the buyer blocked the bot');
  assert.ok(
    sales.slice(1).some((row) => /^\d{4}-\d\d-\d\dT/.test(row[10] ?? '') && row[11] === ''),
    'delivered sales carry their delivery date',
  );
  assert.ok(sales.slice(1).every((row) => /^\d{4}-\d\d-\d\dT/.test(row[0] ?? '')));
  assert.ok(
    sales.slice(1).some((row) => row[7] === 'paid' && /^[1-9A-HJ-NP-Za-km-z]{32,}$/.test(row[9] ?? '')),
  );

  const productsCall = (await bot.press(seller, 'sa.prods')).find((c) => c.method === 'sendDocument');
  const rows = await csvRows(productsCall);
  assert.equal(rows[0]?.[0], 'product_id');
  const listed = rows.find((row) => row[0] === formula.id);
  assert.equal(listed?.[1], "'=SUM(A1)");
  assert.equal(listed?.[7], '19.99', 'its revenue');
  assert.equal(listed?.[10], '1', 'its file version');
  assert.equal(rows.length - 1, products.length);
});
