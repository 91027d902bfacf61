// The seller side end to end: real createBot, real PostgreSQL, a local folder as storage, and a
// local HTTP server standing in for Telegram's file downloads (test/bot/seller-fixtures.ts).
import assert from 'node:assert/strict';
import { buffer, text as readText } from 'node:stream/consumers';
import { test } from 'node:test';
import type { User } from 'grammy/types';
import { MAX_CALLBACK_BYTES } from '../../src/bot/ui/callback-data.ts';
import { listCategories } from '../../src/repositories/categories.ts';
import { getStoredFile } from '../../src/repositories/files.ts';
import { banProduct, getProduct, listSellerProducts } from '../../src/repositories/products.ts';
import { getSellerProfile } from '../../src/repositories/sellers.ts';
import { readSession } from '../../src/repositories/sessions.ts';
import { jpegHeader } from '../support/images.ts';
import { buttonLabels } from './harness.ts';
import { ADDRESS, alert, lastText, sellerKit, shown, TOKEN } from './seller-fixtures.ts';

const kit = await sellerKit();
const { db, storage, requested, harnesses, harness, newUser, seller, uploadToTelegram, onlyProduct } = kit;
const sellerWithProduct = (bot: ReturnType<typeof harness>, title?: string) =>
  kit.sellerWithProduct(bot, title);
const OTHER_ADDRESS = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';

/** The seller side's part of the user's session, as stored in PostgreSQL: its state and its pending question. */
async function sellState(user: User): Promise<unknown> {
  const session = await readSession<{ sell?: object; pending?: { feature: string; prompt: unknown } }>(
    db,
    `user:${user.id}`,
  );
  const prompt = session?.pending?.feature === 'sell' ? { prompt: session.pending.prompt } : {};
  return { ...session?.sell, ...prompt };
}

test('a new user registers as seller: a bad email and a bad address are explained, then accepted', async () => {
  const bot = harness();
  const user = newUser();
  assert.match(lastText(await bot.sendText(user, '/vendre')), /Devenir vendeur[\s\S]*adresse e-mail/);

  assert.match(lastText(await bot.sendText(user, 'ana@@example')), /n'est pas valide/);
  assert.match(lastText(await bot.sendText(user, 'ana@example.com')), /adresse Solana de paiement/);

  assert.match(lastText(await bot.sendText(user, 'tooshort')), /32 à 44 caractères ; celle-ci en a 8/);
  const badChars = await bot.sendText(user, `0${ADDRESS.slice(1)}`);
  assert.match(lastText(badChars), /ni 0, O, I ou l.*n° 1/);
  assert.equal(await getSellerProfile(db, user.id), null, 'nothing is saved before both answers are right');

  const done = await bot.sendText(user, ADDRESS);
  assert.match(
    lastText(done),
    /compte vendeur est créé[\s\S]*Tableau de bord[\s\S]*Stockage utilisé : 0\so[\s\S]*En séquestre \(24 h\) : 0,00\s\$US/,
  );
  const profile = await getSellerProfile(db, user.id);
  assert.equal(profile?.email, 'ana@example.com');
  assert.equal(profile?.payoutAddress, ADDRESS);
  assert.deepEqual(await sellState(user), {});

  // /sell now opens the dashboard, with the seller's buttons.
  const dashboard = shown(await bot.sendText(user, '/sell'));
  assert.deepEqual(buttonLabels(dashboard[0]), [
    ['➕ Ajouter un produit'],
    ['📦 Mes produits', '📊 Statistiques'],
    ['💸 Mes paiements'],
    ['⚙️ Paramètres', '🔗 Lien de ma boutique'],
    ['🏠 Accueil'],
  ]);
  const link = await bot.press(user, 'sl');
  assert.match(
    lastText(link),
    new RegExp(`<code>https://t\\.me/agora_test_bot\\?start=shop_${user.id}</code>`),
  );
  assert.match(lastText(link), /Choisissez un nom d'utilisateur[\s\S]*<code>\/shop @votrenom<\/code>/);
  // With a Telegram username, the seller can copy the /shop command too, and it opens the shop.
  const named = { ...user, username: 'AnaShop' };
  await bot.sendText(named, '/sell');
  assert.match(lastText(await bot.press(named, 'sl')), /<code>\/shop @AnaShop<\/code>/);
  await kit.sellerWithProduct(bot, 'A product in the shop', named);
  const buyer = newUser();
  assert.match(
    lastText(await bot.sendText(buyer, '/shop @anashop')),
    /🏪 <b>User\d+<\/b> • 1 produit • 0 vente/,
  );
});

test('registration can be cancelled, and a pending question is dropped when the user goes elsewhere', async () => {
  const bot = harness();
  const user = newUser({ language_code: 'en' });
  await bot.sendText(user, '/start');
  await bot.press(user, 'sell');
  const cancelled = await bot.press(user, 'sr.x');
  assert.match(lastText(cancelled), /Registration cancelled/);
  assert.deepEqual(await sellState(user), {});

  await bot.sendText(user, '/sell');
  await bot.sendText(user, '/help');
  const typed = await bot.sendText(user, 'ana@example.com');
  assert.doesNotMatch(lastText(typed), /Solana/, 'not taken as the email any more');
  assert.equal(await getSellerProfile(db, user.id), null);
  assert.deepEqual(await sellState(user), {});
});

test('the whole wizard with back, keep and cancel; a chat document is stored and the draft is published', async () => {
  const bot = harness();
  const user = await seller();
  await bot.sendText(user, '/sell');

  // Cancel at step 1 leaves nothing behind.
  await bot.press(user, 'sw.new');
  await bot.sendText(user, 'A guide I will not finish');
  const cancelled = await bot.press(user, 'sw.x');
  assert.match(lastText(cancelled), /Ajout du produit annulé[\s\S]*Tableau de bord/);
  assert.equal((await listSellerProducts(db, user.id)).total, 0);

  const step1 = await bot.press(user, 'sw.new');
  assert.match(lastText(step1), /étape 1 sur 6[\s\S]*titre/);
  assert.deepEqual(buttonLabels(shown(step1)[0]), [['❌ Annuler']]);
  assert.match(lastText(await bot.sendText(user, 'abc')), /5 à 100 caractères[\s\S]*étape 1 sur 6/);

  const step2 = await bot.sendText(user, '<b>& Co: the guide');
  assert.match(lastText(step2), /étape 2 sur 6/);
  // Back to the title: what was typed is shown escaped and can be kept.
  const back = await bot.press(user, 'sw.back:description');
  assert.match(lastText(back), /étape 1 sur 6[\s\S]*Actuellement : <i>&lt;b&gt;&amp; Co: the guide<\/i>/);
  assert.match(lastText(await bot.press(user, 'sw.skip:title')), /étape 2 sur 6/);

  const step3 = await bot.sendText(user, 'Everything about <i>crypto</i> & more.');
  assert.match(lastText(step3), /étape 3 sur 6/);
  const categories = await listCategories(db);
  assert.equal(
    buttonLabels(shown(step3)[0]).length,
    categories.length + 1,
    'one row per category, then back and cancel',
  );
  // Keep and Back of the step 2 message are bound to step 2: pressed now, they change nothing.
  for (const data of ['sw.skip:description', 'sw.back:description']) {
    const stale = await bot.press(user, data);
    assert.match(String(alert(stale)), /étape précédente/);
    assert.deepEqual(shown(stale), [], `${data} from step 2 leaves step 3 as it is`);
  }
  assert.match(lastText(await bot.sendText(user, 'Finance')), /avec les boutons/);
  const category = categories[1];
  assert.ok(category);
  assert.match(lastText(await bot.press(user, `sw.cat:${category.id}`)), /étape 4 sur 6[\s\S]*prix/);

  assert.match(lastText(await bot.sendText(user, '5')), /0 \(gratuit\) ou compris entre 9\.99 et 5000\.00/);
  assert.match(lastText(await bot.sendText(user, 'cheap')), /Ce n'est pas un prix/);
  assert.match(lastText(await bot.sendText(user, '19,99 $')), /étape 5 sur 6[\s\S]*couverture/);

  assert.match(lastText(await bot.sendText(user, 'no cover')), /Envoyez une photo/);
  const coverBytes = jpegHeader(800, 800);
  uploadToTelegram('cover1', coverBytes);
  const step6 = await bot.sendMessage(user, {
    photo: [
      { file_id: 'thumb1', file_unique_id: 't1', width: 90, height: 90, file_size: 10 },
      { file_id: 'cover1', file_unique_id: 'c1', width: 800, height: 800, file_size: coverBytes.length },
    ],
  });
  assert.match(lastText(step6), /étape 6 sur 6[\s\S]*fichier/);
  assert.match(lastText(await bot.sendText(user, 'here it is')), /comme document/);

  // Telegram's file server fails once: the answers are kept and the file can be sent again.
  const body = Buffer.from('%PDF-1.7 the whole guide\n'.repeat(1000));
  uploadToTelegram('doc-missing', body, false);
  const failed = await bot.sendMessage(user, {
    document: {
      file_id: 'doc-missing',
      file_unique_id: 'dm',
      file_name: 'guide.pdf',
      mime_type: 'application/pdf',
      file_size: body.length,
    },
  });
  assert.match(lastText(failed), /n'a pas pu être enregistré[\s\S]*étape 6 sur 6/);
  assert.equal((await onlyProduct(user.id)).status, 'draft', 'the draft waits for its file');

  uploadToTelegram('doc1', body);
  const done = await bot.sendMessage(user, {
    document: {
      file_id: 'doc1',
      file_unique_id: 'd1',
      file_name: 'Le guide complet.pdf',
      mime_type: 'application/pdf',
      file_size: body.length,
    },
  });
  const product = await onlyProduct(user.id);
  assert.match(lastText(done), /&lt;b&gt;&amp; Co: the guide<\/b> est créé en brouillon/);
  assert.doesNotMatch(lastText(done), /<b>& Co/);
  assert.ok(lastText(done).includes(product.id));
  assert.deepEqual(buttonLabels(shown(done)[0]), [
    ['🚀 Publier'],
    ['📄 Voir le produit'],
    ['💼 Tableau de bord'],
  ]);
  assert.ok(requested.every((url) => url.startsWith(`/file/bot${TOKEN}/`)));

  assert.equal(product.title, '<b>& Co: the guide');
  assert.equal(product.description, 'Everything about <i>crypto</i> & more.');
  assert.equal(product.categoryId, category.id);
  assert.equal(product.priceCents, 1999);
  const file = await getStoredFile(db, product.mainFileId ?? 0);
  assert.equal(file?.originalName, 'Le guide complet.pdf');
  assert.equal(file?.sizeBytes, body.length);
  assert.equal(await readText(await storage.read(file?.storageKey ?? '')), body.toString());
  const cover = await getStoredFile(db, product.coverFileId ?? 0);
  assert.equal(cover?.contentType, 'image/jpeg');
  assert.deepEqual(await buffer(await storage.read(cover?.storageKey ?? '')), coverBytes);
  assert.deepEqual(await sellState(user), {}, 'the wizard is over');

  const published = await bot.press(user, `sp.on:${product.id}`);
  assert.match(lastText(published), /Le produit est en vente/);
  assert.equal((await getProduct(db, product.id))?.status, 'active');
});

test('the wizard resumes where it was after the bot is recreated', async () => {
  const user = await seller({ language_code: 'en' });
  const first = harness();
  await first.sendText(user, '/sell');
  await first.press(user, 'sw.new');
  await first.sendText(user, 'Notion templates pack');

  const second = harness();
  const step3 = await second.sendText(user, 'Forty templates.');
  assert.match(lastText(step3), /step 3 of 6/);
  const category = (await listCategories(db))[0];
  await second.press(user, `sw.cat:${category?.id}`);

  // A third instance, after leaving for /help: the dashboard offers to resume.
  const third = harness();
  await third.sendText(user, '/help');
  const dashboard = shown(await third.sendText(user, '/sell'));
  assert.deepEqual(buttonLabels(dashboard[0])[0], ['▶️ Resume my product in progress']);
  const resumed = await third.press(user, 'sw.go');
  assert.match(lastText(resumed), /step 4 of 6[\s\S]*price/);
  assert.match(lastText(await third.sendText(user, '0')), /step 5 of 6/);
  assert.match(lastText(await third.press(user, 'sw.skip:cover')), /step 6 of 6/);
  uploadToTelegram('doc2', Buffer.from('templates'));
  await third.sendMessage(user, {
    document: { file_id: 'doc2', file_unique_id: 'd2', file_name: 'templates.zip', file_size: 9 },
  });
  const product = await onlyProduct(user.id);
  assert.equal(product.title, 'Notion templates pack');
  assert.equal(product.description, 'Forty templates.');
  assert.equal(product.priceCents, 0);
  assert.equal(product.coverFileId, null);
  assert.equal((await getStoredFile(db, product.mainFileId ?? 0))?.contentType, 'application/octet-stream');
});

test("another user's product id in a forged callback is refused and changes nothing", async () => {
  const bot = harness();
  const { product } = await sellerWithProduct(bot);
  const intruder = await seller();
  await bot.sendText(intruder, '/sell');
  for (const data of [
    `sp.open:${product.id}`,
    `sp.edit:${product.id}:t`,
    `sp.off:${product.id}`,
    `sp.del:${product.id}`,
    `sp.delok:${product.id}`,
    `sp.share:${product.id}`,
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
  assert.equal(after?.status, 'active');
  assert.equal(after?.title, product.title);

  // Someone who is not even a seller gets the stale-button answer.
  const stranger = newUser({ language_code: 'en' });
  const pressed = await bot.press(stranger, `sp.del:${product.id}`);
  assert.equal(alert(pressed), 'This button is no longer available. Please open the menu again.');
});

test('delete asks for confirmation first; a product without orders is removed with its file', async () => {
  const bot = harness();
  const { user, product } = await sellerWithProduct(bot);
  const file = await getStoredFile(db, product.mainFileId ?? 0);
  assert.ok(file && (await storage.exists(file.storageKey)));

  const asked = await bot.press(user, `sp.del:${product.id}`);
  assert.match(lastText(asked), /Supprimer <b>A product to manage<\/b>/);
  assert.deepEqual(buttonLabels(shown(asked)[0]), [['🗑 Oui, supprimer', '↩️ Non, garder']]);
  assert.equal((await getProduct(db, product.id))?.status, 'active', 'nothing deleted yet');

  const kept = await bot.press(user, `sp.open:${product.id}`);
  assert.match(lastText(kept), /A product to manage/);

  const deleted = await bot.press(user, `sp.delok:${product.id}`);
  assert.match(lastText(deleted), /Produit supprimé, avec ses fichiers[\s\S]*aucun produit/);
  assert.equal(await getProduct(db, product.id), null);
  assert.equal(await storage.exists(file.storageKey), false);
});

test('my products lists stats; edits are validated; a banned product cannot be re-activated', async () => {
  const bot = harness();
  const { user, product } = await sellerWithProduct(bot, 'Stats <script> & co');
  await db.exec('UPDATE products SET views_count = 40, sales_count = 3 WHERE id = $1', [product.id]);

  const list = await bot.press(user, 'sp.list:0');
  assert.match(lastText(list), /Mes produits<\/b> \(1\)/);
  assert.match(lastText(list), /Stats &lt;script&gt; &amp; co<\/b> · 🟢 En vente · 9,99\s\$US/);
  assert.match(lastText(list), /40 vues · 🛍 3 ventes · 📈 7,5\s% · ⭐ —/);

  await bot.press(user, `sp.open:${product.id}`);
  await bot.press(user, `sp.edit:${product.id}:p`);
  assert.match(lastText(await bot.sendText(user, '1.5')), /compris entre 9\.99[\s\S]*nouveau <b>prix/);
  const saved = await bot.sendText(user, '25');
  assert.match(lastText(saved), /Modification enregistrée[\s\S]*25,00\s\$US/);
  assert.equal((await getProduct(db, product.id))?.priceCents, 2500);

  await bot.press(user, `sp.edit:${product.id}:t`);
  await bot.sendText(user, 'A clearer title');
  assert.equal((await getProduct(db, product.id))?.title, 'A clearer title');

  const share = await bot.press(user, `sp.share:${product.id}`);
  assert.ok(lastText(share).includes(`https://t.me/agora_test_bot?start=product_${product.id}`));

  await bot.press(user, `sp.off:${product.id}`);
  assert.equal((await getProduct(db, product.id))?.status, 'inactive');
  await banProduct(db, product.id, 'Copyright <claim>', 1);
  const screen = await bot.press(user, `sp.open:${product.id}`);
  assert.match(lastText(screen), /Retiré par un administrateur\.<\/b> Motif : Copyright &lt;claim&gt;/);
  const offered = buttonLabels(shown(screen).at(-1)).flat();
  assert.ok(!offered.includes('✅ Mettre en vente'), offered.join(' | '));
  assert.ok(!offered.includes('📦 Nouvelle version du fichier'), 'no new file for a banned product');
  assert.ok(offered.includes('🗂 Catégorie'), 'other edits stay possible');
  const refused = await bot.press(user, `sp.on:${product.id}`);
  assert.match(String(alert(refused)), /banni par un administrateur/);
  assert.equal((await getProduct(db, product.id))?.status, 'banned');
});

test('settings: name and email are validated; a new payout address is confirmed before it is saved', async () => {
  const bot = harness();
  const user = await seller({ language_code: 'en' });
  await bot.sendText(user, '/sell');
  assert.match(lastText(await bot.press(user, 'ss')), /Seller settings/);

  await bot.press(user, 'ss.edit:name');
  assert.match(
    lastText(await bot.sendText(user, 'Ana <Shop> & Co')),
    /Setting saved[\s\S]*Name: <b>Ana &lt;Shop&gt; &amp; Co<\/b>/,
  );

  await bot.press(user, 'ss.edit:email');
  assert.match(lastText(await bot.sendText(user, 'nope')), /not valid/);
  await bot.sendText(user, 'new@example.com');
  assert.equal((await getSellerProfile(db, user.id))?.email, 'new@example.com');

  await bot.press(user, 'ss.edit:address');
  assert.match(lastText(await bot.sendText(user, 'short')), /32 to 44 characters; this one has 5/);
  const confirm = await bot.sendText(user, OTHER_ADDRESS);
  assert.match(
    lastText(confirm),
    new RegExp(`next payouts will be sent to this address[\\s\\S]*${OTHER_ADDRESS}`),
  );
  assert.equal((await getSellerProfile(db, user.id))?.payoutAddress, ADDRESS, 'not before the yes');

  const no = await bot.press(user, 'ss.no');
  assert.match(lastText(no), /Payout address unchanged/);
  assert.equal((await getSellerProfile(db, user.id))?.payoutAddress, ADDRESS);

  await bot.press(user, 'ss.edit:address');
  await bot.sendText(user, OTHER_ADDRESS);
  const yes = await bot.press(user, 'ss.yes');
  assert.match(
    lastText(yes),
    new RegExp(`Your payout address changed\\. Next payouts go to <code>${OTHER_ADDRESS}</code>`),
  );
  const profile = await getSellerProfile(db, user.id);
  assert.equal(profile?.payoutAddress, OTHER_ADDRESS);
  assert.ok(profile?.payoutAddressChangedAt);
  assert.equal(
    alert(await bot.press(user, 'ss.yes')),
    'This button is no longer available. Please open the menu again.',
  );
});

test('every callback data the seller screens sent is at most 64 bytes', () => {
  const data = harnesses.flatMap((bot) => bot.allCallbackData());
  assert.ok(data.length > 50);
  for (const d of data) assert.ok(Buffer.byteLength(d) <= MAX_CALLBACK_BYTES, d);
});
