// How calls to Telegram are retried, with bounds: a job or a handler never waits without end,
// and a message is never sent twice because a retry followed a request that did reach Telegram.
//  - 429 (flood wait): retried after the delay Telegram asks, at most 3 times, 30 s each at most.
//    Telegram did not perform the call, so this is safe for every method.
//  - 5xx and network errors (no answer): retried a few times only for methods that can be
//    repeated without harm (reads, sets, edits, deletes). A send whose answer was lost may
//    have been delivered: it fails at once and its caller decides (jobs retry with their own
//    bounds, handlers tell the user).
import { autoRetry } from '@grammyjs/auto-retry';
import { HttpError, type Transformer } from 'grammy';
import type { Logger } from '../log.ts';
import { describeError } from './error-boundary.ts';

export interface ApiRetrySettings {
  /** Retries of a 429, 5xx or network failure, per call. */
  maxRetryAttempts: number;
  /** A flood wait longer than this is not waited for: the call fails. */
  maxDelaySeconds: number;
  /** The first wait before retrying a network failure; each next one doubles. */
  networkDelayMs: number;
}

export const DEFAULT_API_RETRY: ApiRetrySettings = {
  maxRetryAttempts: 3,
  maxDelaySeconds: 30,
  networkDelayMs: 1_000,
};

/** Each request to Telegram gives up after this (long polling asks 30 s; grammY's default is 500 s). */
export const API_TIMEOUT_SECONDS = 60;

/** Methods Telegram may receive twice with the same effect as once. */
export function isRepeatable(method: string): boolean {
  return (
    /^(get|set|delete|edit|unpin|pin|ban|unban|restrict|approve|decline)/.test(method) &&
    method !== 'getUpdates'
  );
}

/** The one API transformer of the bot's retries (getUpdates is retried by the runner itself). */
export function apiRetries(log: Logger, settings: ApiRetrySettings = DEFAULT_API_RETRY): Transformer {
  const floodWaitOnly = autoRetry({
    maxRetryAttempts: settings.maxRetryAttempts,
    maxDelaySeconds: settings.maxDelaySeconds,
    rethrowInternalServerErrors: true,
    rethrowHttpErrors: true,
  });
  const floodWaitAnd5xx = autoRetry({
    maxRetryAttempts: settings.maxRetryAttempts,
    maxDelaySeconds: settings.maxDelaySeconds,
    rethrowHttpErrors: true,
  });
  return async (prev, method, payload, signal) => {
    if (!isRepeatable(method)) {
      try {
        return await floodWaitOnly(prev, method, payload, signal);
      } catch (error) {
        if (method === 'getUpdates' && !signal?.aborted) {
          log.warn({ err: describeError(error) }, 'Telegram getUpdates failed; the poller retries');
        }
        throw error;
      }
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await floodWaitAnd5xx(prev, method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted || attempt >= settings.maxRetryAttempts)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, settings.networkDelayMs * 2 ** attempt));
      }
    }
  };
}
