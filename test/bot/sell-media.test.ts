// What a seller sends the wizard, as Telegram delivers it: images sent as files for the cover
// (checked by their own bytes against Telegram's photo rules), audio and video as product files,
// albums (one message per item), and getFile refusals that must not cost the draft.
import assert from 'node:assert/strict';
import { buffer } from 'node:stream/consumers';
import { test } from 'node:test';
import type { User } from 'grammy/types';
import { listCategories } from '../../src/repositories/categories.ts';
import { getStoredFile } from '../../src/repositories/files.ts';
import { listSellerProducts } from '../../src/repositories/products.ts';
import { png } from '../support/images.ts';
import type { BotHarness } from './harness.ts';
import { lastText, sellerKit } from './seller-fixtures.ts';

const kit = await sellerKit(9000);
const { db, storage, harness, seller, uploadToTelegram, onlyProduct } = kit;

/** Presses the wizard's Skip button as the last step screen shows it. */
function pressSkip(bot: BotHarness, user: User) {
  const data = bot
    .lastMessage(user.id)
    .keyboard.flat()
    .flatMap((b) => ('callback_data' in b ? [b.callback_data] : []))
    .find((d) => d.startsWith('sw.skip'));
  assert.ok(data, 'a Skip button');
  return bot.press(user, data);
}

/** From /sell to the cover step (5 of 6). */
async function toCoverStep(bot: BotHarness, user: User): Promise<void> {
  await bot.sendText(user, '/sell');
  await bot.press(user, 'sw.new');
  await bot.sendText(user, 'Lo-fi beats pack');
  await pressSkip(bot, user);
  await bot.press(user, `sw.cat:${(await listCategories(db))[0]?.id}`);
  assert.match(lastText(await bot.sendText(user, '12')), /(étape|step) 5/);
}

/** A message carrying `body` as a file of this kind, "uploaded to Telegram" first. */
function sendFile(
  bot: BotHarness,
  user: User,
  field: 'document' | 'audio' | 'video',
  body: Buffer,
  extra = {},
) {
  const fileId = `${field}-${user.id}-${body.length}-${Math.random().toString(36).slice(2)}`;
  uploadToTelegram(fileId, body);
  return bot.sendMessage(user, {
    [field]: { file_id: fileId, file_unique_id: `u${fileId}`, file_size: body.length, ...extra },
  });
}

test('a 30000×100 PNG sent as the cover is refused at upload; a PNG sent as a file is taken', async () => {
  const bot = harness();
  const user = await seller({ language_code: 'en' });
  await toCoverStep(bot, user);

  const strip = await sendFile(bot, user, 'document', png(30_000, 100), {
    file_name: 'banner.png',
    mime_type: 'image/png',
  });
  assert.match(
    lastText(strip),
    /This image is 30,000 × 100 pixels: Telegram shows a photo only if its width and height add up to at most 10,000 pixels[\s\S]*step 5 of 6/,
  );
  const gif = await sendFile(bot, user, 'document', Buffer.from('GIF89a'), { mime_type: 'image/gif' });
  assert.match(lastText(gif), /must be a JPEG, PNG or WebP image[\s\S]*step 5 of 6/);
  const thin = await bot.sendMessage(user, {
    photo: [{ file_id: 'thin', file_unique_id: 'thin', width: 100, height: 2500, file_size: 900 }],
  });
  assert.match(lastText(thin), /100 × 2,500 pixels, too long and thin[\s\S]*step 5 of 6/);

  const cover = png(1200, 1200);
  const taken = await sendFile(bot, user, 'document', cover, {
    file_name: 'cover.png',
    mime_type: 'image/png',
  });
  assert.match(lastText(taken), /step 6 of 6/);
  const audio = Buffer.from('ID3 a whole album of beats');
  const done = await sendFile(bot, user, 'audio', audio, { mime_type: 'audio/mpeg', title: 'Beats' });
  assert.match(lastText(done), /created as a draft/);

  const product = await onlyProduct(user.id);
  const storedCover = await getStoredFile(db, product.coverFileId ?? 0);
  assert.deepEqual([storedCover?.originalName, storedCover?.contentType], ['cover.png', 'image/png']);
  assert.deepEqual(await buffer(await storage.read(storedCover?.storageKey ?? '')), cover);
  const file = await getStoredFile(db, product.mainFileId ?? 0);
  assert.deepEqual([file?.originalName, file?.contentType], ['audio.mp3', 'audio/mpeg']);
  assert.deepEqual(await buffer(await storage.read(file?.storageKey ?? '')), audio);
});

test('an album answers one step: the first photo is the cover, the others are let go', async () => {
  const bot = harness();
  const user = await seller();
  await toCoverStep(bot, user);
  const album = (n: number) => {
    const body = png(600 + n, 600);
    uploadToTelegram(`album-${user.id}-${n}`, body);
    return bot.sendMessage(user, {
      media_group_id: `mg-${user.id}`,
      photo: [
        {
          file_id: `album-${user.id}-${n}`,
          file_unique_id: `ua${n}`,
          width: 600 + n,
          height: 600,
          file_size: body.length,
        },
      ],
    });
  };
  const first = await album(1);
  assert.match(lastText(first), /Seul le premier élément de l'album a été pris[\s\S]*étape 6 sur 6/);
  for (const n of [2, 3]) {
    const rest = await album(n);
    assert.deepEqual(
      rest.map((c) => c.method),
      [],
      'nothing answers the rest of the album',
    );
  }
  const video = Buffer.from('a tutorial video');
  const done = await sendFile(bot, user, 'video', video, { mime_type: 'video/mp4', file_name: 'tuto.mp4' });
  assert.match(lastText(done), /créé en brouillon/);
  const product = await onlyProduct(user.id);
  const cover = await getStoredFile(db, product.coverFileId ?? 0);
  assert.deepEqual(await buffer(await storage.read(cover?.storageKey ?? '')), png(601, 600));
  assert.equal((await getStoredFile(db, product.mainFileId ?? 0))?.originalName, 'tuto.mp4');
});

test('a getFile refusal keeps the draft; the retry completes that same draft', async () => {
  const bot = harness();
  const user = await seller();
  await toCoverStep(bot, user);
  await pressSkip(bot, user);
  const body = Buffer.from('%PDF-1.7 guide');

  bot.failNext('getFile', 'Bad Request: wrong file_id or the file is temporarily unavailable');
  const refused = await sendFile(bot, user, 'document', body, { file_name: 'guide.pdf' });
  assert.match(
    lastText(refused),
    /n'a pas pu être enregistré\. Vos réponses sont conservées[\s\S]*étape 6 sur 6/,
  );

  // Telegram will not hand a bot a file over 20 MB (its size was not in the message): the page.
  bot.failNext('getFile', 'Bad Request: file is too big');
  const tooBig = await sendFile(bot, user, 'document', body, { file_name: 'guide.pdf' });
  assert.match(lastText(tooBig), /dépasse 20 Mo[\s\S]*par la page d'envoi[\s\S]*étape 6 sur 6/);

  const done = await sendFile(bot, user, 'document', body, { file_name: 'guide.pdf' });
  assert.match(lastText(done), /créé en brouillon/);
  const products = await listSellerProducts(db, user.id);
  assert.equal(products.total, 1, 'one draft, completed by the retry');
  assert.ok(products.items[0]?.mainFileId);
});

test('a file name past 255 characters is cut between characters, never inside an emoji', async () => {
  const bot = harness();
  const user = await seller();
  await toCoverStep(bot, user);
  await pressSkip(bot, user);
  const name = `${'a'.repeat(254)}🎵🎵.pdf`;
  const done = await sendFile(bot, user, 'document', Buffer.from('%PDF-1.7 a guide'), { file_name: name });
  assert.match(lastText(done), /créé en brouillon/);
  const stored = await getStoredFile(db, (await onlyProduct(user.id)).mainFileId ?? 0);
  assert.equal(stored?.originalName, 'a'.repeat(254), 'the emoji that would not fit whole is left out');
  assert.ok(stored?.originalName.isWellFormed());
});
