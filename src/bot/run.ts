// How updates reach the bot: long polling (no public URL needed) or a webhook on our HTTP
// server (WEBHOOK_URL set). Either way the number of updates in flight is bounded, so the bot
// never queues more database work than the pool can serve.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { hostname } from 'node:os';
import { type RunnerHandle, run } from '@grammyjs/runner';
import type { FastifyPluginAsync } from 'fastify';
import { type Bot, GrammyError, webhookCallback } from 'grammy';
import { ConflictError, UnavailableError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { LeaseHolder, LeaseService } from '../services/leases.ts';
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

export interface PollingSettings {
  /** The poller's lease between instances (one long poller per bot); absent: not shared. */
  leases?: LeaseService;
  /** A lease not renewed for this long is free for another instance. */
  leaseTtlMs?: number;
  /** Delete a webhook found registered (another deployment's) instead of refusing to start. */
  replaceWebhook?: boolean;
  /** Waits before polling again after a 409 Conflict (another poller): doubling from first to max. */
  conflictRetry?: { firstDelayMs: number; maxDelayMs: number };
}

export type StartOptions = (
  | ({ mode: 'polling'; concurrency: number; log: Logger } & PollingSettings)
  | { mode: 'webhook'; url: string; secretToken: string; concurrency: number; log: Logger }
) & {
  /** Abandons the calls to Telegram of this start. */
  signal?: AbortSignal;
  /** ADMIN_IDS: their private chats list /admin too. */
  adminIds?: ReadonlySet<number>;
};

export interface RunningBot {
  /** Stops taking updates (those being handled are waited for by InFlightUpdates.drain). */
  stop(): Promise<void>;
}

/** Another instance holds the poller's lease: retried until it stops or its lease expires. */
export class PollerBusyError extends UnavailableError {
  constructor(holder: LeaseHolder) {
    super(
      'bot_poller_busy',
      `Another instance (${holder.holder}) already long-polls this bot, until ${holder.expiresAt.toISOString()} ` +
        'unless it renews: Telegram allows one poller per bot. Stop it, or run every instance in webhook mode (WEBHOOK_URL).',
    );
  }
}

/** Polling would delete the webhook another deployment registered: refused unless told. */
export class WebhookSetElsewhereError extends ConflictError {
  constructor(url: string) {
    super(
      'bot_webhook_set',
      `A webhook is registered for this bot (${url}): another deployment receives its updates. ` +
        'Set WEBHOOK_URL to run in webhook mode, or TELEGRAM_REPLACE_WEBHOOK=true to delete it and poll here.',
    );
  }
}

const POLLER_LEASE_TTL_MS = 30_000;
const CONFLICT_RETRY = { firstDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * Starts receiving updates. In webhook mode, register `telegramWebhookRoutes` on the HTTP
 * server and listen before calling this, so Telegram's first request finds the route.
 */
export async function startBot(bot: Bot<BotContext>, options: StartOptions): Promise<RunningBot> {
  const { log } = options;
  const signal = grammySignal(options.signal);
  await bot.init(signal);
  const publish = () => publishCommands(bot.api, { adminIds: options.adminIds ?? new Set(), log });

  if (options.mode === 'webhook') {
    await publish();
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
    // Closing the HTTP server stops the requests; InFlightUpdates waits for their handlers.
    return { stop: async () => {} };
  }

  const lease = options.leases
    ? await PollerLease.take(
        options.leases,
        `poller:${bot.botInfo.id}`,
        options.leaseTtlMs ?? POLLER_LEASE_TTL_MS,
        log,
      )
    : undefined;
  try {
    const { url } = await bot.api.getWebhookInfo(signal);
    if (url) {
      if (!options.replaceWebhook) throw new WebhookSetElsewhereError(url);
      log.warn({ webhook: url }, 'TELEGRAM_REPLACE_WEBHOOK: deleting the registered webhook to poll here');
      await bot.api.deleteWebhook({}, signal);
    }
    // Only the instance that polls publishes: one waiting for the lease does not repeat it.
    await publish();
  } catch (error) {
    await lease?.giveBack();
    throw error;
  }
  const launch = () => poll(bot, options, options.conflictRetry ?? CONFLICT_RETRY);
  let poller = launch();
  let stopping = false;
  lease?.onChange((held) => {
    if (stopping) return;
    if (held) poller = launch();
    else void poller.stop();
  });
  log.info({ bot: bot.botInfo.username, mode: 'polling', concurrency: options.concurrency }, 'Bot started');
  return {
    stop: async () => {
      stopping = true;
      await poller.stop();
      await lease?.giveBack();
    },
  };
}

/**
 * grammY's runner, started again after a 409 Conflict (another process polls this bot) with
 * doubling waits: the runner gives up on a 409 by rejecting its task, which would otherwise be
 * an unhandled rejection ending the process, IPN and download routes included.
 */
function poll(
  bot: Bot<BotContext>,
  options: { concurrency: number; log: Logger },
  retry: { firstDelayMs: number; maxDelayMs: number },
): { stop(): Promise<void> } {
  const { log } = options;
  let runner: RunnerHandle | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let conflicts = 0;
  const launch = () => {
    const launchedAt = Date.now();
    const current = run(bot, {
      // Fetch failures are logged by the API transformer (api-retry.ts), as JSON lines.
      runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true },
      sink: { concurrency: options.concurrency },
    });
    runner = current;
    current.task()?.catch((error: unknown) => {
      if (stopped) return;
      if (!(error instanceof GrammyError && error.error_code === 409)) {
        log.error({ err: describeError(error) }, 'Long polling stopped: Telegram refused getUpdates');
        return;
      }
      if (Date.now() - launchedAt > retry.maxDelayMs) conflicts = 0;
      const delayMs = Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** conflicts++);
      log.error(
        { err: describeError(error), delayMs },
        'Telegram answered 409 Conflict: another process polls this bot (or set a webhook); polling again later',
      );
      timer = setTimeout(launch, delayMs);
    });
  };
  launch();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      if (runner?.isRunning()) await runner.stop();
    },
  };
}

/**
 * The poller's lease, renewed in the background. If it was lost (this instance could not renew
 * it in time and another took it), the instance stops polling and tries to take it again.
 */
class PollerLease {
  readonly #leases: LeaseService;
  readonly #name: string;
  readonly #holder: string;
  readonly #heartbeat: NodeJS.Timeout;
  #held = true;
  #given = false;
  #onChange: (held: boolean) => void = () => {};

  static async take(leases: LeaseService, name: string, ttlMs: number, log: Logger): Promise<PollerLease> {
    const holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    const current = await leases.take(name, holder, ttlMs);
    if (current.holder !== holder) throw new PollerBusyError(current);
    return new PollerLease(leases, name, holder, ttlMs, log);
  }

  private constructor(leases: LeaseService, name: string, holder: string, ttlMs: number, log: Logger) {
    this.#leases = leases;
    this.#name = name;
    this.#holder = holder;
    this.#heartbeat = setInterval(async () => {
      try {
        const held = this.#held
          ? await leases.renew(name, holder, ttlMs)
          : (await leases.take(name, holder, ttlMs)).holder === holder;
        if (this.#given || held === this.#held) return;
        this.#held = held;
        if (held) log.warn({ lease: name }, 'Poller lease taken again: polling resumes');
        else
          log.error(
            { lease: name },
            'The poller lease expired and another instance took it: polling stops here',
          );
        this.#onChange(held);
      } catch (error) {
        log.warn({ err: describeError(error) }, 'Could not renew the poller lease; trying again');
      }
    }, ttlMs / 3);
  }

  /** Told when the lease is lost, and when it is taken again. */
  onChange(listener: (held: boolean) => void): void {
    this.#onChange = listener;
  }

  async giveBack(): Promise<void> {
    this.#given = true;
    clearInterval(this.#heartbeat);
    await this.#leases.giveBack(this.#name, this.#holder);
  }
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
      const final =
        (error instanceof GrammyError && error.error_code < 500 && error.error_code !== 429) ||
        error instanceof WebhookSetElsewhereError;
      if (final) {
        state = 'failed';
        log.error({ err: describeError(error) }, 'Telegram refused the bot start: not retried');
        return;
      }
      state = 'retrying';
      const delayMs = Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** (number - 1));
      log.warn(
        { err: describeError(error), attempt: number, delayMs },
        error instanceof PollerBusyError
          ? 'Another instance polls this bot: waiting for its lease'
          : 'Telegram unreachable: bot start retried',
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
