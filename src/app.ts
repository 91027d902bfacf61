// The composition root, the one place that builds everything: config → database (migrated) →
// storage → payment provider → job queue → metrics → services → HTTP (and the operators'
// listener) → bot, then the job workers. `npm start`, the demo, the end-to-end test and the HTTP
// benchmark all start through startApp. Its close() stops everything in reverse order, and a
// start that fails half-way closes what it had started before rethrowing.

import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginOptions,
  onRequestAsyncHookHandler,
} from 'fastify';
import type { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { BotContext } from './bot/context.ts';
import { createBot } from './bot/create-bot.ts';
import { createTranslator } from './bot/i18n.ts';
import { InFlightUpdates } from './bot/in-flight.ts';
import { createMessenger } from './bot/messenger.ts';
import { notifyUploaded } from './bot/notices.ts';
import { createNotifier } from './bot/notify.ts';
import {
  botConcurrency,
  deriveWebhookSecret,
  SECRET_HEADER,
  type StartingBot,
  secretMatches,
  startBotWithRetries,
  telegramWebhookRoutes,
  WEBHOOK_PATH,
} from './bot/run.ts';
import { type AppConfig, isLoopbackUrl } from './config.ts';
import { type Database, migrate, openDatabase } from './db/index.ts';
import type { BusinessEvents } from './events.ts';
import { downloadRoutes } from './http/downloads.ts';
import { refuseBodyWithout } from './http/guards.ts';
import type { BotReadiness, HealthRoutesOptions } from './http/health.ts';
import { ipnRoutes } from './http/ipn.ts';
import { miniAppRoutes } from './http/miniapp.ts';
import { pageRoutes } from './http/pages.ts';
import { buildServer } from './http/server.ts';
import { uploadRoutes } from './http/uploads.ts';
import {
  createNowPaymentsClient,
  IPN_SIGNATURE_HEADER,
  type NowPaymentsClient,
} from './integrations/nowpayments/index.ts';
import { type DeliveryChannel, type JobQueue, type JobSettings, startJobQueue } from './jobs/index.ts';
import type { Logger } from './log.ts';
import { type AppMetrics, createMetrics } from './metrics.ts';
import { Running } from './running.ts';
import { createServices, type Services } from './services/index.ts';
import { createStorage } from './storage/index.ts';

/** The payment provider the services call, and where its IPNs are checked. */
export interface PaymentProvider {
  client: NowPaymentsClient;
  ipnSecret: string;
  ipnCallbackUrl: string;
  /** The local simulator's page where payments are marked paid (with its token). */
  pageUrl?: string;
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
  metrics: AppMetrics;
  /** http://host:port the server listens on. */
  url: string;
  /** http://host:port of the operators' listener (METRICS_PORT), when there is one. */
  opsUrl: string | undefined;
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

    // No token, on this machine only: the real bot talks to the local Telegram of the chat page.
    const { publicUrl } = config.storage;
    const devChat =
      !config.bot.token && !doubles.telegram && isLoopbackUrl(publicUrl)
        ? await (await import('./dev/chat/index.ts')).startDevChat({ publicUrl, log })
        : undefined;
    if (devChat) running.add('dev chat', () => devChat.close());
    const metrics = createMetrics(db);
    const services = createServices({
      db,
      storage,
      nowPayments: payments.client,
      enqueueDelivery: jobs.enqueueDelivery,
      log,
      events: metrics.events,
      settings: {
        adminIds: devChat ? new Set([...config.bot.adminIds, ...devChat.adminIds]) : config.bot.adminIds,
        payCurrencies: config.payments.payCurrencies,
        ipnCallbackUrl: payments.ipnCallbackUrl,
        downloads: config.downloads,
        uploadUrlTtlSec: config.uploadUrlTtlSec,
        healthTimeoutMs: config.healthTimeoutMs,
      },
    });

    const telegram = doubles.telegram ?? devChat?.telegram;
    const token = telegram?.token ?? config.bot.token;
    const webhookSecret = config.bot.webhookSecret ?? (token && deriveWebhookSecret(token));
    const webhook = token && !telegram && config.bot.webhookUrl && webhookSecret ? webhookSecret : undefined;
    const handling = new InFlightUpdates();
    const bot = token
      ? createBot({
          token,
          services,
          log: log.child({ component: 'bot' }),
          settings: {
            publicUrl: config.storage.publicUrl,
            payCurrencies: config.payments.payCurrencies,
            localMiniApps: devChat !== undefined,
          },
          rateLimit: config.bot.rateLimit,
          inFlight: handling,
          // Several instances may take webhook requests: one user's updates wait for each other.
          chatLeases: webhook !== undefined,
          ...(telegram
            ? { botInfo: telegram.botInfo, telegramFileBaseUrl: telegram.fileBaseUrl }
            : { apiRoot: config.bot.apiUrl, telegramFileBaseUrl: config.bot.apiUrl }),
        })
      : undefined;
    if (bot && telegram) telegram.attach(bot);
    // Closed after the HTTP server and the poller stopped taking updates, before the jobs and the
    // pool: the updates being handled finish (their replies and writes land), up to the deadline.
    if (bot) running.add('bot handlers', () => handling.drain(config.shutdownTimeoutMs, log));
    if (!bot)
      log.warn(
        {},
        'TELEGRAM_BOT_TOKEN is not set: the bot is off (the local chat page /dev/chat needs a loopback PUBLIC_URL), everything else runs',
      );
    let receiving: StartingBot | undefined;
    const botReadiness = (): BotReadiness =>
      !bot ? 'off' : telegram ? 'running' : (receiving?.state() ?? 'starting');

    const health: HealthRoutesOptions = { health: services.health, bot: botReadiness, details: 'loopback' };
    const serverDeps = { log, settings: config.http, publicUrl: config.storage.publicUrl, metrics };
    const opsPort = config.metrics.port;
    const http = buildServer({
      ...serverDeps,
      health: {
        ...health,
        ...(opsPort === undefined
          ? { metrics: { registry: metrics.registry, access: 'token' as const, token: config.metrics.token } }
          : {}),
      },
    });
    registerIpn(http, { payments, services, log, metrics });
    http.register(downloadRoutes, {
      downloads: services.downloads,
      storage,
      botUsername: () => (bot?.isInited() ? bot.botInfo.username : undefined),
    });
    const auth = token ? { botToken: token, maxAgeSec: config.initDataMaxAgeSec } : null;
    // The pages are served whether or not the bot runs (without it they say so).
    http.register(pageRoutes, {
      auth,
      library: services.libraryPage,
      uploadOrigins: storage.driver === 's3' ? [await storage.uploadOrigin()] : [],
    });
    if (auth) {
      const initData = refuseBodyWithout('authorization', (value) => /^tma \S/.test(value), {
        status: 401,
        code: 'auth_required',
        message: 'Send `Authorization: tma <initData>` from the Telegram mini app.',
        headers: { 'www-authenticate': 'tma' },
      });
      registerGuarded(http, initData, miniAppRoutes, { services, auth });
      // The upload API checks initData itself on request, before any body. The seller hears of
      // the arrived file in the chat, where the wizard goes on.
      const messenger = bot
        ? createMessenger({ api: bot.api, i18n: createTranslator(), accounts: services.accounts, log })
        : undefined;
      http.register(uploadRoutes, {
        uploads: services.uploads,
        auth,
        ...(messenger
          ? {
              onCompleted: async (sellerId, upload) =>
                void (await notifyUploaded({ messenger, services }, sellerId, upload)),
            }
          : {}),
      });
    }
    if (devChat) http.register(devChat.routes, payments.pageUrl ? { simulatorPage: payments.pageUrl } : {});
    if (bot && webhook) {
      const secret = refuseBodyWithout(SECRET_HEADER, (value) => secretMatches(value, webhook), {
        status: 401,
        code: 'unauthorized',
        message: `Missing or wrong ${SECRET_HEADER}.`,
      });
      registerGuarded(http, secret, telegramWebhookRoutes(bot, { secretToken: webhook }), {});
    }

    await jobs.startWorkers({
      services,
      channel: bot
        ? countingDeliveries(
            createNotifier({ api: bot.api, services, i18n: createTranslator(), log }),
            metrics.events,
          )
        : botOff,
    });
    await http.listen({ port: config.port, host: config.host });
    running.add('http', () => http.close());
    const url = listeningUrl(http, config.host) ?? config.storage.publicUrl;

    let opsUrl: string | undefined;
    if (opsPort !== undefined) {
      // The operators' listener: metrics and full health, no token; keep it off the internet.
      const ops = buildServer({
        ...serverDeps,
        docs: false,
        health: { ...health, details: 'everyone', metrics: { registry: metrics.registry, access: 'open' } },
      });
      await ops.listen({ port: opsPort, host: config.metrics.host });
      running.add('ops http', () => ops.close());
      opsUrl = listeningUrl(ops, config.metrics.host);
      log.info({ metrics: `${opsUrl}/metrics` }, 'Operators listener: /metrics, /health, /livez, /readyz');
    }

    if (bot && !telegram) {
      const concurrency = botConcurrency(config.pool.max);
      receiving = startBotWithRetries(
        bot,
        webhook && config.bot.webhookUrl
          ? {
              mode: 'webhook',
              url: new URL(WEBHOOK_PATH, config.bot.webhookUrl).href,
              secretToken: webhook,
              concurrency,
              log,
              adminIds: config.bot.adminIds,
            }
          : {
              mode: 'polling',
              concurrency,
              log,
              adminIds: config.bot.adminIds,
              leases: services.leases,
              replaceWebhook: config.bot.replaceWebhook,
            },
      );
      const started = receiving;
      running.add('bot', () => started.stop());
    }
    return { config, db, services, jobs, bot, metrics, url, opsUrl, close: () => running.close() };
  } catch (error) {
    await running.close();
    throw error;
  }
}

/** IPNs: the signature header must come before the body is read; each outcome is counted. */
function registerIpn(
  http: FastifyInstance,
  deps: { payments: PaymentProvider; services: Services; log: Logger; metrics: AppMetrics },
): void {
  const { payments, services, log, metrics } = deps;
  const signed = refuseBodyWithout(IPN_SIGNATURE_HEADER, (value) => value.length > 0, {
    status: 401,
    code: 'invalid_signature',
    message: `Missing or invalid ${IPN_SIGNATURE_HEADER}.`,
    onRefused: () => metrics.countIpn('unauthorized'),
  });
  registerGuarded(http, signed, ipnRoutes, {
    completion: services.completion,
    ipnSecret: payments.ipnSecret,
    log,
    onOutcome: (result) => metrics.countIpn(result),
  });
}

/** `plugin`'s routes, in a scope where `guard` runs as soon as a request's headers arrive. */
function registerGuarded<Options extends FastifyPluginOptions>(
  http: FastifyInstance,
  guard: onRequestAsyncHookHandler,
  plugin: FastifyPluginAsync<Options>,
  options: Options,
): void {
  http.register(async (scope) => {
    scope.addHook('onRequest', guard);
    await scope.register(plugin, options);
  });
}

function listeningUrl(server: FastifyInstance, host: string): string | undefined {
  const address = server.server.address();
  return typeof address === 'object' && address ? `http://${host}:${address.port}` : undefined;
}

/** A delivery that reached its buyer is counted. */
function countingDeliveries(channel: DeliveryChannel, events: BusinessEvents): DeliveryChannel {
  return {
    ...channel,
    deliverOrder: async (order) => {
      const reach = await channel.deliverOrder(order);
      if (reach === 'sent') events.orderDelivered();
      return reach;
    },
  };
}

/** Without a bot, deliveries wait in the queue (retried) and escrow notices are skipped. */
const botOff: DeliveryChannel = {
  deliverOrder: async () => {
    throw new Error('the bot is off: delivery waits for it');
  },
  notifySale: async () => {
    throw new Error('the bot is off: the sale notice waits for it');
  },
  payoutsAvailable: async () => {},
  suspensionEnded: async () => {},
};

/**
 * The NOWPayments client: live with the provider's keys, or a local simulator speaking the same
 * API (keys made up for this run, a page to pay by hand, control routes on loopback behind a
 * token) when NOWPAYMENTS_MODE=simulator or, without any setting, when PUBLIC_URL is loopback
 * (src/config.ts refuses the rest). The simulator is development code: loaded only when chosen.
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
    { page: simulator.pageUrl, chosen: payments.modeChosen, keysIgnored: payments.apiKey !== undefined },
    payments.modeChosen
      ? 'NOWPAYMENTS_MODE=simulator: payments go to the local simulator, no money moves; mark them paid on its page'
      : 'No NOWPAYMENTS_API_KEY and a loopback PUBLIC_URL: payments go to the LOCAL SIMULATOR, no money moves ' +
          '(set NOWPAYMENTS_MODE=simulator to say so, or the keys for real payments); mark them paid on its page',
  );
  return {
    client: createNowPaymentsClient({ baseUrl: simulator.baseUrl, apiKey, timeoutMs, log }),
    ipnSecret,
    ipnCallbackUrl: `http://127.0.0.1:${config.port}/ipn/nowpayments`,
    pageUrl: simulator.pageUrl,
    close: () => simulator.close(),
  };
}
