// The product as an operator runs it: startApp on a fresh database, on a real port, with the
// settings given, and its log lines kept for assertions. Purchases are written as facts (SQL
// fixtures) with their file really in the storage folder.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after } from 'node:test';
import { type App, startApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { FAKE_BOT_INFO, FAKE_BOT_TOKEN, FakeTelegram } from '../../src/dev/telegram/fake-telegram.ts';
import { createLogger } from '../../src/log.ts';
import { LocalFileStorage } from '../../src/storage/index.ts';
import { addOrder, addProduct, addSeller, addUser } from '../aftersale/fixtures.ts';
import { freshDatabase } from '../support/database.ts';

export interface Stack {
  app: App;
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Every log line so far, parsed. */
  logs: Record<string, unknown>[];
  /** The same folder the app stores files in. */
  storage: LocalFileStorage;
  /** The local Telegram the bot talks to, when asked for. */
  telegram?: FakeTelegram;
}

export const BOT_USERNAME = FAKE_BOT_INFO.username;

/** `telegram`: the bot runs against the local Telegram double (so its username is known). */
export async function startStack(
  settings: Record<string, string> = {},
  options: { telegram?: boolean } = {},
): Promise<Stack> {
  // The app closes before its database is dropped (which would end its sessions under it).
  let app: App | undefined;
  const databaseUrl = await freshDatabase({ beforeDrop: async () => app?.close() });
  const dir = await mkdtemp(join(tmpdir(), 'agora-ops-'));
  after(() => rm(dir, { recursive: true, force: true }));
  const signingSecret = randomBytes(32).toString('hex');
  const env = {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    STORAGE_DIR: dir,
    UPLOAD_SIGNING_SECRET: signingSecret,
    SHUTDOWN_TIMEOUT_MS: '2000',
    DB_POOL_MAX: '4',
    ...settings,
  };
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const telegram = options.telegram ? new FakeTelegram() : undefined;
  const fileBaseUrl = await telegram?.start();
  if (telegram) after(() => telegram.close());
  app = await startApp({
    config: loadConfig(env),
    env,
    log: createLogger('info', sink),
    doubles: {
      jobs: { schedule: false },
      ...(telegram && fileBaseUrl
        ? {
            telegram: {
              token: FAKE_BOT_TOKEN,
              botInfo: FAKE_BOT_INFO,
              fileBaseUrl,
              attach: (bot) => telegram.attach(bot, new Map()),
            },
          }
        : {}),
    },
  });
  const port = Number(new URL(app.url).port);
  const storage = new LocalFileStorage({ dir, publicUrl: app.config.storage.publicUrl, signingSecret });
  return { app, url: app.url, port, logs, storage, ...(telegram ? { telegram } : {}) };
}

let nextUser = 70_000;

/** A paid order of a product whose file is in storage; returns a fresh one-time link's token. */
export async function purchase(
  stack: Stack,
  file: { name?: string; contentType?: string; bytes?: Buffer } = {},
): Promise<{ buyerId: number; orderId: string; token: string }> {
  const { db } = stack.app;
  const bytes = file.bytes ?? Buffer.from('%PDF-1.7 a purchase');
  const contentType = file.contentType ?? 'application/pdf';
  const seller = await addSeller(db, ++nextUser);
  const buyerId = await addUser(db, ++nextUser);
  const product = await addProduct(db, seller, {
    fileName: file.name ?? 'guide.pdf',
    size: bytes.length,
    contentType,
  });
  await stack.storage.put(product.storageKey, bytes, { contentType });
  const orderId = await addOrder(db, buyerId, product);
  const { token } = await stack.app.services.downloads.createLink(buyerId, orderId);
  return { buyerId, orderId, token };
}

/** A raw TCP connection to the stack, and when the server closed it (ms after opening). */
export function rawSocket(
  port: number,
): Promise<{ socket: Socket; closed: Promise<number>; received: () => string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let data = '';
    const socket = connect(port, '127.0.0.1', () => {
      const closed = new Promise<number>((done) =>
        socket.once('close', () => done(performance.now() - started)),
      );
      resolve({ socket, closed, received: () => data });
    });
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('error', () => {});
    socket.once('error', reject);
  });
}
