// The real bot from createBot, with every outgoing Bot API call intercepted by an API
// transformer: calls are recorded and answered with canned results, updates are fed with
// bot.handleUpdate. No network, no token, no getMe. In strict mode (the default) calls are first
// judged by the Bot API's rules (src/dev/telegram/strict.ts) and refused as Telegram refuses them,
// so handlers see the GrammyError a real bot would.
import { Writable } from 'node:stream';
import type { Bot } from 'grammy';
import type {
  Chat,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  Message,
  Update,
  User,
  UserFromGetMe,
} from 'grammy/types';
import { pino } from 'pino';
import type { BotContext, BotSettings } from '../../src/bot/context.ts';
import { createBot } from '../../src/bot/create-bot.ts';
import { FAKE_BOT_INFO, STRICT_BY_DEFAULT } from '../../src/dev/telegram/fake-telegram.ts';
import { StrictTelegram } from '../../src/dev/telegram/strict.ts';
import type { Services } from '../../src/services/index.ts';
import type { RateLimitSettings } from '../../src/services/rate-limits.ts';
import { TEST_PUBLIC_URL } from '../support/services.ts';

export const BOT_INFO: UserFromGetMe = { ...FAKE_BOT_INFO, username: 'agora_test_bot' };

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

/** A message as the chat shows it now (edits applied). */
export interface ChatMessage {
  chatId: number;
  messageId: number;
  text: string;
  keyboard: InlineKeyboardButton[][];
  /** A photo with `text` as its caption (sendPhoto, editMessageMedia). */
  photo?: boolean;
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export function telegramUser(id: number, overrides: Partial<User> = {}): User {
  return { id, is_bot: false, first_name: `User${id}`, language_code: 'fr', ...overrides };
}

/** Methods that put text on the screen, and the payload field holding it. */
const TEXT_METHODS: Record<string, string> = {
  sendMessage: 'text',
  editMessageText: 'text',
  sendPhoto: 'caption',
  sendDocument: 'caption',
  editMessageCaption: 'caption',
};

export interface HarnessDeps {
  /** Built by testServices (test/support/services.ts), with what the test needs wired in. */
  services: Services;
  settings?: Partial<BotSettings>;
  rateLimit?: RateLimitSettings;
  telegramFileBaseUrl?: string;
}

export interface HarnessOptions {
  /**
   * Refuse what the real Bot API refuses. Default: on, unless TELEGRAM_STRICT=0. A test turns it
   * off only with a comment saying which rule it must get past, and why.
   */
  strict?: boolean;
  /** The chats' clock in milliseconds (message dates, the 48 h limit of deleteMessage). */
  now?: () => number;
}

export class BotHarness {
  readonly bot: Bot<BotContext>;
  readonly calls: ApiCall[] = [];
  readonly logs: LogLine[] = [];
  readonly messages: ChatMessage[] = [];
  /** The Bot API's rules and the chats' state, in strict mode (block users through it). */
  readonly strict: StrictTelegram | undefined;
  readonly #now: () => number;
  #nextMessageId = 100;
  #nextUpdateId = 1;
  #failures = new Map<string, { error_code: number; description: string }>();
  #answeredQueries = new Set<unknown>();
  #responders = new Map<string, (payload: Record<string, unknown>) => unknown>();
  /** Chats other than a user's private chat with the bot (groups, channels), by id. */
  #sharedChats = new Map<number, Chat>();

  constructor(deps: HarnessDeps, options: HarnessOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.strict = (options.strict ?? STRICT_BY_DEFAULT) ? new StrictTelegram({ now: this.#now }) : undefined;
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString().split('\n')) if (line) this.logs.push(JSON.parse(line));
        done();
      },
    });
    this.bot = createBot({
      token: '123456789:TEST-TOKEN-NEVER-SENT-ANYWHERE-xyz',
      log: pino({ level: 'info' }, sink),
      botInfo: BOT_INFO,
      services: deps.services,
      settings: {
        publicUrl: TEST_PUBLIC_URL,
        payCurrencies: ['btc', 'eth', 'sol', 'usdtsol', 'usdcsol'],
        ...deps.settings,
      },
      rateLimit: deps.rateLimit ?? { burst: 1000, perMinute: 1000 },
      ...(deps.telegramFileBaseUrl ? { telegramFileBaseUrl: deps.telegramFileBaseUrl } : {}),
    });
    this.bot.api.config.use(async (_prev, method, payload) => {
      const call = { method, payload: (payload ?? {}) as Record<string, unknown> };
      this.calls.push(call);
      const failure = this.#failures.get(method);
      if (failure) {
        this.#failures.delete(method);
        return { ok: false, ...failure } as never;
      }
      const verdict = this.strict?.check(method, call.payload);
      if (verdict && !verdict.ok) return verdict as never;
      // Like Telegram: a button press can be answered once.
      if (method === 'answerCallbackQuery') {
        const id = call.payload.callback_query_id;
        if (this.#answeredQueries.has(id)) {
          return { ok: false, error_code: 400, description: 'Bad Request: query ID is invalid' } as never;
        }
        this.#answeredQueries.add(id);
      }
      const result = this.#answer(call);
      this.strict?.record(method, call.payload, (result as Partial<Message> | undefined)?.message_id);
      return { ok: true, result } as never;
    });
  }

  /** The next call to `method` fails as Telegram would answer it. */
  failNext(method: string, description: string, error_code = 400): void {
    this.#failures.set(method, { error_code, description });
  }

  /** Every later call to `method` succeeds with `result(payload)` (e.g. getFile's File object). */
  respondTo(method: string, result: (payload: Record<string, unknown>) => unknown): void {
    this.#responders.set(method, result);
  }

  /** The user sends a message with these fields (a photo, a document…) in their private chat. */
  sendMessage(user: User, fields: Partial<Message>): Promise<ApiCall[]> {
    const message = {
      message_id: this.#userMessageId(user),
      date: this.#unixNow(),
      chat: { id: user.id, type: 'private' as const, first_name: user.first_name },
      from: user,
      ...fields,
    };
    return this.handle({ message } as Omit<Update, 'update_id'>);
  }

  /** Feeds one update; returns the API calls the bot made while handling it. */
  async handle(update: Omit<Update, 'update_id'>): Promise<ApiCall[]> {
    const before = this.calls.length;
    await this.bot.handleUpdate({ update_id: this.#nextUpdateId++, ...update } as Update);
    return this.calls.slice(before);
  }

  /**
   * The user types `text` (a command or anything else) in their private chat with the bot, or in
   * `chat` (a group the bot is in).
   */
  sendText(user: User, text: string, chat?: Chat.GroupChat | Chat.SupergroupChat): Promise<ApiCall[]> {
    const command = /^\/\w+(@\w+)?/.exec(text);
    if (chat) this.#sharedChats.set(chat.id, chat);
    const message = {
      message_id: this.#userMessageId(user, chat?.id),
      date: this.#unixNow(),
      chat: chat ?? { id: user.id, type: 'private' as const, first_name: user.first_name },
      from: user,
      text,
      ...(command
        ? { entities: [{ type: 'bot_command' as const, offset: 0, length: command[0].length }] }
        : {}),
    };
    return this.handle({ message });
  }

  /**
   * The user presses a button with `data`: by default on the latest message in their chat that
   * shows it, else (stale or forged data) on the latest message in their chat; or on `on`, which
   * may be a message of a group.
   */
  press(user: User, data: string, on?: ChatMessage): Promise<ApiCall[]> {
    const chat = this.messages.filter((m) => m.chatId === user.id);
    const target =
      on ??
      chat.findLast((m) => m.keyboard.flat().some((b) => 'callback_data' in b && b.callback_data === data));
    const message = target ?? chat.at(-1);
    return this.handle({
      callback_query: {
        id: String(this.#nextUpdateId),
        from: user,
        chat_instance: `ci${user.id}`,
        data,
        ...(message ? { message: this.#asTelegramMessage(message) } : {}),
      },
    });
  }

  /** The latest message shown in `chatId` (edits applied). */
  lastMessage(chatId: number): ChatMessage {
    const found = this.messages.findLast((m) => m.chatId === chatId);
    if (!found) throw new Error(`No message in chat ${chatId}`);
    return found;
  }

  /** Every callback data the bot has put on a button so far. */
  allCallbackData(): string[] {
    return this.calls.flatMap((call) => callbackDataOf(call));
  }

  /** Calls that showed text (sent or edited), in order. */
  textCalls(calls: ApiCall[] = this.calls): ApiCall[] {
    return calls.filter((c) => c.method in TEXT_METHODS);
  }

  /** A new message id in the chat (the user's own by default), for a message they send. */
  #userMessageId(user: User, chatId = user.id): number {
    const id = this.#nextMessageId++;
    this.strict?.userMessage(chatId, id);
    return id;
  }

  #unixNow(): number {
    return Math.floor(this.#now() / 1000);
  }

  #answer(call: ApiCall): unknown {
    const p = call.payload;
    const media = this.#answerMedia(call);
    if (media !== undefined) return media;
    const responder = this.#responders.get(call.method);
    if (responder) return responder(p);
    const textField = TEXT_METHODS[call.method];
    if (call.method.startsWith('send') && textField) {
      const shown: ChatMessage = {
        chatId: Number(p.chat_id),
        messageId: this.#nextMessageId++,
        text: String(p[textField] ?? ''),
        keyboard: keyboardOf(p),
        ...(call.method === 'sendPhoto' ? { photo: true } : {}),
      };
      this.messages.push(shown);
      return this.#asTelegramMessage(shown);
    }
    if (call.method.startsWith('edit') && textField) {
      const shown = this.messages.find((m) => m.chatId === Number(p.chat_id) && m.messageId === p.message_id);
      if (!shown) return true;
      shown.text = String(p[textField] ?? '');
      shown.keyboard = keyboardOf(p);
      return this.#asTelegramMessage(shown);
    }
    if (call.method === 'getMe') return BOT_INFO;
    return true;
  }

  /** A photo swapped in place, or a deleted message; undefined for any other method. */
  #answerMedia(call: ApiCall): unknown {
    const p = call.payload;
    const find = () =>
      this.messages.find((m) => m.chatId === Number(p.chat_id) && m.messageId === p.message_id);
    if (call.method === 'editMessageMedia') {
      const shown = find();
      if (!shown) return true;
      shown.text = String((p.media as { caption?: string } | undefined)?.caption ?? '');
      shown.keyboard = keyboardOf(p);
      shown.photo = true;
      return this.#asTelegramMessage(shown);
    }
    if (call.method === 'deleteMessage') {
      const shown = find();
      if (shown) this.messages.splice(this.messages.indexOf(shown), 1);
      return true;
    }
    return undefined;
  }

  #chatOf(chatId: number): Chat {
    return this.#sharedChats.get(chatId) ?? { id: chatId, type: 'private', first_name: 'user' };
  }

  #asTelegramMessage(shown: ChatMessage): Message {
    if (shown.photo) {
      return {
        message_id: shown.messageId,
        date: this.#unixNow(),
        chat: this.#chatOf(shown.chatId),
        from: BOT_INFO,
        photo: [
          {
            file_id: `photo-${shown.messageId}`,
            file_unique_id: `u${shown.messageId}`,
            width: 90,
            height: 90,
          },
        ],
        caption: shown.text,
        ...(shown.keyboard.length > 0 ? { reply_markup: { inline_keyboard: shown.keyboard } } : {}),
      } as Message;
    }
    return {
      message_id: shown.messageId,
      date: this.#unixNow(),
      chat: this.#chatOf(shown.chatId),
      from: BOT_INFO,
      text: shown.text,
      ...(shown.keyboard.length > 0 ? { reply_markup: { inline_keyboard: shown.keyboard } } : {}),
    } as Message;
  }
}

function keyboardOf(payload: Record<string, unknown>): InlineKeyboardButton[][] {
  const markup = payload.reply_markup as InlineKeyboardMarkup | undefined;
  return markup?.inline_keyboard ?? [];
}

export function callbackDataOf(call: ApiCall): string[] {
  return keyboardOf(call.payload)
    .flat()
    .flatMap((b) => ('callback_data' in b ? [b.callback_data] : []));
}

/** The text shown by a call (message text or caption). */
export function textOf(call: ApiCall | undefined): string {
  if (!call) throw new Error('No call');
  if (call.method === 'editMessageMedia')
    return String((call.payload.media as { caption?: string }).caption ?? '');
  const field = TEXT_METHODS[call.method] ?? 'text';
  return String(call.payload[field] ?? '');
}

/** Button labels of a call's keyboard, row by row. */
export function buttonLabels(call: ApiCall | undefined): string[][] {
  if (!call) throw new Error('No call');
  return keyboardOf(call.payload).map((row) => row.map((b) => b.text));
}
