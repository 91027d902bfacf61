// The composition root: config → log → database (+ migrations) → storage, payments, jobs,
// services → HTTP and bot. Shut down in reverse: stop taking work, finish it, close the pool.
import { createBot } from './bot/create-bot.ts';
import { createTranslator } from './bot/i18n.ts';
import { createNotifier, type Notifier } from './bot/notify.ts';
import {
  botConcurrency,
  deriveWebhookSecret,
  startBot,
  telegramWebhookRoutes,
  WEBHOOK_PATH,
} from './bot/run.ts';
import { type AppConfig, ConfigError, loadConfig } from './config.ts';
import { migrate, openDatabase } from './db/index.ts';
import { startNowPaymentsSimulator } from './dev/nowpayments-simulator/index.ts';
import { downloadRoutes } from './http/downloads.ts';
import { ipnRoutes } from './http/ipn.ts';
import { miniAppRoutes } from './http/miniapp.ts';
import { buildServer } from './http/server.ts';
import { createNowPaymentsClient } from './integrations/nowpayments/index.ts';
import { startJobs } from './jobs/index.ts';
import { createLogger, type Logger } from './log.ts';
import { countIpnOutcomes, createMetrics } from './metrics.ts';
import { setUserLanguage } from './repositories/users.ts';
import { createCheckoutService } from './services/checkout.ts';
import { createCompletionService } from './services/completion.ts';
import { createStorage } from './storage/index.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const database = await openDatabase({
    env: process.env,
    settings: config.pool,
    embeddedDir: config.embeddedPgDir,
    log: log.child({ component: 'db' }),
  });
  log.info({ database: database.describe }, 'Database selected');
  const { db } = database;
  await db.initialize();
  await migrate(db, log);

  const storage = createStorage(config.storage, { log: log.child({ component: 'storage' }) });
  const payments = await startPayments(config, log);
  // The bot delivers paid orders; it is created after the services it calls, so the job asks late.
  let notifier: Notifier | undefined;
  const jobs = await startJobs({
    db,
    log,
    handlers: {
      deliver: async (orderId) => {
        if (!notifier) throw new Error('the bot is off: delivery waits for it'); // retried by the job
        await notifier.deliverOrder(orderId);
      },
      notifyPayoutsAvailable: async (notice) => notifier?.payoutsAvailable(notice),
    },
  });
  const completion = createCompletionService({
    db,
    nowPayments: payments.client,
    enqueueDelivery: jobs.enqueueDelivery,
    log,
  });
  const checkout = createCheckoutService({
    db,
    nowPayments: payments.client,
    enqueueDelivery: jobs.enqueueDelivery,
    log,
    ipnCallbackUrl: payments.ipnCallbackUrl,
    payCurrencies: config.payments.payCurrencies,
  });

  const bot = config.bot.token
    ? createBot({
        token: config.bot.token,
        db,
        log: log.child({ component: 'bot' }),
        services: {
          saveLanguage: (userId, language) => setUserLanguage(db, userId, language).then(() => {}),
        },
        adminIds: [...config.bot.adminIds],
        rateLimit: { perMinute: config.bot.rateLimitPerMinute },
        storage,
        buyer: {
          checkout,
          completion,
          payCurrencies: config.payments.payCurrencies,
          publicUrl: config.storage.publicUrl,
          downloads: config.downloads,
        },
      })
    : undefined;
  notifier = bot
    ? createNotifier({
        api: bot.api,
        db,
        i18n: createTranslator(),
        publicUrl: config.storage.publicUrl,
        downloads: config.downloads,
        log,
      })
    : undefined;
  if (!bot) log.warn({}, 'TELEGRAM_BOT_TOKEN is not set: the bot is off, everything else runs');

  const metrics = createMetrics(db);
  const app = buildServer({ db, metrics, log, healthTimeoutMs: config.healthTimeoutMs });
  app.register(ipnRoutes, {
    completion,
    ipnSecret: payments.ipnSecret,
    log,
    onOutcome: countIpnOutcomes(metrics),
  });
  app.register(downloadRoutes, { db, storage });
  if (config.bot.token) {
    app.register(miniAppRoutes, {
      db,
      storage,
      auth: { botToken: config.bot.token, maxAgeSec: config.initDataMaxAgeSec },
      downloads: config.downloads,
      uploadUrlTtlSec: config.uploadUrlTtlSec,
    });
  }
  const webhookSecret =
    config.bot.webhookSecret ?? (config.bot.token && deriveWebhookSecret(config.bot.token));
  if (bot && config.bot.webhookUrl && webhookSecret) {
    app.register(telegramWebhookRoutes(bot, { secretToken: webhookSecret }));
  }
  await app.listen({ port: config.port, host: config.host });

  const runningBot = bot
    ? await startBot(
        bot,
        config.bot.webhookUrl && webhookSecret
          ? {
              mode: 'webhook',
              url: new URL(WEBHOOK_PATH, config.bot.webhookUrl).href,
              secretToken: webhookSecret,
              concurrency: botConcurrency(config.pool.max),
              log,
            }
          : { mode: 'polling', concurrency: botConcurrency(config.pool.max), log },
      )
    : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Shutting down: no new updates or requests, finishing what is in flight');
    const deadline = setTimeout(() => {
      log.error({}, 'Shutdown deadline passed; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000);
    deadline.unref();
    await runningBot?.stop();
    await app.close();
    await jobs.stop({ timeoutMs: config.shutdownTimeoutMs });
    await payments.close();
    await database.close(config.shutdownTimeoutMs);
    log.info({}, 'Stopped');
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * The NOWPayments client. Without NOWPAYMENTS_API_KEY, a local simulator speaking the same API
 * takes the provider's place (with keys made up for this run), and a page lets a person pay.
 */
async function startPayments(config: AppConfig, log: Logger) {
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

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Agora failed to start:', error);
  }
  process.exit(1);
});
