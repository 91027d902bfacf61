// Delivery as Telegram answers it, through the real notifier, the real delivery job (pg-boss on
// our pool) and the strict Telegram double: a buyer who blocked the bot is recorded and not
// retried while the seller still hears of the sale, and is served when they come back; the file
// itself goes along as a document, uploaded once and then sent by Telegram's file id (a refused
// id is dropped and the file uploaded again); a link to a host without a dot is text, not a
// button Telegram would refuse.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { InputFile } from 'grammy';
import type { ChatMemberUpdated } from 'grammy/types';
import { pino } from 'pino';
import { createTranslator } from '../../src/bot/i18n.ts';
import { createNotifier } from '../../src/bot/notify.ts';
import { startJobQueue } from '../../src/jobs/index.ts';
import { eventually } from '../commerce/fixtures.ts';
import { testServices } from '../support/services.ts';
import { ADMIN, addAdmins, adminHarness, adminServices, shown } from './admin-fixtures.ts';
import {
  addPaidOrder,
  addProduct,
  addSeller,
  addUser,
  buyerDatabase,
  tempStorage,
} from './browse-fixtures.ts';
import { BOT_INFO, BotHarness, buttonLabels, telegramUser, textOf } from './harness.ts';

const log = pino({ level: 'silent' });
const db = await buyerDatabase();
const storage = await tempStorage();
const jobs = await startJobQueue({
  db,
  log,
  settings: {
    schedule: false,
    pollingIntervalSeconds: 0.5,
    deliveryRetryDelaySeconds: 1,
    deliveryRetryBackoff: false,
  },
});
after(() => jobs.stop({ timeoutMs: 1_000 }));
const services = await testServices(db, { storage, enqueueDelivery: jobs.enqueueDelivery });
const bot = new BotHarness({ services }, { strict: true });
await jobs.startWorkers({
  services,
  channel: createNotifier({ api: bot.bot.api, services, i18n: createTranslator(), log }),
});

// Telegram answers a sent document with the file it keeps: a new file_id for an upload.
let uploads = 0;
bot.respondTo('sendDocument', (payload) => {
  const sent = payload.document;
  const fileId = sent instanceof InputFile ? `doc-${++uploads}` : String(sent);
  return {
    message_id: 10_000 + uploads,
    date: Math.floor(Date.now() / 1000),
    chat: { id: Number(payload.chat_id), type: 'private', first_name: 'buyer' },
    document: { file_id: fileId, file_unique_id: `unique-${fileId}` },
  };
});

const SELLER = 7501;
await addSeller(db, SELLER, 'Atelier Sud');
let nextUser = 9500;

/** A product whose file is really in storage (it is sent as a document). */
async function productWithFile(title: string): Promise<{ productId: string; storedFileId: number }> {
  const productId = await addProduct(db, { sellerId: SELLER, title, priceCents: 1500 });
  const file = await db.one<{ id: number; key: string }>(
    `SELECT f.id::int, f.storage_key AS key FROM products p JOIN stored_files f ON f.id = p.main_file_id
     WHERE p.id = $1`,
    [productId],
  );
  const bytes = Buffer.from(`%PDF-1.7 ${title}`);
  await storage.put(file.key, bytes, { contentType: 'application/pdf' });
  await db.exec('UPDATE stored_files SET size_bytes = $2 WHERE id = $1', [file.id, bytes.length]);
  return { productId, storedFileId: file.id };
}

async function paidOrder(productId: string) {
  const buyer = telegramUser(nextUser++);
  await addUser(db, buyer.id, buyer.first_name);
  const orderId = await addPaidOrder(db, buyer.id, productId);
  return { buyer, orderId };
}

/** Queues the order's delivery as a paid IPN does, and waits for the job to end. */
async function deliver(orderId: string): Promise<{ retries: number }> {
  await jobs.enqueueDelivery(db, orderId);
  return finished(orderId);
}

async function finished(orderId: string): Promise<{ retries: number }> {
  const job = () =>
    db.maybeOne<{ retries: number; state: string }>(
      `SELECT retry_count AS retries, state FROM pgboss.job
       WHERE name = 'deliver_order' AND data->>'orderId' = $1 ORDER BY created_on DESC LIMIT 1`,
      [orderId],
    );
  await eventually(async () => (await job())?.state === 'completed');
  return { retries: (await job())?.retries ?? -1 };
}

const callsTo = (chatId: number, method?: string) =>
  bot.calls.filter((c) => Number(c.payload.chat_id) === chatId && (!method || c.method === method));

async function orderState(orderId: string) {
  return db.one<{ delivered: boolean; blocked: boolean; sellerNotified: boolean }>(
    `SELECT delivered_at IS NOT NULL AS delivered, delivery_blocked_at IS NOT NULL AS blocked,
            seller_notified_at IS NOT NULL AS "sellerNotified" FROM orders WHERE id = $1`,
    [orderId],
  );
}

function memberUpdate(userId: number, status: 'member' | 'kicked'): { my_chat_member: ChatMemberUpdated } {
  const user = telegramUser(userId);
  return {
    my_chat_member: {
      chat: { id: userId, type: 'private', first_name: user.first_name },
      from: user,
      date: Math.floor(Date.now() / 1000),
      old_chat_member:
        status === 'member'
          ? { status: 'kicked', user: BOT_INFO, until_date: 0 }
          : { status: 'member', user: BOT_INFO },
      new_chat_member:
        status === 'member'
          ? { status: 'member', user: BOT_INFO }
          : { status: 'kicked', user: BOT_INFO, until_date: 0 },
    },
  };
}

test('a buyer who blocked the bot: the order records it at once, no retry, and the seller still hears of the sale', async () => {
  const { productId } = await productWithFile('Guide bloqué');
  const { buyer, orderId } = await paidOrder(productId);
  bot.strict?.block(buyer.id);
  const sellerBefore = callsTo(SELLER, 'sendMessage').length;

  assert.deepEqual(await deliver(orderId), { retries: 0 });
  assert.deepEqual(await orderState(orderId), { delivered: false, blocked: true, sellerNotified: true });
  assert.deepEqual(
    callsTo(buyer.id).map((c) => c.method),
    ['sendMessage'],
    'one try: no document and no download link minted for nobody',
  );
  const [sale] = callsTo(SELLER, 'sendMessage').slice(sellerBefore);
  assert.match(textOf(sale), /Nouvelle vente : <b>Guide bloqué<\/b>/);
  const tokens = await db.one<{ n: number }>(
    'SELECT count(*)::int AS n FROM download_tokens WHERE order_id = $1',
    [orderId],
  );
  assert.equal(tokens.n, 0);
  const user = await db.one<{ blocked: boolean }>(
    'SELECT bot_blocked_at IS NOT NULL AS blocked FROM users WHERE id = $1',
    [buyer.id],
  );
  assert.equal(user.blocked, true);

  // The admins see why the order is not delivered.
  await addAdmins(db);
  const admin = adminHarness(await adminServices(db));
  await admin.sendText(ADMIN, '/admin');
  const card = textOf(shown(await admin.press(ADMIN, `adm.u:${buyer.id}`)));
  assert.match(card, /📵 Blocked the bot on /);
  assert.match(card, /Guide bloqué · .* · 📵 paid, not delivered: the buyer blocked the bot/);

  // They unblock the bot: Telegram sends my_chat_member "member", the delivery goes out once.
  bot.strict?.unblock(buyer.id);
  await bot.handle(memberUpdate(buyer.id, 'member'));
  await eventually(async () => (await orderState(orderId)).delivered);
  await finished(orderId);
  assert.deepEqual(await orderState(orderId), { delivered: true, blocked: false, sellerNotified: true });
  const delivered = callsTo(buyer.id, 'sendMessage').at(-1);
  assert.match(textOf(delivered), /Votre achat <b>Guide bloqué<\/b>/);
  assert.deepEqual(buttonLabels(delivered), [['📥 Télécharger'], ['📚 Ma bibliothèque']]);
  assert.equal(callsTo(buyer.id, 'sendDocument').length, 1);
  assert.equal(callsTo(SELLER, 'sendMessage').length - sellerBefore, 1, 'the seller is not told twice');
});

test('my_chat_member "kicked" marks the user blocked; a group update changes nothing', async () => {
  const user = telegramUser(nextUser++);
  await addUser(db, user.id, user.first_name);
  const blocked = async () =>
    (
      await db.one<{ blocked: boolean }>(
        'SELECT bot_blocked_at IS NOT NULL AS blocked FROM users WHERE id = $1',
        [user.id],
      )
    ).blocked;
  const inGroup = memberUpdate(user.id, 'kicked');
  inGroup.my_chat_member.chat = { id: -100123, type: 'supergroup', title: 'A group' };
  assert.deepEqual(await bot.handle(inGroup), []);
  assert.equal(await blocked(), false);
  assert.deepEqual(await bot.handle(memberUpdate(user.id, 'kicked')), [], 'nothing is sent to them');
  assert.equal(await blocked(), true);
  await bot.handle(memberUpdate(user.id, 'member'));
  assert.equal(await blocked(), false);
});

test('a deleted account ends the delivery the same way', async () => {
  const { productId } = await productWithFile('Guide supprimé');
  const { buyer, orderId } = await paidOrder(productId);
  bot.strict?.block(buyer.id, 'deactivated');
  assert.deepEqual(await deliver(orderId), { retries: 0 });
  assert.deepEqual(await orderState(orderId), { delivered: false, blocked: true, sellerNotified: true });
});

test('"chat not found" ends it too, while a Telegram outage is retried', async () => {
  const { productId } = await productWithFile('Guide introuvable');
  const gone = await paidOrder(productId);
  bot.failNext('sendMessage', 'Bad Request: chat not found');
  assert.deepEqual(await deliver(gone.orderId), { retries: 0 });
  assert.deepEqual(await orderState(gone.orderId), { delivered: false, blocked: true, sellerNotified: true });

  const later = await paidOrder(productId);
  bot.failNext('sendMessage', 'Bad Gateway', 502);
  assert.deepEqual(await deliver(later.orderId), { retries: 1 });
  assert.deepEqual(await orderState(later.orderId), {
    delivered: true,
    blocked: false,
    sellerNotified: true,
  });
});

test('the file goes along as a document: uploaded once from storage, then sent by its file_id', async () => {
  const { productId, storedFileId } = await productWithFile('Guide partagé');
  const first = await paidOrder(productId);
  await deliver(first.orderId);
  const [upload] = callsTo(first.buyer.id, 'sendDocument');
  assert.ok(upload?.payload.document instanceof InputFile, 'the first send uploads the file');
  assert.equal(upload.payload.document.filename, 'guide.pdf');
  assert.match(textOf(upload), /Guide partagé<\/b>, version 1/);
  const cached = await db.one<{ fileId: string }>(
    'SELECT file_id AS "fileId" FROM telegram_file_cache WHERE stored_file_id = $1',
    [storedFileId],
  );

  const second = await paidOrder(productId);
  await deliver(second.orderId);
  const [byId] = callsTo(second.buyer.id, 'sendDocument');
  assert.equal(byId?.payload.document, cached.fileId, 'the second buyer gets it by file_id, no upload');
  const history = await db.many<{ channel: string }>(
    'SELECT channel FROM download_events WHERE order_id = ANY($1::text[])',
    [[first.orderId, second.orderId]],
  );
  assert.deepEqual(
    history.map((h) => h.channel),
    ['telegram', 'telegram'],
  );
});

test('a file_id Telegram refuses is dropped from the cache and the file uploaded again', async () => {
  const { productId, storedFileId } = await productWithFile('Guide oublié');
  await services.telegramFiles.remember(storedFileId, 'stale-file-id');
  const { buyer, orderId } = await paidOrder(productId);
  bot.failNext('sendDocument', 'Bad Request: wrong file identifier/HTTP URL specified');
  await deliver(orderId);
  const sends = callsTo(buyer.id, 'sendDocument');
  assert.equal(sends.length, 2);
  assert.equal(sends[0]?.payload.document, 'stale-file-id');
  assert.ok(sends[1]?.payload.document instanceof InputFile);
  const cached = await db.one<{ fileId: string }>(
    'SELECT file_id AS "fileId" FROM telegram_file_cache WHERE stored_file_id = $1',
    [storedFileId],
  );
  assert.notEqual(cached.fileId, 'stale-file-id');
  assert.deepEqual(await orderState(orderId), { delivered: true, blocked: false, sellerNotified: true });
});

test('a file over the Bot API upload limit is not sent as a document: the Download button is the way', async () => {
  const { productId, storedFileId } = await productWithFile('Gros guide');
  await db.exec('UPDATE stored_files SET size_bytes = 60000000 WHERE id = $1', [storedFileId]);
  const { buyer, orderId } = await paidOrder(productId);
  await deliver(orderId);
  assert.deepEqual(
    callsTo(buyer.id).map((c) => c.method),
    ['sendMessage'],
  );
  assert.deepEqual(await orderState(orderId), { delivered: true, blocked: false, sellerNotified: true });
});

test('with PUBLIC_URL on localhost, the download link is in the text instead of a button Telegram refuses', async () => {
  const local = new BotHarness(
    { services, settings: { publicUrl: 'http://localhost:3000' } },
    { strict: true },
  );
  const { productId } = await productWithFile('Guide local');
  const { buyer, orderId } = await paidOrder(productId);
  await local.sendText(buyer, '/library');
  const calls = await local.press(buyer, `l.dl:${orderId}`);
  const reply = calls.find((c) => c.method === 'sendMessage');
  assert.ok(reply, 'the link was sent (a localhost URL button would have been refused)');
  assert.deepEqual(buttonLabels(reply), []);
  assert.match(
    textOf(reply),
    /\n\n📥 Ouvrir le lien de téléchargement\n<a href="http:\/\/localhost:3000\/download\/[\w-]+\?lang=fr">http:\/\/localhost:3000\/download\/[\w-]+\?lang=fr<\/a>$/,
  );
});

test('a cover is uploaded once, then every instance sends it by file_id; a refused id is uploaded again', async () => {
  const design = (await db.one<{ id: number }>(`SELECT id FROM categories WHERE slug = 'design-creative'`))
    .id;
  await addProduct(db, { sellerId: SELLER, title: 'Affiche', category: 'design-creative', cover: storage });
  const photoOf = async (instance: BotHarness) => {
    const user = telegramUser(nextUser++);
    await instance.sendText(user, '/achat');
    const calls = await instance.press(user, `b.cat:${design}:0`);
    return calls.filter((c) => c.method === 'sendPhoto').map((c) => c.payload.photo);
  };
  const [uploaded] = await photoOf(bot);
  assert.ok(uploaded instanceof InputFile);
  // Another instance of the bot (its own process) reads the same cache.
  const other = new BotHarness({ services: await testServices(db, { storage }) }, { strict: true });
  const [byId] = await photoOf(other);
  assert.equal(typeof byId, 'string');
  assert.match(String(byId), /^photo-\d+$/, 'the file_id Telegram gave for the upload');

  other.failNext('sendPhoto', 'Bad Request: wrong file identifier/HTTP URL specified');
  const retried = await photoOf(other);
  assert.equal(retried.length, 2);
  assert.equal(retried[0], byId);
  assert.ok(retried[1] instanceof InputFile, 'uploaded again after the refusal');
  const [next] = await photoOf(bot);
  assert.equal(typeof next, 'string');
  assert.notEqual(next, byId, 'the refused id is not used again');
});
