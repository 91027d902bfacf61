// The admin screens in the bot: nothing for non-admins (even with forged buttons), statistics,
// a seller's payouts marked paid with a Solana transaction hash (audited, seller notified in
// their language), users suspended and restored, products banned for good until an admin acts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProductService } from '../../src/services/products.ts';
import { tempStorage } from '../support/services.ts';
import {
  addPaidOrder,
  addProduct,
  addSeller,
  addUser,
  assertCallbacksFit,
  buyerDatabase,
  buyerHarness,
} from './browse-fixtures.ts';
import { type ApiCall, buttonLabels, callbackDataOf, telegramUser, textOf } from './harness.ts';

const db = await buyerDatabase();
const ADMIN = telegramUser(5001, { language_code: 'en' });
const STRANGER = telegramUser(5002);
await addUser(db, ADMIN.id, ADMIN.first_name);
await addUser(db, STRANGER.id, STRANGER.first_name);
await db.exec(`UPDATE users SET language = 'en' WHERE id = $1`, [ADMIN.id]);
const harness = () => buyerHarness(db, { settings: { adminIds: new Set([ADMIN.id]) } });

// A Solana transaction signature: 88 base58 characters.
const TX_HASH = `5${'K'.repeat(43)}${'x'.repeat(44)}`;

function shown(calls: ApiCall[]): ApiCall {
  const call = calls.findLast((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
  assert.ok(call, 'a screen was shown');
  return call;
}

function sentTo(calls: ApiCall[], chatId: number): ApiCall[] {
  return calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === chatId);
}

function alertOf(calls: ApiCall[]): string | undefined {
  return calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text as string | undefined;
}

async function auditActions(targetId: string | number): Promise<string[]> {
  const rows = await db.many<{ action: string }>(
    'SELECT action FROM admin_audit_log WHERE target_id = $1 AND admin_id = $2 ORDER BY id',
    [String(targetId), ADMIN.id],
  );
  return rows.map((r) => r.action);
}

/** A seller with `count` paid orders whose payouts left escrow and are owed now. */
async function sellerOwed(sellerId: number, language: 'fr' | 'en', count = 2): Promise<string> {
  await addSeller(db, sellerId, `Shop <${sellerId}>`);
  await db.exec('UPDATE users SET language = $2 WHERE id = $1', [sellerId, language]);
  const product = await addProduct(db, { sellerId, priceCents: 1000 });
  for (let i = 0; i < count; i++) {
    const orderId = await addPaidOrder(db, STRANGER.id, product);
    await db.exec(
      `INSERT INTO payouts (order_id, seller_id, amount_cents, status, escrow_until, available_at)
       VALUES ($1, $2, 1000, 'available', now() - interval '1 day', now())`,
      [orderId, sellerId],
    );
  }
  return product;
}

test('a non-admin gets nothing from /admin nor from forged admin buttons', async () => {
  const bot = await harness();
  const seller = 7001;
  await sellerOwed(seller, 'fr', 1);
  // /admin is answered like any unknown command: the same "not understood", nothing about admin.
  const typed = await bot.sendText(STRANGER, '/admin');
  const unknown = await bot.sendText(STRANGER, '/nosuchcommand');
  assert.deepEqual(
    typed.map((c) => c.method),
    ['sendMessage'],
  );
  assert.equal(textOf(typed[0]), textOf(unknown[0]));
  for (const data of ['adm', 'adm.st', 'adm.po:0', `adm.pay:${seller}`, `adm.sus:${ADMIN.id}`, 'adm.us']) {
    const calls = await bot.press(STRANGER, data);
    assert.deepEqual(
      calls.map((c) => c.method),
      ['answerCallbackQuery'],
      `${data} showed nothing`,
    );
    assert.doesNotMatch(JSON.stringify(calls), /Administration|Shop|payout/i);
  }
  // A typed "hash" from a non-admin never reaches the payout prompt.
  await bot.sendText(STRANGER, TX_HASH);
  const owed = await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM payouts WHERE seller_id = $1 AND status = 'available'`,
    [seller],
  );
  assert.equal(owed.n, 1);
  assert.equal((await db.one<{ n: number }>('SELECT count(*)::int AS n FROM admin_audit_log')).n, 0);
});

test('an admin sees the menu and the marketplace statistics', async () => {
  const bot = await harness();
  const menu = shown(await bot.sendText(ADMIN, '/admin'));
  assert.match(textOf(menu), /Administration/);
  assert.ok(callbackDataOf(menu).includes('adm.st'));
  const stats = shown(await bot.press(ADMIN, 'adm.st'));
  assert.match(textOf(stats), /Statistics/);
  const users = (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM users')).n;
  assert.match(textOf(stats), new RegExp(`Users: ${users} `));
  assertCallbacksFit(bot);
});

test("an admin marks a seller's payouts paid: a bad hash is refused, then the seller is notified", async () => {
  const bot = await harness();
  const seller = 7002;
  await sellerOwed(seller, 'fr', 2);
  await bot.sendText(ADMIN, '/admin');
  const list = shown(await bot.press(ADMIN, 'adm.po:0'));
  assert.match(textOf(list), /Shop &lt;7002&gt;/, 'the seller name is escaped');
  assert.match(textOf(list), /\$10\.00/);
  assert.match(textOf(list), /So11111111111111111111111111111111111111112/, 'the wallet is shown');
  assert.ok(callbackDataOf(list).includes(`adm.pay:${seller}`));
  assert.ok(buttonLabels(list).flat().includes('✅ Mark paid: Shop <7002>'), 'button labels are plain text');

  const prompt = shown(await bot.press(ADMIN, `adm.pay:${seller}`));
  assert.match(textOf(prompt), /\$20\.00/, 'the prompt shows the total owed');

  const refused = shown(await bot.sendText(ADMIN, 'not-a-hash'));
  assert.match(textOf(refused), /not a Solana transaction signature/);
  const stillOwed = await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM payouts WHERE seller_id = $1 AND status = 'available'`,
    [seller],
  );
  assert.equal(stillOwed.n, 2, 'nothing changed');

  // The prompt stays: the next message is read as the hash.
  const calls = await bot.sendText(ADMIN, TX_HASH);
  assert.match(textOf(sentTo(calls, ADMIN.id)[0]), /2 payout line\(s\) marked paid: \$20\.00/);
  const notice = sentTo(calls, seller);
  assert.equal(notice.length, 1, 'the seller was notified');
  assert.match(textOf(notice[0]), /Paiement envoyé/, 'in the language they saved');
  assert.ok(textOf(notice[0]).includes(TX_HASH));

  const paid = await db.many<{ status: string; txHash: string; paidBy: number }>(
    'SELECT status, tx_hash AS "txHash", paid_by::float8 AS "paidBy" FROM payouts WHERE seller_id = $1',
    [seller],
  );
  assert.equal(paid.length, 2);
  for (const row of paid) assert.deepEqual(row, { status: 'paid', txHash: TX_HASH, paidBy: ADMIN.id });
  assert.deepEqual(await auditActions(seller), ['payout.mark_all_paid']);

  // The prompt is gone: a second message pays nothing twice, and the stale button says so.
  assert.equal(sentTo(await bot.sendText(ADMIN, TX_HASH), seller).length, 0);
  assert.match(alertOf(await bot.press(ADMIN, `adm.pay:${seller}`)) ?? '', /nothing left to pay/);
  assertCallbacksFit(bot);
});

test('an admin suspends a user with a reason, then restores them', async () => {
  const bot = await harness();
  const user = telegramUser(7003);
  await addUser(db, user.id, 'Mallory <script>');
  await bot.sendText(ADMIN, '/admin');
  await bot.press(ADMIN, 'adm.us');
  assert.match(textOf(shown(await bot.sendText(ADMIN, 'abc'))), /Telegram id is a number/);
  const card = shown(await bot.sendText(ADMIN, String(user.id)));
  assert.match(textOf(card), /Mallory &lt;script&gt;/);
  assert.ok(callbackDataOf(card).includes(`adm.sus:${user.id}`));

  await bot.press(ADMIN, `adm.sus:${user.id}`);
  assert.match(textOf(shown(await bot.sendText(ADMIN, '   '))), /1 to 500 characters/);
  const suspended = shown(await bot.sendText(ADMIN, 'Fraudulent refunds'));
  assert.match(textOf(suspended), /Suspended until restored by an admin: Fraudulent refunds/);
  assert.ok(callbackDataOf(suspended).includes(`adm.rst:${user.id}`));
  const row = await db.one<{ reason: string; by: number }>(
    'SELECT suspension_reason AS reason, suspended_by::float8 AS by FROM users WHERE id = $1',
    [user.id],
  );
  assert.deepEqual(row, { reason: 'Fraudulent refunds', by: ADMIN.id });

  const restored = shown(await bot.press(ADMIN, `adm.rst:${user.id}`));
  assert.match(textOf(restored), /Active/);
  const after = await db.one<{ at: Date | null }>('SELECT suspended_at AS at FROM users WHERE id = $1', [
    user.id,
  ]);
  assert.equal(after.at, null);
  assert.deepEqual(await auditActions(user.id), ['user.suspend', 'user.restore']);

  // Restoring twice is refused politely, and an unknown id is not found.
  assert.match(alertOf(await bot.press(ADMIN, `adm.rst:${user.id}`)) ?? '', /changed meanwhile/);
  assert.match(alertOf(await bot.press(ADMIN, 'adm.u:99999999')) ?? '', /Not found/);
  assertCallbacksFit(bot);
});

test('an admin bans a product: the seller cannot re-activate it until an admin restores it', async () => {
  const bot = await harness();
  const seller = 7004;
  await addSeller(db, seller);
  const product = await addProduct(db, { sellerId: seller, title: 'Leaked <course>' });
  await bot.sendText(ADMIN, '/admin');
  await bot.press(ADMIN, 'adm.pr');
  assert.match(textOf(shown(await bot.sendText(ADMIN, 'hello'))), /not a product id/);
  const card = shown(await bot.sendText(ADMIN, product.toLowerCase()));
  assert.match(textOf(card), /Leaked &lt;course&gt;/);
  await bot.press(ADMIN, `adm.ban:${product}`);
  const banned = shown(await bot.sendText(ADMIN, 'Copyright infringement'));
  assert.match(textOf(banned), /Status: banned/);
  assert.match(textOf(banned), /Copyright infringement/);

  const products = createProductService({ db, storage: await tempStorage() });
  await assert.rejects(products.activate(seller, product), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'product_banned');
    return true;
  });

  const restored = shown(await bot.press(ADMIN, `adm.pok:${product}`));
  assert.match(textOf(restored), /Status: active/);
  assert.deepEqual(await auditActions(product), ['product.ban', 'product.restore']);
  assertCallbacksFit(bot);
});

test('a pending admin question is dropped when the admin goes elsewhere with /start', async () => {
  const bot = await harness();
  await bot.sendText(ADMIN, '/admin');
  await bot.press(ADMIN, 'adm.us'); // "type a Telegram id"
  await bot.sendText(ADMIN, '/start');
  const after = shown(await bot.sendText(ADMIN, String(STRANGER.id)));
  assert.doesNotMatch(textOf(after), /<code>5002<\/code>/, 'the text is not taken as the id asked for');
});
