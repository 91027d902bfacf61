// The admin console in the bot, part 1: nothing for non-admins (every admin button forged),
// the menu and statistics, users recorded on first contact (once, not on every update), the user
// list and search (any case or accent, by name, @username, id or email), the user card, a
// suspension with a reason and an end (bad dates refused, nothing changed), the user told in their
// language, and a timed suspension that ends by itself through its job.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { ADMIN as ACTIONS } from '../../src/bot/features/admin/state.ts';
import { createTranslator } from '../../src/bot/i18n.ts';
import { createNotifier } from '../../src/bot/notify.ts';
import { QUEUES, startJobQueue } from '../../src/jobs/index.ts';
import {
  ADMIN,
  addAdmins,
  adminHarness,
  adminServices,
  alertOf,
  auditActions,
  sellerOwed,
  sentTo,
  shown,
} from './admin-fixtures.ts';
import { addProduct, addSeller, addUser, assertCallbacksFit, buyerDatabase } from './browse-fixtures.ts';
import { buttonLabels, callbackDataOf, telegramUser, textOf } from './harness.ts';

const db = await buyerDatabase();
await addAdmins(db);
const services = await adminServices(db);
const STRANGER = telegramUser(5002);
await addUser(db, STRANGER.id, STRANGER.first_name);

const silentLog = pino({ level: 'silent' });
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

test('a non-admin gets nothing from /admin nor from any admin button, forged with real ids', async () => {
  const bot = adminHarness(services);
  const seller = 7001;
  const [payout] = await sellerOwed(db, seller, { count: 1 });
  const product = await addProduct(db, { sellerId: seller, title: 'Produit visé' });
  const { id: ticket } = await db.one<{ id: number }>(
    `INSERT INTO tickets (user_id, subject) VALUES ($1, 'Sujet secret') RETURNING id::float8 AS id`,
    [ADMIN.id],
  );
  const typed = await bot.sendText(STRANGER, '/admin');
  const unknown = await bot.sendText(STRANGER, '/nosuchcommand');
  assert.deepEqual(
    typed.map((c) => c.method),
    ['sendMessage'],
  );
  assert.equal(textOf(typed[0]), textOf(unknown[0]), '/admin reads as any unknown command');

  // One forged press per admin action, with arguments that would act if the guard let it through.
  const forged: Record<string, string> = {
    menu: ACTIONS.menu,
    stats: ACTIONS.stats,
    cancel: ACTIONS.cancel,
    inbox: `${ACTIONS.inbox}:a:0`,
    ticket: `${ACTIONS.ticket}:${ticket}`,
    ticketStatus: `${ACTIONS.ticketStatus}:${ticket}:closed`,
    users: `${ACTIONS.users}:n:0`,
    userSearch: ACTIONS.userSearch,
    userResults: `${ACTIONS.userResults}:0`,
    user: `${ACTIONS.user}:${ADMIN.id}`,
    suspend: `${ACTIONS.suspend}:${ADMIN.id}`,
    suspendFor: `${ACTIONS.suspendFor}:${ADMIN.id}:0`,
    restoreUser: `${ACTIONS.restoreUser}:${ADMIN.id}`,
    products: `${ACTIONS.products}:all:0`,
    productSearch: ACTIONS.productSearch,
    productResults: `${ACTIONS.productResults}:0`,
    product: `${ACTIONS.product}:${product}`,
    ban: `${ACTIONS.ban}:${product}`,
    banFor: `${ACTIONS.banFor}:${product}:scam`,
    restoreProduct: `${ACTIONS.restoreProduct}:${product}:active`,
    payouts: `${ACTIONS.payouts}:0`,
    seller: `${ACTIONS.seller}:${seller}:0`,
    payAll: `${ACTIONS.payAll}:AAAAAAAAAAAAAAAA`,
    paySeller: `${ACTIONS.paySeller}:${seller}:AAAAAAAAAAAAAAAA`,
    payLine: `${ACTIONS.payLine}:${seller}:${payout}`,
    exports: ACTIONS.exports,
    exportFile: `${ACTIONS.exportFile}:users`,
    audit: `${ACTIONS.audit}:0`,
    auditOf: `${ACTIONS.auditOf}:user:${ADMIN.id}:0`,
  };
  assert.deepEqual(Object.keys(forged).sort(), Object.keys(ACTIONS).sort(), 'every admin action is tried');
  for (const data of Object.values(forged)) {
    const calls = await bot.press(STRANGER, data);
    assert.deepEqual(
      calls.map((c) => c.method),
      ['answerCallbackQuery'],
      `${data} showed nothing`,
    );
    assert.doesNotMatch(JSON.stringify(calls), /Administration|Shop|payout|secret|Produit/i, data);
  }
  // A typed "hash" or "reason" from a non-admin reaches no admin question.
  await bot.sendText(STRANGER, 'Fraud');
  const state = await db.one<{
    audit: number;
    owed: number;
    banned: number;
    suspended: number;
    status: string;
  }>(
    `SELECT (SELECT count(*)::int FROM admin_audit_log) AS audit,
            (SELECT count(*)::int FROM payouts WHERE status = 'available' AND seller_id = $1) AS owed,
            (SELECT count(*)::int FROM products WHERE status = 'banned') AS banned,
            (SELECT count(*)::int FROM users WHERE suspended_at IS NOT NULL) AS suspended,
            (SELECT status FROM tickets WHERE id = $2) AS status`,
    [seller, ticket],
  );
  assert.deepEqual(state, { audit: 0, owed: 1, banned: 0, suspended: 0, status: 'open' });
  assert.equal(bot.calls.filter((c) => c.method === 'sendDocument').length, 0, 'no export was sent');
});

test('an admin sees the menu, with what waits in the inbox, and the statistics', async () => {
  const bot = adminHarness(services);
  const menu = shown(await bot.sendText(ADMIN, '/admin'));
  assert.match(textOf(menu), /Administration/);
  assert.match(textOf(menu), /tickets? waits? for an answer|No ticket waits/);
  assert.ok(callbackDataOf(menu).includes('adm.st'));
  const stats = shown(await bot.press(ADMIN, 'adm.st'));
  assert.match(textOf(stats), /Statistics/);
  const users = (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM users')).n;
  assert.match(textOf(stats), new RegExp(`Users: ${users} `));
  assertCallbacksFit(bot);
});

test('users are recorded on first contact, and written again only when their name changes', async () => {
  let writes = 0;
  const { accounts } = services;
  const counting = {
    ...services,
    accounts: {
      ...accounts,
      registerUser: (...args: Parameters<typeof accounts.registerUser>) => {
        writes++;
        return accounts.registerUser(...args);
      },
    },
  };
  const bot = adminHarness(counting);
  const newcomer = telegramUser(7100, {
    first_name: 'Noé',
    last_name: 'Lefèvre',
    username: 'noe_l',
    language_code: 'en',
  });
  await bot.sendText(newcomer, '/start');
  const row = await db.one<{ first: string; last: string; username: string; language: string }>(
    'SELECT first_name AS first, last_name AS last, username, language FROM users WHERE id = $1',
    [newcomer.id],
  );
  assert.deepEqual(row, { first: 'Noé', last: 'Lefèvre', username: 'noe_l', language: 'en' });
  const afterFirst = writes;
  await bot.sendText(newcomer, '/help');
  await bot.press(newcomer, 'home');
  await bot.sendText(newcomer, 'guide');
  assert.equal(writes, afterFirst, 'no write while nothing changed');
  await bot.sendText({ ...newcomer, username: 'noe_renamed' }, '/help');
  assert.equal(writes, afterFirst + 1);
  const renamed = await db.one<{ username: string }>('SELECT username FROM users WHERE id = $1', [
    newcomer.id,
  ]);
  assert.equal(renamed.username, 'noe_renamed');
});

test('the user list by page, and search by name without accents, @username, id or email', async () => {
  const bot = adminHarness(services);
  const elodie = telegramUser(7201, { first_name: 'Élodie', last_name: 'Marchand', username: 'elo_m' });
  await bot.sendText(elodie, '/start');
  await addSeller(db, 7202, 'Atelier Zoé');
  await db.exec(`UPDATE seller_profiles SET email = 'zoe.contact@example.org' WHERE user_id = 7202`);

  await bot.sendText(ADMIN, '/admin');
  const newest = shown(await bot.press(ADMIN, 'adm.ul:n:0'));
  assert.match(textOf(newest), /Users<\/b> · 🆕 Newest \(\d+\)/);
  assert.ok(
    buttonLabels(newest)
      .flat()
      .some((label) => label.includes('Élodie Marchand @elo_m')),
  );

  for (const [query, expected] of [
    ['elodie', 'Élodie Marchand'],
    ['ÉLODIE marchand', 'Élodie Marchand'],
    ['@ELO_M', 'Élodie Marchand'],
    [String(elodie.id), 'Élodie Marchand'],
    ['zoe.contact@example', 'Shop'],
    ['atelier zoe', 'Shop'],
  ] as const) {
    await bot.press(ADMIN, 'adm.usq');
    const results = shown(await bot.sendText(ADMIN, query));
    assert.match(textOf(results), /matching/, query);
    const labels = buttonLabels(results).flat();
    assert.ok(
      labels.some((label) => label.includes(expected === 'Shop' ? 'User7202' : expected)),
      `${query} finds ${expected}: ${labels.join(' | ')}`,
    );
  }
  await bot.press(ADMIN, 'adm.usq');
  assert.match(textOf(shown(await bot.sendText(ADMIN, 'nobody-has-this-name'))), /\(0\)[\s\S]*Nobody here/);
  assertCallbacksFit(bot);
});

test('a suspension: reason, then end; a past or unreadable end changes nothing; the user is told', async () => {
  const bot = adminHarness(services);
  const user = telegramUser(7003, { first_name: 'Mallory <script>' });
  await bot.sendText(user, '/start');
  await bot.sendText(ADMIN, '/admin');
  const card = shown(await bot.press(ADMIN, `adm.u:${user.id}`));
  assert.match(textOf(card), /Mallory &lt;script&gt;/);
  assert.match(textOf(card), /✅ Active/);

  await bot.press(ADMIN, `adm.sus:${user.id}`);
  assert.match(textOf(shown(await bot.sendText(ADMIN, '   '))), /1 to 500 characters/);
  const until = shown(await bot.sendText(ADMIN, 'Fraudulent refunds'));
  assert.match(textOf(until), /Until when\?/);
  assert.ok(callbackDataOf(until).includes(`adm.sue:${user.id}:7`));

  assert.match(textOf(shown(await bot.sendText(ADMIN, '2020-01-01'))), /must end in the future/);
  assert.match(textOf(shown(await bot.sendText(ADMIN, 'next tuesday'))), /Type a duration/);
  assert.match(textOf(shown(await bot.sendText(ADMIN, '2026-02-31'))), /Type a duration/);
  const untouched = await db.one<{ at: Date | null }>('SELECT suspended_at AS at FROM users WHERE id = $1', [
    user.id,
  ]);
  assert.equal(untouched.at, null, 'nothing changed');

  const calls = await bot.press(ADMIN, `adm.sue:${user.id}:7`);
  const [notice] = sentTo(calls, user.id);
  assert.ok(notice, 'the user was told');
  assert.match(textOf(notice), /Votre compte est suspendu<\/b> jusqu'au/);
  assert.match(textOf(notice), /Motif : Fraudulent refunds/);
  const done = shown(calls);
  assert.match(textOf(done), /User 7003 suspended\. They were told why\./);
  assert.match(textOf(done), /⛔ Suspended until .*: Fraudulent refunds/);
  const row = await db.one<{ reason: string; by: number; days: number }>(
    `SELECT suspension_reason AS reason, suspended_by::float8 AS by,
            round(extract(epoch FROM suspended_until - now()) / 86400)::int AS days FROM users WHERE id = $1`,
    [user.id],
  );
  assert.deepEqual(row, { reason: 'Fraudulent refunds', by: ADMIN.id, days: 7 });
  // The duration button is spent with its question.
  assert.match(alertOf(await bot.press(ADMIN, `adm.sue:${user.id}:7`)) ?? '', /no longer available/);

  const restored = await bot.press(ADMIN, `adm.rst:${user.id}`);
  assert.match(textOf(sentTo(restored, user.id)[0]), /de nouveau actif/);
  assert.match(textOf(shown(restored)), /✅ Active/);
  assert.deepEqual(await auditActions(db, user.id), ['user.suspend', 'user.restore']);
  assert.match(alertOf(await bot.press(ADMIN, `adm.rst:${user.id}`)) ?? '', /changed meanwhile/);
  assert.match(alertOf(await bot.press(ADMIN, 'adm.u:99999999')) ?? '', /Not found/);
  assertCallbacksFit(bot);
});

test('a typed end date suspends until then; an admin cannot suspend themselves', async () => {
  const bot = adminHarness(services);
  const user = telegramUser(7004);
  await bot.sendText(user, '/start');
  await bot.sendText(ADMIN, '/admin');
  await bot.press(ADMIN, `adm.sus:${user.id}`);
  await bot.sendText(ADMIN, 'Spam');
  const calls = await bot.sendText(ADMIN, '2099-12-31 18:00');
  assert.match(textOf(sentTo(calls, user.id)[0]), /31 déc\. 2099, 18:00 UTC/);
  const row = await db.one<{ until: Date }>('SELECT suspended_until AS until FROM users WHERE id = $1', [
    user.id,
  ]);
  assert.equal(row.until.toISOString(), '2099-12-31T18:00:00.000Z');

  await bot.press(ADMIN, `adm.sus:${ADMIN.id}`);
  await bot.sendText(ADMIN, 'Oops');
  const refused = await bot.press(ADMIN, `adm.sue:${ADMIN.id}:0`);
  assert.match(alertOf(refused) ?? '', /cannot suspend yourself/);
  assert.equal(
    (
      await db.one<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE id = $1 AND suspended_at IS NOT NULL',
        [ADMIN.id],
      )
    ).n,
    0,
  );
});

test('a timed suspension ends by itself: the job restores the user and tells them', async () => {
  const bot = adminHarness(services);
  const user = telegramUser(7005, { language_code: 'en' });
  await bot.sendText(user, '/start');
  await bot.sendText(ADMIN, '/admin');
  await bot.press(ADMIN, `adm.sus:${user.id}`);
  await bot.sendText(ADMIN, 'Cooling off');
  await bot.press(ADMIN, `adm.sue:${user.id}:1`);
  // A day later.
  await db.exec(
    `UPDATE users SET suspended_at = now() - interval '25 hours', suspended_until = now() - interval '1 hour'
     WHERE id = $1`,
    [user.id],
  );
  const jobs = await startJobQueue({
    db,
    log: silentLog,
    settings: { schedule: false, pollingIntervalSeconds: 0.5 },
  });
  try {
    await jobs.startWorkers({
      services,
      channel: createNotifier({
        api: bot.bot.api,
        services,
        i18n: createTranslator(),
        log: silentLog,
      }),
    });
    const before = bot.calls.length;
    await jobs.trigger(QUEUES.endSuspensions);
    const deadline = Date.now() + 15_000;
    while (!sentTo(bot.calls.slice(before), user.id).length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [notice] = sentTo(bot.calls.slice(before), user.id);
    assert.ok(notice, 'the user was told');
    assert.match(plain(textOf(notice)), /Your suspension has ended/);
  } finally {
    await jobs.stop({ timeoutMs: 2_000 });
  }
  const row = await db.one<{ at: Date | null; reason: string | null }>(
    'SELECT suspended_at AS at, suspension_reason AS reason FROM users WHERE id = $1',
    [user.id],
  );
  assert.deepEqual(row, { at: null, reason: null });
  assert.match(textOf(shown(await bot.press(ADMIN, `adm.u:${user.id}`))), /✅ Active/);
});
