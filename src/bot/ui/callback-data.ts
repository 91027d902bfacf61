// Callback data is a short action name and short ids, never free text: Telegram refuses more
// than 64 bytes, and a button must not carry a category name or a search query (the old bot
// broke on both). Anything longer is a programming error, caught when the button is built.

import { AppError } from '../../errors.ts';

export const MAX_CALLBACK_BYTES = 64;
const SEPARATOR = ':';
const ACTION = /^[a-z][a-z0-9_.]{0,15}$/;
const ARG = /^[A-Za-z0-9_-]{1,40}$/;

/** Callback data that went through `callbackData`; raw strings do not type-check as one. */
export type CallbackData = string & { readonly __callbackData: true };

/** A button built wrong: a bug, caught when the button is built. */
export class CallbackDataError extends AppError {
  constructor(message: string) {
    super({ kind: 'internal', code: 'callback_data_invalid', message });
  }
}

/** `action:arg1:arg2…`; throws CallbackDataError when a part is malformed or the whole exceeds 64 bytes. */
export function callbackData(action: string, ...args: (string | number)[]): CallbackData {
  if (!ACTION.test(action)) throw new CallbackDataError(`Bad callback action "${action}"`);
  const parts = args.map(String);
  for (const part of parts) {
    if (!ARG.test(part)) throw new CallbackDataError(`Bad callback argument "${part}" for "${action}"`);
  }
  const data = [action, ...parts].join(SEPARATOR);
  if (Buffer.byteLength(data, 'utf8') > MAX_CALLBACK_BYTES) {
    throw new CallbackDataError(`Callback data for "${action}" exceeds ${MAX_CALLBACK_BYTES} bytes`);
  }
  return data as CallbackData;
}

export interface ParsedCallback {
  action: string;
  args: string[];
}

/** The action and arguments of data we built, or null for anything else (stale or forged). */
export function parseCallbackData(data: string): ParsedCallback | null {
  if (Buffer.byteLength(data, 'utf8') > MAX_CALLBACK_BYTES) return null;
  const [action = '', ...args] = data.split(SEPARATOR);
  if (!ACTION.test(action) || !args.every((a) => ARG.test(a))) return null;
  return { action, args };
}

/** Matches the data of one action with exactly `argCount` arguments, for `composer.callbackQuery`. */
export function actionPattern(action: string, argCount = 0): RegExp {
  if (!ACTION.test(action)) throw new CallbackDataError(`Bad callback action "${action}"`);
  const escaped = action.replace(/\./g, '\\.');
  return new RegExp(`^${escaped}${'(?::([A-Za-z0-9_-]{1,40}))'.repeat(argCount)}$`);
}
