// One marketplace journey on the real stack, for the end-to-end test and `npm run demo`. The
// stack is the one `npm start` runs, built by the same composition root (startApp): PostgreSQL
// (migrated), local storage, the NOWPayments simulator and the real client, pg-boss jobs
// delivering through the bot, the HTTP server on a loopback port, and the bot. Only Telegram is
// played locally (FakeTelegram). The journey presses the buttons a person would see, and throws
// as soon as a step does not happen: registration, listing, search, payment, delivery, download,
// review, then the seller's analytics and export, and a second edition of the file.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { User } from 'grammy/types';
import { pino } from 'pino';
import { type App, startApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { createNowPaymentsClient } from '../../integrations/nowpayments/index.ts';
import type { Logger } from '../../log.ts';
import { type NowPaymentsSimulator, startNowPaymentsSimulator } from '../nowpayments-simulator/index.ts';
import { type ApiCall, FAKE_BOT_INFO, FAKE_BOT_TOKEN, FakeTelegram } from '../telegram/fake-telegram.ts';

export const PAY_CURRENCIES = ['btc', 'eth', 'sol', 'usdtsol', 'usdcsol'] as const;

/** The two people of the journey: a seller writing in English, a buyer in French (the default). */
export const SELLER: User = { id: 700001, is_bot: false, first_name: 'Ana', language_code: 'en' };
export const BUYER: User = { id: 700002, is_bot: false, first_name: 'Bruno', language_code: 'fr' };
export const SELLER_EMAIL = 'ana@example.com';
export const SELLER_ADDRESS = 'So11111111111111111111111111111111111111112';
export const PRODUCT = {
  title: 'Solana DeFi Playbook',
  description: 'Forty pages on staking, liquidity pools and the risks nobody mentions.',
  price: '19.99',
  fileName: 'solana-defi-playbook.pdf',
} as const;

export interface JourneyStack {
  app: App;
  sim: NowPaymentsSimulator;
  telegram: FakeTelegram;
  /** http://127.0.0.1:<port>: IPNs and download links. */
  publicUrl: string;
  /** Stops everything in reverse order and removes the storage folder. */
  close(): Promise<void>;
}

export interface JourneyStackOptions {
  databaseUrl: string;
  /** Default: silent. */
  log?: Logger;
}

/** Starts the stack `npm start` runs, on `databaseUrl`, with Telegram played locally. */
export async function startJourneyStack({
  databaseUrl,
  log = pino({ level: 'silent' }),
}: JourneyStackOptions): Promise<JourneyStack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.toReversed()) await cleanup();
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), 'agora-journey-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    // Download links and IPNs need the server's address before it listens.
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: publicUrl,
      STORAGE_DIR: dir,
      DB_POOL_MAX: '8',
      DB_APPLICATION_NAME: 'agora_journey',
      PAY_CURRENCIES: PAY_CURRENCIES.join(','),
      SHUTDOWN_TIMEOUT_MS: '2000',
    };
    const config = loadConfig(env);

    const apiKey = crypto.randomUUID();
    const ipnSecret = crypto.randomUUID();
    const sim = await startNowPaymentsSimulator({ apiKey, ipnSecret, currencies: PAY_CURRENCIES, log });
    const payments = {
      client: createNowPaymentsClient({ baseUrl: sim.baseUrl, apiKey, log }),
      ipnSecret,
      ipnCallbackUrl: `${publicUrl}/ipn/nowpayments`,
      close: () => sim.close(),
    };

    const telegram = new FakeTelegram();
    const fileBaseUrl = await telegram.start();
    cleanups.push(() => telegram.close());
    const roles = new Map([
      [SELLER.id, 'seller' as const],
      [BUYER.id, 'buyer' as const],
    ]);
    const app = await startApp({
      config,
      env,
      log,
      doubles: {
        payments,
        telegram: {
          token: FAKE_BOT_TOKEN,
          botInfo: FAKE_BOT_INFO,
          fileBaseUrl,
          attach: (bot) => telegram.attach(bot, roles),
        },
        // Periodic jobs stay off: the journey takes a minute, not a day. Delivery polls often.
        jobs: { schedule: false, pollingIntervalSeconds: 0.5 },
      },
    });
    cleanups.push(() => app.close());
    return { app, sim, telegram, publicUrl, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface DownloadAttempt {
  status: number;
  bytes: Buffer;
}

/** What the journey produced, for the test's assertions and the demo's summary. */
export interface JourneyResult {
  productId: string;
  orderId: string;
  paymentId: string;
  /** The product file the seller sent. */
  uploaded: Buffer;
  /** The one-time link of the delivery message. */
  downloadUrl: string;
  firstDownload: DownloadAttempt;
  secondDownload: DownloadAttempt;
  /** Calls made while the buyer searched by words and opened the deep link. */
  searchCalls: ApiCall[];
  deepLinkCalls: ApiCall[];
  /** The delivery message and the sale notice, sent by the delivery job. */
  delivery: ApiCall;
  saleNotice: ApiCall;
  /** What /stats showed the seller. */
  dashboard: ApiCall;
  /** The analytics screen: two charts then the summary, and how long it took to build and send. */
  analytics: ApiCall[];
  analyticsMs: number;
  /** The sales export sent as a CSV document. */
  salesExport: ApiCall;
  /** The seller's notice of the buyer's review (stars and comment). */
  reviewNotice: ApiCall;
  /** Version 2 of the file, the buyer's notice of it, and the two downloads that followed. */
  uploadedV2: Buffer;
  versionNotice: ApiCall;
  latestDownload: DownloadAttempt;
  boughtDownload: DownloadAttempt;
}

/** Runs the whole journey on a started stack; throws at the first step that does not happen. */
export async function runJourney(stack: JourneyStack): Promise<JourneyResult> {
  const { telegram, sim } = stack;
  const { db } = stack.app;

  telegram.note('Ana registers as a seller: an email, then a Solana payout address.');
  await telegram.type(SELLER, '/sell');
  await telegram.type(SELLER, SELLER_EMAIL);
  await telegram.type(SELLER, SELLER_ADDRESS);

  telegram.note('Ana lists a product with the six-step wizard, sends the file, and publishes it.');
  await telegram.press(SELLER, /Add a product/);
  await telegram.type(SELLER, PRODUCT.title);
  await telegram.type(SELLER, PRODUCT.description);
  await telegram.press(SELLER, /Finance/);
  await telegram.type(SELLER, PRODUCT.price);
  await telegram.press(SELLER, /Skip/);
  const uploaded = Buffer.from(`%PDF-1.7\n${'Staking, pools, risks. '.repeat(2000)}\n%%EOF\n`);
  await telegram.sendDocument(SELLER, {
    name: PRODUCT.fileName,
    mimeType: 'application/pdf',
    body: uploaded,
  });
  await telegram.press(SELLER, /Publish/);
  const product = await db.maybeOne<{ id: string }>(
    `SELECT id FROM products WHERE seller_id = $1 AND status = 'active'`,
    [SELLER.id],
  );
  if (!product) throw new Error('The product was not published');
  telegram.note(`Product ${product.id} is on sale.`);

  telegram.note('Bruno searches with words, opens the result, comes back by deep link, and buys.');
  await telegram.type(BUYER, '/start');
  const searchCalls = await telegram.type(BUYER, 'defi playbook');
  await telegram.press(BUYER, new RegExp(PRODUCT.title));
  const deepLinkCalls = await telegram.type(BUYER, `/start product_${product.id}`);
  await telegram.press(BUYER, /Acheter/);
  await telegram.press(BUYER, /^SOL$/);

  const payment = sim.payments().at(-1);
  if (!payment) throw new Error('No payment was created');
  const paymentId = String(payment.payment_id);
  const order = await db.one<{ id: string }>('SELECT id FROM orders WHERE buyer_id = $1', [BUYER.id]);

  // The money arrives: the simulator posts signed IPNs to our server, which completes the order.
  const paidAt = telegram.calls.length;
  const advanced = await sim.advance(paymentId, 'finished');
  const answers = advanced.deliveries.map((d) => `${d.paymentStatus} → HTTP ${d.httpStatus}`).join(', ');
  telegram.note(`NOWPayments: payment ${paymentId} is finished. IPNs sent to our server: ${answers}.`);

  // The delivery job sends the buyer their purchase and tells the seller.
  const delivery = await waitForCall(
    telegram,
    paidAt,
    'the delivery message',
    (c) => isTo(c, BUYER) && /Télécharger/.test(JSON.stringify(c.payload.reply_markup)),
  );
  const saleNotice = await waitForCall(telegram, paidAt, 'the sale notice', (c) => isTo(c, SELLER));

  // The one-time link works once.
  // The delivery's button asks for a one-time link when pressed, however late that is.
  await telegram.press(BUYER, /Télécharger/);
  const downloadUrl = telegram.urlOf(BUYER.id, /Ouvrir le lien/);
  const firstDownload = await download(downloadUrl);
  telegram.note(
    `GET /download/… → HTTP ${firstDownload.status}, ${firstDownload.bytes.length} bytes` +
      (firstDownload.bytes.equals(uploaded)
        ? ', identical to the file the seller sent.'
        : ', NOT the file sent!'),
  );
  const secondDownload = await download(downloadUrl);
  telegram.note(
    `The same link again → HTTP ${secondDownload.status}` +
      (secondDownload.status >= 400 ? ': refused, a link works once.' : ': served AGAIN!'),
  );

  telegram.note('Bruno reviews his purchase from the library.');
  await telegram.press(BUYER, /Ma bibliothèque/);
  await telegram.press(BUYER, /Laisser un avis/);
  await telegram.press(BUYER, /^5⭐$/);

  const reviewed = telegram.calls.length;
  await telegram.type(BUYER, 'Clair, concret et à jour : exactement ce que je cherchais.');
  const reviewNotice = await waitForCall(telegram, reviewed, 'the review notice', (c) => isTo(c, SELLER));

  telegram.note('Ana opens her dashboard: the sale is in escrow for 24 h.');
  const stats = await telegram.type(SELLER, '/stats');
  const dashboard = stats.find((c) => isTo(c, SELLER) && c.method === 'sendMessage');
  if (!dashboard) throw new Error('/stats showed nothing');

  telegram.note('Ana opens her analytics: a revenue chart and a sales chart, then the numbers.');
  const started = performance.now();
  const analytics = await telegram.press(SELLER, /Analytics/);
  const analyticsMs = performance.now() - started;
  if (analytics.filter((c) => c.method === 'sendPhoto').length !== 2) throw new Error('no charts were sent');
  telegram.note(
    `The analytics screen (two charts rendered in-process, then the summary) took ${analyticsMs.toFixed(0)} ms.`,
  );
  const exported = await telegram.press(SELLER, /Sales \(CSV\)/);
  const salesExport = exported.find((c) => c.method === 'sendDocument');
  if (!salesExport) throw new Error('the sales export was not sent');

  telegram.note('Ana publishes a second edition of the file; Bruno is told and downloads it.');
  await telegram.press(SELLER, /Dashboard/);
  await telegram.press(SELLER, /My products/);
  await telegram.press(SELLER, new RegExp(PRODUCT.title));
  await telegram.press(SELLER, /New file version/);
  const uploadedV2 = Buffer.from(`%PDF-1.7\n${'Second edition: restaking too. '.repeat(2000)}\n%%EOF\n`);
  await telegram.sendDocument(SELLER, {
    name: 'solana-defi-playbook-2.pdf',
    mimeType: 'application/pdf',
    body: uploadedV2,
  });
  const published = await telegram.press(SELLER, /Publish version 2/);
  const versionNotice = published.find((c) => isTo(c, BUYER));
  if (!versionNotice) throw new Error('the buyer was not told of version 2');
  await telegram.press(BUYER, /Télécharger la version 2/);
  const latestDownload = await download(telegram.urlOf(BUYER.id, /Ouvrir le lien/));
  await telegram.press(BUYER, /Ma bibliothèque/);
  await telegram.press(BUYER, /Version 1 \(votre achat\)/);
  const boughtDownload = await download(telegram.urlOf(BUYER.id, /Ouvrir le lien/));
  telegram.note(
    `Version 2 link → HTTP ${latestDownload.status}, ${latestDownload.bytes.length} bytes` +
      `${latestDownload.bytes.equals(uploadedV2) ? ' (the second edition)' : ' (NOT the second edition!)'}; ` +
      `version 1 link → HTTP ${boughtDownload.status}, ${boughtDownload.bytes.length} bytes` +
      `${boughtDownload.bytes.equals(uploaded) ? ' (the edition Bruno bought).' : ' (NOT what Bruno bought!)'}`,
  );

  return {
    productId: product.id,
    orderId: order.id,
    paymentId,
    uploaded,
    downloadUrl,
    firstDownload,
    secondDownload,
    searchCalls,
    deepLinkCalls,
    delivery,
    saleNotice,
    dashboard,
    analytics,
    analyticsMs,
    salesExport,
    reviewNotice,
    uploadedV2,
    versionNotice,
    latestDownload,
    boughtDownload,
  };
}

function isTo(call: ApiCall, user: User): boolean {
  return call.method === 'sendMessage' && Number(call.payload.chat_id) === user.id;
}

/** Jobs run on their own schedule: waits for the bot to make a matching call after call `since`. */
async function waitForCall(
  telegram: FakeTelegram,
  since: number,
  what: string,
  matches: (call: ApiCall) => boolean,
  timeoutMs = 20_000,
): Promise<ApiCall> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = telegram.calls.slice(since).find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not arrive within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function download(url: string): Promise<DownloadAttempt> {
  const response = await fetch(url, { redirect: 'follow' });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
