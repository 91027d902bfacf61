// The admin console in the bot, part 3: payouts. The total owed and what each seller is owed,
// with the order lines and the wallet; one line paid with a transaction hash (a malformed one
// refused, nothing changed); "mark everything paid" paying exactly the lines shown, once, even
// when two admins (two bot instances) press it and send their hash at the same moment; sellers
// told in their language, and their payout history with dates, amounts and hashes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ADMIN,
  addAdmins,
  addOwedLines,
  adminHarness,
  adminServices,
  alertOf,
  SECOND_ADMIN,
  sellerOwed,
  sentTo,
  shown,
  TX_HASH,
} from './admin-fixtures.ts';
import { addProduct, assertCallbacksFit, buyerDatabase } from './browse-fixtures.ts';
import { type ApiCall, buttonLabels, callbackDataOf, telegramUser, textOf } from './harness.ts';

const db = await buyerDatabase();
await addAdmins(db);
const services = await adminServices(db);
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');
const RACE_HASHES = [`4${'Q'.repeat(43)}${'z'.repeat(44)}`, `3${'R'.repeat(43)}${'y'.repeat(44)}`] as const;

async function owedCount(sellerId?: number): Promise<number> {
  const row = await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM payouts WHERE status = 'available' AND ($1::bigint IS NULL OR seller_id = $1)`,
    [sellerId ?? null],
  );
  return row.n;
}

function payAllData(call: ApiCall): string {
  const data = callbackDataOf(call).find((d) => d.startsWith('adm.pa:'));
  assert.ok(data, 'the screen offers to mark everything paid');
  return data;
}

const CAMILLE = 7401; // French
const BEN = 7402; // English

test('what is owed, by seller with the order lines and wallet; one line paid with a checked hash', async () => {
  const bot = adminHarness(services);
  await sellerOwed(db, CAMILLE, { language: 'fr', count: 2, priceCents: 1000 });
  await sellerOwed(db, BEN, { language: 'en', count: 1, priceCents: 2500 });
  await bot.sendText(ADMIN, '/admin');
  const summary = shown(await bot.press(ADMIN, 'adm.po:0'));
  assert.match(textOf(summary), /Owed now: <b>\$45\.00<\/b> · 3 lines · 2 sellers/);
  assert.match(textOf(summary), /Shop &lt;7401&gt;<\/b> — \$20\.00 · 2 lines/, 'names are escaped');
  assert.ok(buttonLabels(summary).flat().includes('💼 Shop <7401> · $20.00'), 'labels are plain text');
  assert.ok(buttonLabels(summary).flat().includes('✅ Mark everything paid · $45.00'));

  const seller = shown(await bot.press(ADMIN, `adm.ps:${CAMILLE}:0`));
  assert.match(textOf(seller), /So11111111111111111111111111111111111111112/, 'the wallet is shown');
  assert.match(textOf(seller), /Owed: <b>\$20\.00<\/b> · 2 lines/);
  assert.equal((textOf(seller).match(/<code>O-/g) ?? []).length, 2, 'each order line is listed');
  const line = callbackDataOf(seller).find((d) => d.startsWith('adm.pa1:'));
  assert.ok(line);

  const prompt = shown(await bot.press(ADMIN, line));
  assert.match(textOf(prompt), /Send <b>\$10\.00<\/b> in USDT on Solana \(1 line, 1 seller\)/);
  assert.match(
    textOf(prompt),
    /• <b>Shop &lt;7401&gt;<\/b> — \$10\.00 → <code>So11111111111111111111111111111111111111112<\/code>/,
    'who gets what, to which wallet',
  );
  assert.match(textOf(shown(await bot.sendText(ADMIN, 'not-a-hash'))), /not a Solana transaction signature/);
  assert.equal(await owedCount(CAMILLE), 2, 'nothing changed');

  const calls = await bot.sendText(ADMIN, TX_HASH);
  assert.match(
    textOf(sentTo(calls, ADMIN.id)[0]),
    /1 line marked paid: \$10\.00\.[\s\S]*Sellers told: 1 of 1/,
  );
  const [notice] = sentTo(calls, CAMILLE);
  assert.ok(notice, 'the seller was told');
  assert.match(plain(textOf(notice)), /Paiement envoyé<\/b> : 10,00 \$US en USDT/);
  assert.ok(textOf(notice).includes(TX_HASH));
  assert.equal(await owedCount(CAMILLE), 1);
  // The question is over: sending the hash again pays nothing more.
  assert.equal(sentTo(await bot.sendText(ADMIN, TX_HASH), CAMILLE).length, 0);
  assert.equal(await owedCount(CAMILLE), 1);
  assertCallbacksFit(bot);
});

test('"mark everything paid" pays exactly the lines shown, once, even when two admins race', async () => {
  const first = adminHarness(services);
  const second = adminHarness(services); // another instance of the app, another admin
  const product = await addProduct(db, { sellerId: BEN, priceCents: 2500 });
  await first.sendText(ADMIN, '/admin');
  const stale = shown(await first.press(ADMIN, 'adm.po:0'));

  // A line leaves escrow after the screen was shown: the stale button pays nothing, shows it again.
  await addOwedLines(db, BEN, product, 5002);
  const before = await owedCount();
  const refused = await first.press(ADMIN, payAllData(stale));
  assert.match(alertOf(refused) ?? '', /changed since this screen was shown/);
  assert.equal(await owedCount(), before, 'nothing paid');

  const fresh = shown(await first.press(ADMIN, 'adm.po:0'));
  await second.sendText(SECOND_ADMIN, '/admin');
  const theirs = shown(await second.press(SECOND_ADMIN, 'adm.po:0'));
  assert.equal(payAllData(theirs), payAllData(fresh), 'both admins see the same lines');
  const shownIds = (
    await db.many<{ id: number }>(`SELECT id::float8 AS id FROM payouts WHERE status = 'available'`)
  ).map((r) => r.id);
  await first.press(ADMIN, payAllData(fresh));
  await second.press(SECOND_ADMIN, payAllData(theirs));

  // One more line is released while they fetch their wallets: it was not shown, it stays owed.
  const [late] = await addOwedLines(db, BEN, product, 5002);
  const [a, b] = await Promise.all([
    first.sendText(ADMIN, RACE_HASHES[0]),
    second.sendText(SECOND_ADMIN, RACE_HASHES[1]),
  ]);
  const paid = await db.many<{ id: number; tx: string }>(
    `SELECT id::float8 AS id, tx_hash AS tx FROM payouts WHERE id = ANY($1::bigint[]) AND status = 'paid'`,
    [shownIds],
  );
  assert.deepEqual(paid.map((p) => p.id).sort(), [...shownIds].sort(), 'every line shown is paid');
  assert.equal(new Set(paid.map((p) => p.tx)).size, 1, 'by one transfer: the one recorded first');
  const lateRow = await db.one<{ status: string }>('SELECT status FROM payouts WHERE id = $1', [late]);
  assert.equal(lateRow.status, 'available', 'a line not shown is not paid');

  const replies = [textOf(sentTo(a, ADMIN.id)[0]), textOf(sentTo(b, SECOND_ADMIN.id)[0])];
  assert.equal(replies.filter((r) => /marked paid|marquées? payées?/.test(r)).length, 1, replies.join('\n'));
  assert.equal(
    replies.filter((r) => /payées entre-temps|paid meanwhile/.test(r)).length,
    1,
    replies.join('\n'),
  );
  const notices = [...sentTo(a, BEN), ...sentTo(b, BEN), ...sentTo(a, CAMILLE), ...sentTo(b, CAMILLE)];
  assert.equal(notices.length, 2, 'each seller paid is told once');
  const audit = await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM admin_audit_log WHERE action = 'payout.mark_paid'
     AND details->>'txHash' = $1`,
    [paid[0]?.tx],
  );
  assert.equal(audit.n, 2, 'one record per seller paid');
});

test('a seller reads their payout history: dates, amounts and transaction hashes', async () => {
  const bot = adminHarness(services);
  const camille = telegramUser(CAMILLE);
  const dashboard = shown(await bot.sendText(camille, '/sell'));
  assert.ok(callbackDataOf(dashboard).includes('spy:0'));
  const history = shown(await bot.press(camille, 'spy:0'));
  const text = plain(textOf(history));
  assert.match(text, /Mes paiements/);
  assert.match(text, /2 virements/);
  assert.match(text, /— <b>10,00 \$US<\/b> · 1 vente/);
  assert.ok(text.includes(`<a href="https://solscan.io/tx/${TX_HASH}">`), 'each hash links to the explorer');
  assert.match(text, /\d{1,2} [a-zéû]+\.? \d{4}/, 'dated');
  const stranger = telegramUser(7499);
  assert.match(alertOf(await bot.press(stranger, 'spy:0')) ?? '', /Réservé aux vendeurs/);
  assertCallbacksFit(bot);
});
