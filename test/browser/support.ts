// Real-browser tests: Debian's chromium driven by playwright-core, against a real server
// (Fastify with the page, upload, mini-app and download plugins, a real PostgreSQL, local
// storage or the S3 double), opened with launch URLs signed the way Telegram signs them.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { after } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { Database } from '../../src/db/index.ts';
import { downloadRoutes } from '../../src/http/downloads.ts';
import { miniAppRoutes } from '../../src/http/miniapp.ts';
import { pageRoutes } from '../../src/http/pages.ts';
import { signInitData } from '../../src/http/telegram-auth.ts';
import { uploadRoutes } from '../../src/http/uploads.ts';
import type { LocalFileStorage, S3FileStorage } from '../../src/storage/index.ts';
import { testServices } from '../support/services.ts';

export const BOT_TOKEN = '424242:TEST-browser-bot-token';
export const PHONE = { width: 390, height: 844 };
const CHROMIUM = '/usr/bin/chromium';

/** Telegram's own light and dark themeParams (as its clients send them). */
export const THEMES = {
  light: {
    bg_color: '#ffffff',
    text_color: '#000000',
    hint_color: '#999999',
    link_color: '#2481cc',
    button_color: '#2481cc',
    button_text_color: '#ffffff',
    secondary_bg_color: '#efeff3',
    header_bg_color: '#ffffff',
    accent_text_color: '#2481cc',
    section_bg_color: '#ffffff',
    section_header_text_color: '#6d6d72',
    subtitle_text_color: '#999999',
    destructive_text_color: '#ff3b30',
  },
  dark: {
    bg_color: '#212121',
    text_color: '#ffffff',
    hint_color: '#aaaaaa',
    link_color: '#8774e1',
    button_color: '#8774e1',
    button_text_color: '#ffffff',
    secondary_bg_color: '#181818',
    header_bg_color: '#212121',
    accent_text_color: '#8774e1',
    section_bg_color: '#212121',
    section_header_text_color: '#aaaaaa',
    subtitle_text_color: '#aaaaaa',
    destructive_text_color: '#ff595a',
  },
};

/** Where screenshots go: docs/ with `npm run screenshots`, a temporary folder otherwise. */
export async function screenshotDir(): Promise<string> {
  const dir = process.env.BROWSER_SCREENSHOTS_DIR ?? (await mkdtemp(join(tmpdir(), 'agora-shots-')));
  await mkdir(dir, { recursive: true });
  return dir;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Flags this machine needs: no sandbox as root, no background traffic to a closed network.
    // Playwright gives each launch a fresh, empty profile (--user-data-dir) of its own.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  after(() => browser.close());
  return browser;
}

export interface AppOptions {
  db: Database;
  storage: LocalFileStorage | S3FileStorage;
  /** null: the bot is off, the pages say so. */
  botToken?: string | null;
  /** The S3 double's origin, for the pages' connect-src. */
  uploadOrigins?: string[];
}

export interface RunningApp {
  base: string;
  app: FastifyInstance;
  /** Body bytes the server received in chunk PATCHes (local uploads). */
  chunkBytes: () => number;
  /** The Upload-Offset of every chunk PATCH, in arrival order. */
  chunkOffsets: number[];
  /** Drops the socket of the next chunk that starts at or after this offset, half-way through it. */
  cutChunkFrom: (offset: number) => void;
}

/** The server as main.ts composes these plugins, listening on a free loopback port. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { db, storage } = options;
  const botToken = options.botToken === undefined ? BOT_TOKEN : options.botToken;
  const auth = botToken ? { botToken } : null;
  const app = Fastify({ logger: false });
  let chunkBytes = 0;
  const chunkOffsets: number[] = [];
  let cutFrom: number | null = null;
  // Counts chunk bytes, and plays a network that drops mid-body when asked.
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (request.method !== 'PATCH') return payload;
    const offset = Number(request.headers['upload-offset']);
    chunkOffsets.push(offset);
    const cut = cutFrom !== null && offset >= cutFrom;
    if (cut) cutFrom = null;
    const half = Number(request.headers['content-length']) / 2;
    let seen = 0;
    return payload.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          seen += chunk.length;
          chunkBytes += chunk.length;
          if (cut && seen >= half) {
            request.raw.socket.destroy();
            callback(new Error('connection cut by the test'));
            return;
          }
          callback(null, chunk);
        },
      }),
    );
  });
  const services = await testServices(db, { storage });
  await app.register(pageRoutes, {
    auth,
    library: services.libraryPage,
    uploadOrigins: options.uploadOrigins ?? [],
  });
  if (auth) {
    await app.register(uploadRoutes, { uploads: services.uploads, auth });
    await app.register(miniAppRoutes, { services, auth });
  }
  await app.register(downloadRoutes, { downloads: services.downloads, storage });
  await app.listen({ host: '127.0.0.1', port: 0 });
  after(() => app.close());
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    app,
    chunkBytes: () => chunkBytes,
    chunkOffsets,
    cutChunkFrom: (offset) => {
      cutFrom = offset;
    },
  };
}

export interface LaunchOptions {
  userId: number;
  firstName?: string;
  language?: string;
  /** How long ago Telegram signed it. */
  ageSec?: number;
  /** Change the user after signing, as a forger would. */
  forgeUserId?: number;
  theme?: keyof typeof THEMES;
  version?: string;
}

/** A Mini App launch URL with initData signed as Telegram does, in the hash as Telegram puts it. */
export function launchUrl(base: string, path: string, options: LaunchOptions): string {
  const authDate = String(Math.floor(Date.now() / 1000) - (options.ageSec ?? 0));
  const user = (id: number) =>
    JSON.stringify({ id, first_name: options.firstName ?? 'Léa', language_code: options.language ?? 'fr' });
  let initData = signInitData(
    { auth_date: authDate, query_id: 'AAHdF6IQAAAAAN0XohDhrOrc', user: user(options.userId) },
    BOT_TOKEN,
  );
  if (options.forgeUserId !== undefined) {
    const params = new URLSearchParams(initData);
    params.set('user', user(options.forgeUserId));
    initData = params.toString();
  }
  const hash = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: options.version ?? '8.0',
    tgWebAppPlatform: 'tdesktop',
    tgWebAppThemeParams: JSON.stringify(THEMES[options.theme ?? 'light']),
  });
  return `${base}${path}#${hash.toString()}`;
}

/** A phone-sized page whose network upload can be slowed, to watch progress as a user does. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, acceptDownloads: true });
  return context.newPage();
}

/**
 * Caps the page's upload speed (Chromium's network emulation), in bytes per second; the
 * returned function takes the page off the network and back, as a phone losing its signal.
 */
export async function throttleUpload(
  page: Page,
  bytesPerSecond: number,
): Promise<(offline: boolean) => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const emulate = (offline: boolean) =>
    cdp
      .send('Network.emulateNetworkConditions', {
        offline,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: bytesPerSecond,
      })
      .then(() => {});
  await emulate(false);
  return emulate;
}

/** Waits until the progress bar shows at least `percent`. */
export async function progressReaches(page: Page, percent: number, timeoutMs = 60_000): Promise<void> {
  // Polled from here: the pages' CSP forbids the string evaluation waitForFunction would need.
  const deadline = Date.now() + timeoutMs;
  while ((await progressOf(page)) < percent) {
    if (Date.now() > deadline) throw new Error(`the progress bar did not reach ${percent} %`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The progress bar's value, 0 to 100. */
export async function progressOf(page: Page): Promise<number> {
  return Number(await page.getAttribute('[data-bar]', 'aria-valuenow'));
}
