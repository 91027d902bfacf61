// Changing a listing through the real bot: a new file version reaches earlier buyers only once
// the seller publishes it, each buyer keeps the version they bought, the library says which is
// which and downloads serve the version asked for; cover, preview and category are replaced as
// the wizard validates them; a banned product stays banned and its seller is told why.
import assert from 'node:assert/strict';
import { buffer, text as readText } from 'node:stream/consumers';
import { test } from 'node:test';
import type { User } from 'grammy/types';
import { pino } from 'pino';
import { createTranslator } from '../../src/bot/i18n.ts';
import { createMessenger } from '../../src/bot/messenger.ts';
import { notifyBan } from '../../src/bot/notices.ts';
import { newOrderId, priceBreakdown } from '../../src/domain/index.ts';
import { getStoredFile } from '../../src/repositories/files.ts';
import { banProduct, getProduct, type Product } from '../../src/repositories/products.ts';
import { jpegHeader, png, webpHeader } from '../support/images.ts';
import { type ApiCall, type BotHarness, buttonLabels, callbackDataOf, textOf } from './harness.ts';
import { alert, lastText, sellerKit, shown } from './seller-fixtures.ts';

const kit = await sellerKit(7000);
const { db, storage, services } = kit;

/** A paid order of the buyer, as completion leaves it (the order records the version it bought). */
async function buy(buyer: User, product: Product): Promise<string> {
  await services.accounts.registerUser(buyer);
  const amounts = priceBreakdown(product.priceCents);
  const id = newOrderId();
  await db.exec(
    `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents,
       status, paid_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'paid', now())`,
    [
      id,
      buyer.id,
      product.id,
      product.sellerId,
      product.title,
      amounts.priceCents,
      amounts.feeCents,
      amounts.totalCents,
    ],
  );
  await db.exec('UPDATE products SET sales_count = sales_count + 1 WHERE id = $1', [product.id]);
  return id;
}

/** What the user's own chat last showed during these calls. */
const lastTextFor = (calls: ApiCall[], user: User) =>
  textOf(shown(calls).findLast((c) => c.payload.chat_id === user.id));

const to = (calls: ApiCall[], user: User) =>
  calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === user.id);

/** Presses a download button and opens the one-time link it gives, as the HTTP route does. */
async function download(bot: BotHarness, buyer: User, data: string): Promise<string> {
  const calls = await bot.press(buyer, data);
  const reply = to(calls, buyer).at(-1);
  const markup = reply?.payload.reply_markup as { inline_keyboard: { url: string }[][] } | undefined;
  const url = markup?.inline_keyboard[0]?.[0]?.url;
  assert.ok(url, `no link for ${data}: ${String(alert(calls))}`);
  const delivery = await services.downloads.open(new URL(url).pathname.split('/').at(-1) as string);
  assert.equal(delivery.kind, 'stream');
  return delivery.kind === 'stream' ? readText(delivery.body) : '';
}

test('a new version reaches earlier buyers once published; each keeps the version they bought', async () => {
  const bot = kit.harness();
  const { user: seller, product } = await kit.sellerWithProduct(bot, 'Guide des pools de liquidité');
  const v1 = `file of ${seller.id}`;
  const early = kit.newUser({ language_code: 'fr' });
  const earlyOrder = await buy(early, product);

  // The seller sends the new file: it waits, buyers see nothing yet.
  await bot.press(seller, `sp.open:${product.id}`);
  const asked = await bot.press(seller, `sp.media:${product.id}:f`);
  assert.match(lastText(asked), /nouvelle version<\/b> du fichier[\s\S]*chacun garde la version/);
  assert.match(lastText(await kit.sendPhoto(bot, seller, Buffer.from('jpeg'))), /comme document/);
  const ready = await kit.sendDocument(
    bot,
    seller,
    'guide-v2.pdf',
    Buffer.from('second edition'),
    'application/pdf',
  );
  assert.match(
    lastText(ready),
    /le nouveau fichier est prêt\.\nguide-v2\.pdf · 14\so[\s\S]*comme version 2 \?/,
  );
  assert.deepEqual(to(ready, early), [], 'nobody is told before the seller publishes');
  await bot.sendText(early, '/library');
  assert.equal(await download(bot, early, `l.dl:${earlyOrder}`), v1, 'the waiting file is not delivered');

  const published = await bot.press(seller, `sp.pub:${product.id}`);
  assert.match(lastTextFor(published, seller), /Version 2 publiée\. 1 acheteur précédent est prévenu\./);
  assert.match(lastTextFor(published, seller), /📦 Fichier : version 2 · guide-v2\.pdf/);
  const [notice] = to(published, early);
  assert.match(
    textOf(notice),
    /Nouvelle version de Guide des pools de liquidité[\s\S]*version 2 est disponible : guide-v2\.pdf \(14\soctets\)[\s\S]*\(version 1\) reste disponible/,
  );
  assert.deepEqual(callbackDataOf(notice as ApiCall), [`l.dv:${earlyOrder}:2`, 'lib']);
  assert.equal(await download(bot, early, `l.dv:${earlyOrder}:2`), 'second edition');

  // The library says which is which; the bought version still downloads.
  const [card] = await bot.sendText(early, '/library');
  assert.match(
    textOf(card),
    /📦 Version 2 \(la plus récente\) • guide-v2\.pdf[\s\S]*La version 1 \(votre achat\) reste disponible/,
  );
  assert.deepEqual(buttonLabels(card)[0], ['📥 Version 2 (la plus récente)', '📥 Version 1 (votre achat)']);
  assert.equal(await download(bot, early, `l.dv:${earlyOrder}:1`), v1);
  assert.equal(await download(bot, early, `l.dl:${earlyOrder}`), 'second edition', 'by default, the latest');
  const events = await db.many<{ version: number }>(
    'SELECT version FROM download_events WHERE order_id = $1 ORDER BY id',
    [earlyOrder],
  );
  assert.deepEqual(
    events.map((e) => e.version),
    [1, 2, 1, 2],
  );

  // A later buyer bought version 2: there is no version 1 for them.
  const late = kit.newUser({ language_code: 'en' });
  const lateOrder = await buy(late, (await getProduct(db, product.id)) as Product);
  const [lateCard] = await bot.sendText(late, '/library');
  assert.match(textOf(lateCard), /📦 Version 2 • guide-v2\.pdf/);
  assert.deepEqual(buttonLabels(lateCard)[0], ['📥 Download']);
  const older = await bot.press(late, `l.dv:${lateOrder}:1`);
  assert.match(String(alert(older)), /not part of this purchase/);
  assert.equal(await download(bot, late, `l.dl:${lateOrder}`), 'second edition');

  // Version 3: both are told, each in their language, and each keeps their own.
  await bot.press(seller, `sp.media:${product.id}:f`);
  await kit.sendDocument(bot, seller, 'guide-v3.pdf', Buffer.from('third edition'), 'application/pdf');
  const third = await bot.press(seller, `sp.pub:${product.id}`);
  assert.match(lastTextFor(third, seller), /2 acheteurs précédents sont prévenus/);
  assert.match(
    textOf(to(third, late)[0]),
    /^📦 <b>New version of Guide des pools de liquidité<\/b>[\s\S]*\(version 2\) stays/,
  );
  assert.match(textOf(to(third, early)[0]), /\(version 1\) reste disponible/);
  assert.equal(await download(bot, early, `l.dv:${earlyOrder}:1`), v1);
  assert.equal(await download(bot, late, `l.dv:${lateOrder}:2`), 'second edition');
  assert.equal(await download(bot, late, `l.dv:${lateOrder}:3`), 'third edition');
});

test('before anyone buys, a new file replaces the current one; a waiting upload can be discarded', async () => {
  const bot = kit.harness();
  const { user: seller, product } = await kit.sellerWithProduct(bot, 'Modèles Notion pour freelances');
  const first = await getStoredFile(db, product.mainFileId ?? 0);
  await bot.press(seller, `sp.media:${product.id}:f`);
  const replaced = await kit.sendDocument(bot, seller, 'templates.zip', Buffer.from('zip bytes'));
  assert.match(lastText(replaced), /Fichier remplacé[\s\S]*📦 Fichier : version 1 · templates\.zip/);
  assert.equal(await storage.exists(first?.storageKey ?? ''), false, 'the unsold file is removed');

  const buyer = kit.newUser();
  await buy(buyer, product);
  await bot.press(seller, `sp.media:${product.id}:f`);
  await kit.sendDocument(bot, seller, 'templates-v2.zip', Buffer.from('zip v2'));
  const { pending } = await services.files.versions(seller.id, product.id);
  assert.equal(pending?.fileName, 'templates-v2.zip');
  const waiting = await getStoredFile(db, pending?.fileId ?? 0);
  assert.ok(waiting && (await storage.exists(waiting.storageKey)));
  const screen = await bot.press(seller, `sp.open:${product.id}`);
  assert.match(lastText(screen), /En attente de publication comme version 2 : templates-v2\.zip/);
  const dropped = await bot.press(seller, `sp.drop:${product.id}`);
  assert.match(lastText(dropped), /nouveau fichier est abandonné/);
  assert.equal(await storage.exists(waiting.storageKey), false, 'the discarded upload is removed');
  assert.deepEqual(to(dropped, buyer), []);
  assert.match(String(alert(await bot.press(seller, `sp.pub:${product.id}`))), /Aucun nouveau fichier/);
});

test('cover, preview and category are replaced as the wizard validates them; a banned product stays banned', async () => {
  const bot = kit.harness();
  const { user: seller, product } = await kit.sellerWithProduct(bot, 'Pack de modèles Canva');

  const cover = await bot.press(seller, `sp.media:${product.id}:c`);
  assert.match(lastText(cover), /nouvelle <b>image de couverture<\/b>/);
  assert.match(
    lastText(await kit.sendDocument(bot, seller, 'cover.png', Buffer.from('png'))),
    /Envoyez une photo/,
  );
  const huge = await bot.sendMessage(seller, {
    photo: [
      { file_id: 'huge', file_unique_id: 'huge', width: 4000, height: 4000, file_size: 6 * 1024 * 1024 },
    ],
  });
  assert.match(lastText(huge), /image fait 5 Mo au plus/);
  // Bytes that are no image, and a strip Telegram would refuse to show: refused, nothing stored.
  assert.match(
    lastText(await kit.sendDocument(bot, seller, 'cover.png', Buffer.from('png'), 'image/png')),
    /doit être une image JPEG, PNG ou WebP/,
  );
  const strip = await kit.sendDocument(bot, seller, 'banner.png', png(30_000, 100), 'image/png');
  assert.match(
    lastText(strip),
    /Cette image fait 30\s000 × 100 pixels : Telegram n'affiche une photo que si sa largeur et sa hauteur totalisent 10\s000 pixels au plus/,
  );
  const thin = await bot.sendMessage(seller, {
    photo: [{ file_id: 'thin', file_unique_id: 'thin', width: 2100, height: 100, file_size: 900 }],
  });
  assert.match(lastText(thin), /trop allongée[\s\S]*au plus 20 fois l'autre/);
  assert.equal((await getProduct(db, product.id))?.coverFileId, null);

  const coverBytes = jpegHeader(800, 800);
  const saved = await kit.sendPhoto(bot, seller, coverBytes);
  assert.match(lastText(saved), /Couverture remplacée/);
  const withCover = (await getProduct(db, product.id)) as Product;
  assert.deepEqual(
    await buffer(await storage.read((await getStoredFile(db, withCover.coverFileId ?? 0))?.storageKey ?? '')),
    coverBytes,
  );

  // An image sent as a file keeps its name and type.
  await bot.press(seller, `sp.media:${product.id}:c`);
  const asFile = await kit.sendDocument(bot, seller, 'cover.webp', webpHeader(1200, 800), 'image/webp');
  assert.match(lastText(asFile), /Couverture remplacée/);
  const webp = await getStoredFile(db, (await getProduct(db, product.id))?.coverFileId ?? 0);
  assert.deepEqual([webp?.originalName, webp?.contentType], ['cover.webp', 'image/webp']);

  await bot.press(seller, `sp.media:${product.id}:p`);
  const preview = await kit.sendPhoto(bot, seller, png(640, 480));
  assert.match(lastText(preview), /Aperçu enregistré/);
  const withPreview = (await getProduct(db, product.id)) as Product;
  assert.ok(withPreview.previewFileId !== null);
  const buyer = kit.newUser();
  const [detail] = await bot.sendText(buyer, `/start product_${product.id}`);
  assert.ok(buttonLabels(detail).flat().includes('👁 Aperçu'), buttonLabels(detail).flat().join(' | '));

  const categories = await services.catalog.categories();
  const target = categories.find((c) => c.id !== product.categoryId);
  assert.ok(target);
  const picker = await bot.press(seller, `sp.cat:${product.id}`);
  assert.equal(buttonLabels(shown(picker).at(-1)).length, categories.length + 1);
  await bot.press(seller, `sp.setcat:${product.id}:${target.id}`);
  assert.equal((await getProduct(db, product.id))?.categoryId, target.id);
  assert.match(String(alert(await bot.press(seller, `sp.setcat:${product.id}:999999`))), /catégorie/i);

  // Banned: the seller is told why; edits still work, but the product stays banned.
  const banned = (await banProduct(db, product.id, 'Contenu copié <sans droits>', 1)) as Product;
  const messenger = createMessenger({
    api: bot.bot.api,
    i18n: createTranslator(),
    accounts: services.accounts,
    log: pino({ level: 'silent' }),
  });
  const before = bot.calls.length;
  assert.equal(await notifyBan({ messenger, services }, banned), true);
  const [told] = to(bot.calls.slice(before), seller);
  assert.match(
    textOf(told),
    /Votre produit a été retiré[\s\S]*Pack de modèles Canva[\s\S]*Motif : Contenu copié &lt;sans droits&gt;/,
  );
  assert.deepEqual(callbackDataOf(told as ApiCall), [`sp.open:${product.id}`, 'sup']);

  const screen = await bot.press(seller, `sp.open:${product.id}`);
  assert.match(lastText(screen), /Retiré par un administrateur\.<\/b> Motif : Contenu copié/);
  await bot.press(seller, `sp.setcat:${product.id}:${product.categoryId}`);
  await bot.press(seller, `sp.media:${product.id}:c`);
  await kit.sendPhoto(bot, seller, jpegHeader(600, 600));
  assert.equal((await getProduct(db, product.id))?.status, 'banned');
  assert.match(
    String(alert(await bot.press(seller, `sp.media:${product.id}:f`))),
    /banni par un administrateur/,
  );
  assert.match(String(alert(await bot.press(seller, `sp.on:${product.id}`))), /banni par un administrateur/);
});

test("another seller's product in forged listing buttons is refused and changes nothing", async () => {
  const bot = kit.harness();
  const { product } = await kit.sellerWithProduct(bot, 'Produit de quelqu’un');
  const intruder = await kit.seller();
  await bot.sendText(intruder, '/sell');
  for (const data of [
    `sp.cat:${product.id}`,
    `sp.setcat:${product.id}:1`,
    `sp.media:${product.id}:f`,
    `sp.media:${product.id}:c`,
    `sp.pub:${product.id}`,
    `sp.drop:${product.id}`,
    `sp.stats:${product.id}:30`,
  ]) {
    const calls = await bot.press(intruder, data);
    assert.deepEqual(
      calls.map((c) => c.method),
      ['answerCallbackQuery'],
      data,
    );
    assert.equal(alert(calls), "Ce produit n'est pas disponible.", data);
  }
  const after = await getProduct(db, product.id);
  assert.deepEqual(
    [after?.categoryId, after?.coverFileId, after?.mainFileId],
    [product.categoryId, product.coverFileId, product.mainFileId],
  );
});
