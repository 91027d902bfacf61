// The seller side's test kit: a fresh database, a local folder as storage, a local HTTP server
// standing in for Telegram's file downloads, every real service, and helpers to make sellers
// and products through the real bot (the wizard), as a seller would.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { Message, User } from 'grammy/types';
import { type Database, migrate } from '../../src/db/index.ts';
import { listCategories } from '../../src/repositories/categories.ts';
import { getProduct, listSellerProducts, type Product } from '../../src/repositories/products.ts';
import type { Services } from '../../src/services/index.ts';
import { LocalFileStorage } from '../../src/storage/index.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { testServices } from '../support/services.ts';
import { type ApiCall, BotHarness, type HarnessOptions, telegramUser, textOf } from './harness.ts';

export const ADDRESS = 'So11111111111111111111111111111111111111112';
// The harness's token: Telegram serves files at /file/bot<token>/<file_path>.
export const TOKEN = '123456789:TEST-TOKEN-NEVER-SENT-ANYWHERE-xyz';

export const shown = (calls: ApiCall[]) =>
  calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
export const lastText = (calls: ApiCall[]) => textOf(shown(calls).at(-1));
export const alert = (calls: ApiCall[]) =>
  calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text;

export interface SellerKit {
  db: Database;
  storage: LocalFileStorage;
  services: Services;
  /** Paths the Telegram file server was asked for. */
  requested: string[];
  /** Every harness made, for checks across all of them. */
  harnesses: BotHarness[];
  harness(options?: HarnessOptions): BotHarness;
  newUser(overrides?: Partial<User>): User;
  /** A registered seller (French unless overridden). */
  seller(overrides?: Partial<User>): Promise<User>;
  /** "Uploads" bytes to Telegram under `fileId` (missing from the file server when `onServer` is false). */
  uploadToTelegram(fileId: string, body: Buffer, onServer?: boolean): void;
  /** The user sends `body` as a document. */
  sendDocument(
    bot: BotHarness,
    user: User,
    name: string,
    body: Buffer,
    mimeType?: string,
  ): Promise<ApiCall[]>;
  /** The user sends a photo of `body`. */
  sendPhoto(bot: BotHarness, user: User, body: Buffer): Promise<ApiCall[]>;
  onlyProduct(sellerId: number): Promise<Product>;
  /** A seller with one active product listed through the wizard, its file stored. */
  sellerWithProduct(bot: BotHarness, title?: string, user?: User): Promise<{ user: User; product: Product }>;
}

export async function sellerKit(firstUserId = 5000): Promise<SellerKit> {
  const db = testDatabase(await freshDatabase(), { max: 4 });
  await migrate(db);
  const root = await mkdtemp(join(tmpdir(), 'agora-sell-'));
  after(() => rm(root, { recursive: true, force: true }));
  const storage = new LocalFileStorage({
    dir: root,
    publicUrl: 'https://agora.example/',
    signingSecret: 'a-test-secret-of-at-least-32-characters!',
  });

  const served = new Map<string, Buffer>();
  const requested: string[] = [];
  const fileServer = createServer((req, res) => {
    requested.push(req.url ?? '');
    const prefix = `/file/bot${TOKEN}/`;
    const body = req.url?.startsWith(prefix) ? served.get(req.url.slice(prefix.length)) : undefined;
    if (!body) return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' })
      .end(body);
  });
  await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => fileServer.close(() => resolve())));
  const fileBaseUrl = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}`;

  /** Files "uploaded to Telegram": file_id → what getFile answers. */
  const telegramFiles = new Map<string, { path: string; size: number }>();
  const uploadToTelegram = (fileId: string, body: Buffer, onServer = true) => {
    const path = `documents/${fileId}.bin`;
    telegramFiles.set(fileId, { path, size: body.length });
    if (onServer) served.set(path, body);
  };

  const services = await testServices(db, { storage });
  const harnesses: BotHarness[] = [];
  let nextUserId = firstUserId;
  let nextFileId = 1;

  const harness = (options: HarnessOptions = {}) => {
    const bot = new BotHarness({ services, telegramFileBaseUrl: fileBaseUrl }, options);
    bot.respondTo('getFile', (payload) => {
      const file = telegramFiles.get(String(payload.file_id));
      return {
        file_id: payload.file_id,
        file_unique_id: `u${payload.file_id}`,
        file_size: file?.size,
        file_path: file?.path,
      };
    });
    harnesses.push(bot);
    return bot;
  };

  const newUser = (overrides: Partial<User> = {}) => telegramUser(nextUserId++, overrides);

  const seller = async (overrides: Partial<User> = {}) => {
    const user = newUser(overrides);
    await services.accounts.registerUser(user);
    await services.accounts.registerSeller(user.id, {
      email: `s${user.id}@example.com`,
      payoutAddress: ADDRESS,
    });
    return user;
  };

  const sendDocument = (bot: BotHarness, user: User, name: string, body: Buffer, mimeType?: string) => {
    const fileId = `doc${nextFileId++}`;
    uploadToTelegram(fileId, body);
    const document: Message['document'] = {
      file_id: fileId,
      file_unique_id: `u${fileId}`,
      file_name: name,
      file_size: body.length,
      ...(mimeType ? { mime_type: mimeType } : {}),
    };
    return bot.sendMessage(user, { document });
  };

  const sendPhoto = (bot: BotHarness, user: User, body: Buffer) => {
    const fileId = `photo${nextFileId++}`;
    uploadToTelegram(fileId, body);
    return bot.sendMessage(user, {
      photo: [
        { file_id: fileId, file_unique_id: `u${fileId}`, width: 800, height: 800, file_size: body.length },
      ],
    });
  };

  const onlyProduct = async (sellerId: number) => {
    const page = await listSellerProducts(db, sellerId);
    assert.equal(page.total, 1);
    return page.items[0] as Product;
  };

  const sellerWithProduct = async (bot: BotHarness, title = 'A product to manage', given?: User) => {
    const user = given ?? (await seller());
    await bot.sendText(user, '/sell');
    await bot.press(user, 'sw.new');
    await bot.sendText(user, title);
    await bot.press(user, 'sw.skip:description');
    await bot.press(user, `sw.cat:${(await listCategories(db))[0]?.id}`);
    await bot.sendText(user, '9.99');
    await bot.press(user, 'sw.skip:cover');
    await sendDocument(bot, user, 'a.txt', Buffer.from(`file of ${user.id}`), 'text/plain');
    const product = await onlyProduct(user.id);
    await bot.press(user, `sp.on:${product.id}`);
    return { user, product: (await getProduct(db, product.id)) as Product };
  };

  return {
    db,
    storage,
    services,
    requested,
    harnesses,
    harness,
    newUser,
    seller,
    uploadToTelegram,
    sendDocument,
    sendPhoto,
    onlyProduct,
    sellerWithProduct,
  };
}
