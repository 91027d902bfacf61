// Mini-app authentication: `Authorization: tma <initData>`, the query string Telegram signs for
// the bot (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
//   secret_key = HMAC_SHA256(key = "WebAppData", message = bot token)
//   hash = hex(HMAC_SHA256(key = secret_key, message = data_check_string))
// where data_check_string is every received field except `hash`, sorted by key, as `key=value`
// lines joined by "\n". The user id is read only from the verified `user` field.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { UnauthorizedError } from '../errors.ts';

export interface TelegramUser {
  id: number;
  first_name: string;
  username?: string;
  language_code?: string;
}

export type VerifiedInitData = {
  user: TelegramUser;
  authDate: Date;
};

export interface InitDataOptions {
  botToken: string;
  /** Refuse data signed longer ago than this (default 3600 s). */
  maxAgeSec?: number;
  /** The clock in ms, for tests. */
  now?: () => number;
}

export const DEFAULT_INIT_DATA_MAX_AGE_SEC = 3600;
// Clocks differ a little between Telegram and us; more than this in the future is forged.
const FUTURE_SKEW_SEC = 60;
const MAX_INIT_DATA_LENGTH = 8192;

function secretKey(botToken: string): Buffer {
  return createHmac('sha256', 'WebAppData').update(botToken).digest();
}

function dataCheckString(fields: Iterable<[string, string]>): string {
  return [...fields]
    .filter(([key]) => key !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/** Signs fields as Telegram does and returns the initData query string (tests, local tools). */
export function signInitData(fields: Readonly<Record<string, string>>, botToken: string): string {
  const hash = createHmac('sha256', secretKey(botToken))
    .update(dataCheckString(Object.entries(fields)))
    .digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

const invalid = (why: string) =>
  new UnauthorizedError('init_data_invalid', `Telegram initData refused: ${why}.`);

/** Checks the signature, then the age, then reads the user; UnauthorizedError otherwise. */
export function verifyInitData(initData: string, options: InitDataOptions): VerifiedInitData {
  if (!options.botToken) throw new Error('verifyInitData needs the bot token');
  if (initData.length === 0 || initData.length > MAX_INIT_DATA_LENGTH) throw invalid('empty or too long');
  const params = new URLSearchParams(initData);
  const fields = [...params.entries()];
  if (new Set(fields.map(([key]) => key)).size !== fields.length) throw invalid('a field appears twice');
  const hash = params.get('hash') ?? '';
  if (!/^[0-9a-f]{64}$/.test(hash)) throw invalid('no valid hash');
  const expected = createHmac('sha256', secretKey(options.botToken)).update(dataCheckString(fields)).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) throw invalid('bad signature');

  const authDate = Number(params.get('auth_date'));
  if (!Number.isSafeInteger(authDate) || authDate <= 0) throw invalid('no auth_date');
  const nowSec = Math.floor((options.now?.() ?? Date.now()) / 1000);
  const maxAge = options.maxAgeSec ?? DEFAULT_INIT_DATA_MAX_AGE_SEC;
  if (authDate > nowSec + FUTURE_SKEW_SEC) throw invalid('auth_date in the future');
  if (nowSec - authDate > maxAge) {
    throw new UnauthorizedError('init_data_expired', 'Telegram initData is too old: reopen the mini app.');
  }

  let user: Partial<TelegramUser>;
  try {
    user = JSON.parse(params.get('user') ?? '');
  } catch {
    throw invalid('no user');
  }
  if (
    typeof user !== 'object' ||
    user === null ||
    !Number.isSafeInteger(user.id) ||
    (user.id as number) <= 0
  ) {
    throw invalid('no user id');
  }
  return {
    user: {
      id: user.id as number,
      first_name: typeof user.first_name === 'string' ? user.first_name : '',
      ...(typeof user.username === 'string' ? { username: user.username } : {}),
      ...(typeof user.language_code === 'string' ? { language_code: user.language_code } : {}),
    },
    authDate: new Date(authDate * 1000),
  };
}

const verifiedUsers = new WeakMap<FastifyRequest, TelegramUser>();

/** A preHandler that refuses the request (401) unless it carries valid initData for this bot. */
export function requireTelegramAuth(options: InitDataOptions): preHandlerAsyncHookHandler {
  if (!options.botToken) throw new Error('requireTelegramAuth needs the bot token');
  return async (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^tma (.+)$/s.exec(header);
    if (!match?.[1]) {
      throw new UnauthorizedError(
        'auth_required',
        'Send `Authorization: tma <initData>` from the Telegram mini app.',
      );
    }
    verifiedUsers.set(request, verifyInitData(match[1], options).user);
  };
}

/** The verified Telegram user of a request that passed requireTelegramAuth. */
export function telegramUser(request: FastifyRequest): TelegramUser {
  const user = verifiedUsers.get(request);
  if (!user) throw new UnauthorizedError('auth_required', 'This route needs Telegram authentication.');
  return user;
}
