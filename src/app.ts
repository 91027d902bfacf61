// The composition root, the one place that builds everything: config → database (migrated) →
// storage → payment provider → job queue → services → HTTP → bot, then the job workers. `npm
// start`, the demo, the end-to-end test and the HTTP benchmark all start through startApp. Its
// close() stops everything in reverse order, and a start that fails half-way closes what it had
// started before rethrowing.

import type { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { BotContext } from './bot/context.ts';
import { createBot } from './bot/create-bot.ts';
import { createTranslator } from './bot/i18n.ts';
import { createNotifier } from './bot/notify.ts';
import {
  botConcurrency,
  deriveWebhookSecret,
  startBot,
  telegramWebhookRoutes,
  WEBHOOK_PATH,
} from './bot/run.ts';
import type { AppConfig } from './config.ts';
import { type Database, migrate, openDatabase } from './db/index.ts';
import { downloadRoutes } from './http/downloads.ts';
import { ipnRoutes } from './http/ipn.ts';
import { miniAppRoutes } from './http/miniapp.ts';
import { pageRoutes } from './http/pages.ts';
import { buildServer } from './http/server.ts';
import { uploadRoutes } from './http/uploads.ts';
import { createNowPaymentsClient, type NowPaymentsClient } from './integrations/nowpayments/index.ts';
import { type DeliveryChannel, type JobQueue, type JobSettings, startJobQueue } from './jobs/index.ts';
import type { Logger } from './log.ts';
import { countIpnOutcomes, createMetrics } from './metrics.ts';
import { createServices, type Services } from './services/index.ts';
import { createStorage } from './storage/index.ts';

/** The payment provider the services call, and where its IPNs are checked. */
export interface PaymentProvider {
  client: NowPaymentsClient;
  ipnSecret: string;
  ipnCallbackUrl: string;
  close(): Promise<void>;
}

/** A Telegram played locally (the demo, the tests): the bot is attached to it and receives no updates itself. */
export interface TelegramDouble {
  token: string;
  botInfo: UserFromGetMe;
  /** Where the bot downloads files users send. */
  fileBaseUrl: string;
  attach(bot: Bot<BotContext>): void;
}

export interface StartAppOptions {
  config: AppConfig;
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Development and test doubles, chosen by the caller; production passes none. */
  doubles?: {
    telegram?: TelegramDouble;
    /** A provider of the caller's (the demo drives its simulator by hand). */
    payments?: PaymentProvider;
    jobs?: Partial<JobSettings>;
  };
}

export interface App {
  config: AppConfig;
  db: Database;
  services: Services;
  jobs: JobQueue;
  bot: Bot<BotContext> | undefined;
  /** http://host:port the server listens on. */
  url: string;
  /** Stops in reverse order: bot, HTTP, jobs, provider, storage, database. Safe to call twice. */
  close(): Promise<void>;
}

export async function startApp({ config, env, log, doubles = {} }: StartAppOptions): Promise<App> {
  const running = new Running(log);
  try {
    const database = await openDatabase({
      env,
      settings: config.pool,
      embeddedDir: config.embeddedPgDir,
      log: log.child({ component: 'db' }),
    });
    running.add('database', () => database.close(config.shutdownTimeoutMs));
    log.info({ database: database.describe }, 'Database selected');
    const { db } = database;
    await db.initialize();
    await migrate(db, log);

    const storage = createStorage(config.storage, { log: log.child({ component: 'storage' }) });
    running.add('storage', () => storage.close());
    const payments = doubles.payments ?? (await startPayments(config, log));
    running.add('payments', () => payments.close());
    const jobs = await startJobQueue({ db, log, ...(doubles.jobs ? { settings: doubles.jobs } : {}) });
    running.add('jobs', () => jobs.stop({ timeoutMs: config.shutdownTimeoutMs }));

    const services = createServices({
      db,
      storage,
      nowPayments: payments.client,
      enqueueDelivery: jobs.enqueueDelivery,
      log,
      settings: {
        adminIds: config.bot.adminIds,
        payCurrencies: config.payments.payCurrencies,
        ipnCallbackUrl: payments.ipnCallbackUrl,
        downloads: config.downloads,
        uploadUrlTtlSec: config.uploadUrlTtlSec,
        healthTimeoutMs: config.healthTimeoutMs,
      },
    });

    const telegram = doubles.telegram;
    const token = telegram?.token ?? config.bot.token;
    const bot = token
      ? createBot({
          token,
          services,
          log: log.child({ component: 'bot' }),
          settings: { publicUrl: config.storage.publicUrl, payCurrencies: config.payments.payCurrencies },
          rateLimit: config.bot.rateLimit,
          ...(telegram ? { botInfo: telegram.botInfo, telegramFileBaseUrl: telegram.fileBaseUrl } : {}),
        })
      : undefined;
    if (bot && telegram) telegram.attach(bot);
    if (!bot) log.warn({}, 'TELEGRAM_BOT_TOKEN is not set: the bot is off, everything else runs');

    const metrics = createMetrics(() => services.health.poolStatus());
    const http = buildServer({ health: services.health, metrics, log });
    http.register(ipnRoutes, {
      completion: services.completion,
      ipnSecret: payments.ipnSecret,
      log,
      onOutcome: countIpnOutcomes(metrics),
    });
    http.register(downloadRoutes, { downloads: services.downloads, storage });
    const auth = token ? { botToken: token, maxAgeSec: config.initDataMaxAgeSec } : null;
    // The pages are served whether or not the bot runs (without it they say so).
    http.register(pageRoutes, {
      auth,
      library: services.libraryPage,
      uploadOrigins: storage.driver === 's3' ? [await storage.uploadOrigin()] : [],
    });
    if (auth) {
      http.register(miniAppRoutes, { services, auth });
      http.register(uploadRoutes, { uploads: services.uploads, auth });
    }
    const webhookSecret = config.bot.webhookSecret ?? (token && deriveWebhookSecret(token));
    const webhook = bot && !telegram && config.bot.webhookUrl && webhookSecret ? webhookSecret : undefined;
    if (bot && webhook) http.register(telegramWebhookRoutes(bot, { secretToken: webhook }));

    await jobs.startWorkers({
      services,
      channel: bot
        ? createNotifier({
            api: bot.api,
            services,
            i18n: createTranslator(),
            log,
          })
        : botOff,
    });
    await http.listen({ port: config.port, host: config.host });
    running.add('http', () => http.close());
    const address = http.server.address();
    const url =
      typeof address === 'object' && address
        ? `http://${config.host}:${address.port}`
        : config.storage.publicUrl;

    if (bot && !telegram) {
      const concurrency = botConcurrency(config.pool.max);
      const receiving = await startBot(
        bot,
        webhook && config.bot.webhookUrl
          ? {
              mode: 'webhook',
              url: new URL(WEBHOOK_PATH, config.bot.webhookUrl).href,
              secretToken: webhook,
              concurrency,
              log,
            }
          : { mode: 'polling', concurrency, log },
      );
      running.add('bot', () => receiving.stop());
    }
    return { config, db, services, jobs, bot, url, close: () => running.close() };
  } catch (error) {
    await running.close();
    throw error;
  }
}

/** Without a bot, deliveries wait in the queue (retried) and escrow notices are skipped. */
const botOff: DeliveryChannel = {
  deliverOrder: async () => {
    throw new Error('the bot is off: delivery waits for it');
  },
  payoutsAvailable: async () => {},
  suspensionEnded: async () => {},
};

/**
 * The NOWPayments client. Without NOWPAYMENTS_API_KEY, a local simulator speaking the same API
 * takes the provider's place (with keys made up for this run), and a page lets a person pay.
 * It is development code: loaded only when chosen.
 */
async function startPayments(config: AppConfig, log: Logger): Promise<PaymentProvider> {
  const { payments } = config;
  const timeoutMs = payments.timeoutMs;
  if (payments.mode === 'live' && payments.apiKey && payments.ipnSecret) {
    return {
      client: createNowPaymentsClient({ baseUrl: payments.baseUrl, apiKey: payments.apiKey, timeoutMs, log }),
      ipnSecret: payments.ipnSecret,
      ipnCallbackUrl: new URL('/ipn/nowpayments', config.storage.publicUrl).href,
      close: async () => {},
    };
  }
  const { startNowPaymentsSimulator } = await import('./dev/nowpayments-simulator/index.ts');
  const apiKey = crypto.randomUUID();
  const ipnSecret = crypto.randomUUID();
  const simulator = await startNowPaymentsSimulator({
    apiKey,
    ipnSecret,
    currencies: payments.payCurrencies,
    log: log.child({ component: 'nowpayments-simulator' }),
  });
  log.warn(
    { page: simulator.pageUrl },
    'NOWPAYMENTS_API_KEY is not set: payments go to the local simulator; mark them paid on its page',
  );
  return {
    client: createNowPaymentsClient({ baseUrl: simulator.baseUrl, apiKey, timeoutMs, log }),
    ipnSecret,
    ipnCallbackUrl: `http://127.0.0.1:${config.port}/ipn/nowpayments`,
    close: () => simulator.close(),
  };
}

/** What is running, closed in reverse order of start; a failing close is logged and the rest still close. */
class Running {
  readonly #log: Logger;
  readonly #closers: { name: string; close: () => Promise<unknown> }[] = [];
  #closing: Promise<void> | undefined;

  constructor(log: Logger) {
    this.#log = log;
  }

  add(name: string, close: () => Promise<unknown>): void {
    this.#closers.push({ name, close });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const { name, close } of this.#closers.toReversed()) {
        try {
          await close();
        } catch (error) {
          this.#log.error({ err: error, part: name }, 'Could not stop cleanly');
        }
      }
    })();
    return this.#closing;
  }
}
