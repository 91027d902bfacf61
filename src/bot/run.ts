// How updates reach the bot: long polling (no public URL needed) or a webhook on our HTTP
// server (WEBHOOK_URL set). Either way the number of updates in flight is bounded, so the bot
// never queues more database work than the pool can serve.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { run } from '@grammyjs/runner';
import type { FastifyPluginAsync } from 'fastify';
import { type Bot, GrammyError, webhookCallback } from 'grammy';
import type { Logger } from '../log.ts';
import { publishCommands } from './commands.ts';
import type { BotContext } from './context.ts';
import { describeError } from './error-boundary.ts';

export const WEBHOOK_PATH = '/telegram/webhook';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** The update kinds the features handle; Telegram sends nothing else. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;
// Telegram keeps at most 100 webhook connections open.
const MAX_WEBHOOK_CONNECTIONS = 100;

/** Updates processed at once: a small multiple of the pool, since a handler mostly awaits Telegram. */
export function botConcurrency(poolMax: number): number {
  return Math.max(1, poolMax * 2);
}

/**
 * A webhook secret derived from the bot token when none is configured: stable across restarts
 * and instances, unguessable without the token, and in Telegram's alphabet (A-Z a-z 0-9 _ -).
 */
export function deriveWebhookSecret(token: string): string {
  return createHmac('sha256', 'agora telegram webhook').update(token).digest('base64url');
}

/** Constant-time comparison of the header Telegram sends with the secret we registered. */
export function secretMatches(header: unknown, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(header), digest(secret));
}

export interface WebhookRouteOptions {
  secretToken: string;
  /** Answer Telegram after this long even if the update is still being handled (it would resend it). */
  timeoutMs?: number;
}

/** POST /telegram/webhook for the HTTP server: a wrong or missing secret gets 401 and reaches no handler. */
export function telegramWebhookRoutes(
  bot: Bot<BotContext>,
  options: WebhookRouteOptions,
): FastifyPluginAsync {
  return async (app) => {
    const handle = webhookCallback(bot, 'fastify', {
      secretToken: options.secretToken,
      onTimeout: 'return',
      timeoutMilliseconds: options.timeoutMs ?? 9_000,
    });
    app.post(WEBHOOK_PATH, async (request, reply) => {
      if (!secretMatches(request.headers[SECRET_HEADER], options.secretToken)) {
        return reply.code(401).send({ error: 'unauthorized' });
      }
      return handle(request, reply);
    });
  };
}

export type StartOptions = (
  | { mode: 'polling'; concurrency: number; log: Logger }
  | { mode: 'webhook'; url: string; secretToken: string; concurrency: number; log: Logger }
) & {
  /** Abandons the calls to Telegram of this start. */
  signal?: AbortSignal;
};

export interface RunningBot {
  /** Stops taking updates and waits for those in flight. */
  stop(): Promise<void>;
}

/**
 * Starts receiving updates. In webhook mode, register `telegramWebhookRoutes` on the HTTP
 * server and listen before calling this, so Telegram's first request finds the route.
 */
export async function startBot(bot: Bot<BotContext>, options: StartOptions): Promise<RunningBot> {
  const { log } = options;
  const signal = grammySignal(options.signal);
  await bot.init(signal);
  await publishCommands(bot.api).catch((error: unknown) =>
    log.warn({ err: describeError(error) }, 'Could not publish the command menu'),
  );

  if (options.mode === 'webhook') {
    await bot.api.setWebhook(
      options.url,
      {
        secret_token: options.secretToken,
        max_connections: Math.min(options.concurrency, MAX_WEBHOOK_CONNECTIONS),
        allowed_updates: [...ALLOWED_UPDATES],
      },
      signal,
    );
    log.info({ bot: bot.botInfo.username, mode: 'webhook' }, 'Bot started');
    // Closing the HTTP server stops the requests and waits for those in flight.
    return { stop: async () => {} };
  }

  // A webhook left by an earlier deployment would make getUpdates fail.
  await bot.api.deleteWebhook({}, signal);
  const runner = run(bot, {
    runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } },
    sink: { concurrency: options.concurrency },
  });
  log.info({ bot: bot.botInfo.username, mode: 'polling', concurrency: options.concurrency }, 'Bot started');
  return {
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
    },
  };
}

/** grammY types its signals with the abort-controller polyfill; Node's AbortSignal is what runs. */
function grammySignal(signal: AbortSignal | undefined) {
  return signal as unknown as Parameters<Bot['init']>[0];
}

export type BotStartState = 'starting' | 'retrying' | 'running' | 'failed';

export interface StartRetry {
  firstDelayMs: number;
  maxDelayMs: number;
  /** One start attempt (getMe, webhook calls) gives up after this. */
  attemptTimeoutMs: number;
}

export const DEFAULT_START_RETRY: StartRetry = {
  firstDelayMs: 1_000,
  maxDelayMs: 60_000,
  attemptTimeoutMs: 30_000,
};

export interface StartingBot {
  state(): BotStartState;
  /** Stops retrying, or stops the bot once started. */
  stop(): Promise<void>;
}

/**
 * startBot in the background, retried with doubling delays while Telegram cannot be reached or
 * fails (network, 5xx, 429), so the rest of the process serves meanwhile. A refusal that will not
 * change (a revoked token, a bad webhook URL) stops the attempts: `failed`, logged.
 */
export function startBotWithRetries(
  bot: Bot<BotContext>,
  options: StartOptions,
  retry: StartRetry = DEFAULT_START_RETRY,
): StartingBot {
  const { log } = options;
  const stopping = new AbortController();
  let state: BotStartState = 'starting';
  let timer: NodeJS.Timeout | undefined;
  let running: RunningBot | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  async function attempt(number: number): Promise<void> {
    const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(retry.attemptTimeoutMs)]);
    try {
      // bot.init() would retry on its own, silently and without end: one getMe per attempt here.
      if (!bot.isInited()) bot.botInfo = await bot.api.getMe(grammySignal(signal));
      running = await startBot(bot, { ...options, signal });
      state = 'running';
    } catch (error) {
      if (stopping.signal.aborted) return;
      if (error instanceof GrammyError && error.error_code < 500 && error.error_code !== 429) {
        state = 'failed';
        log.error({ err: describeError(error) }, 'Telegram refused the bot start: not retried');
        return;
      }
      state = 'retrying';
      const delayMs = Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** (number - 1));
      log.warn(
        { err: describeError(error), attempt: number, delayMs },
        'Telegram unreachable: bot start retried',
      );
      timer = setTimeout(() => {
        inFlight = attempt(number + 1);
      }, delayMs);
    }
  }
  inFlight = attempt(1);

  return {
    state: () => state,
    stop: async () => {
      stopping.abort();
      clearTimeout(timer);
      await inFlight;
      await running?.stop();
    },
  };
}
