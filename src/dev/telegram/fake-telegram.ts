// Telegram without Telegram, for the journey test and `npm run demo`: a grammY API transformer
// records every outgoing Bot API call and answers like Telegram (messages get ids, edits apply
// in place), a local HTTP server plays Telegram's file server for documents users send, and
// helpers let a user type, send a file or press a button they can see. Each step is written
// to a transcript. No token, no network. In strict mode (the default; option `strict: false` or
// TELEGRAM_STRICT=0 turns it off) each call is first judged by the Bot API's rules (./strict.ts)
// and refused as Telegram would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bot, Context } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User } from 'grammy/types';
import { formatSize } from '../../bot/ui/format.ts';
import { FAKE_BOT_INFO, FAKE_BOT_TOKEN } from './bot-info.ts';
import { asTelegramMessage, type ChatMedia, ChatView, type StoredFile, storeMedia } from './chat-view.ts';
import { StrictTelegram } from './strict.ts';

/**
 * Every Telegram double (this one and the bot tests' harness) follows the Bot API's rules unless
 * TELEGRAM_STRICT=0, to see whether a failure comes from a rule (the lenient double accepts all).
 */
export const STRICT_BY_DEFAULT = process.env.TELEGRAM_STRICT !== '0';

export interface FakeTelegramOptions {
  /** Refuse what the real Bot API refuses. Default: on, unless TELEGRAM_STRICT=0. */
  strict?: boolean;
  /** The chats' clock in milliseconds (message dates, the 48 h limit of deleteMessage). */
  now?: () => number;
}

export { FAKE_BOT_INFO, FAKE_BOT_TOKEN } from './bot-info.ts';

export type Role = 'seller' | 'buyer';

export interface TranscriptEntry {
  who: Role | 'bot→seller' | 'bot→buyer' | 'system';
  /** As sent: the bot's messages are HTML. */
  text: string;
  /** Inline keyboard labels, row by row (a URL button's label ends with ↗). */
  buttons?: string[][];
  /** How the bot showed it, when not a plain new message. */
  via?: 'edit' | 'photo' | 'alert' | 'document';
  file?: { name: string; size: number }; // the document the bot sent, if any
}

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

/** A message as the chat shows it now (edits applied). */
export interface ChatMessage {
  chatId: number;
  messageId: number;
  /** The bot's HTML, or what the user typed (sender 'user'). */
  text: string;
  keyboard: InlineKeyboardButton[][];
  photo: boolean;
  /** Absent: the bot sent it. */
  sender?: 'user';
  media?: ChatMedia;
  /** Unix ms. */
  date: number;
  edited?: true;
  deleted?: true;
}

/** Methods that put text on the screen, and the payload field holding it. */
const TEXT_FIELDS: Record<string, string> = {
  sendMessage: 'text',
  editMessageText: 'text',
  sendPhoto: 'caption',
  sendDocument: 'caption',
  editMessageCaption: 'caption',
  editMessageMedia: 'caption',
};
/** How the transcript tells a new message that is not plain text. */
const SHOWN_AS: Record<string, TranscriptEntry['via']> = { sendPhoto: 'photo', sendDocument: 'document' };

export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  readonly transcript: TranscriptEntry[] = [];
  /** The Bot API's rules and the chats' state, in strict mode (block users through it). */
  readonly strict: StrictTelegram | undefined;
  readonly #now: () => number;
  readonly #roles = new Map<number, Role>();
  /** callback_query id → who pressed, so the bot's alert is attributed to them. */
  readonly #pressedBy = new Map<string, Role>();
  readonly #messages: ChatMessage[] = [];
  /** file_id → the bytes "uploaded to Telegram" and where the file server serves them. */
  readonly #files = new Map<string, StoredFile>();
  /** Alerts, typing, the command menu and a change counter, for the chat page. */
  readonly view = new ChatView();
  /** callback_query id → the chat of the pressed message. */
  readonly #pressedIn = new Map<string, number>();
  #bot: Bot<Context> | undefined;
  #fileServer: Server | undefined;
  #nextMessageId = 1;
  #nextUpdateId = 1;

  constructor(options: FakeTelegramOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.strict = (options.strict ?? STRICT_BY_DEFAULT) ? new StrictTelegram({ now: this.#now }) : undefined;
  }

  /** Starts the local file server; its base URL goes to createBot's `telegramFileBaseUrl`. */
  async start(): Promise<string> {
    const prefix = `/file/bot${FAKE_BOT_TOKEN}/`;
    const server = createServer((req, res) => {
      const path = req.url?.startsWith(prefix) ? req.url.slice(prefix.length) : undefined;
      const file = [...this.#files.values()].find((f) => f.path === path);
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': file.body.length }).end(file.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#fileServer = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.#fileServer;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Routes every API call of `bot` here (installed last, so it answers instead of Telegram). */
  attach<C extends Context>(bot: Bot<C>, roles: ReadonlyMap<number, Role>): void {
    for (const [id, role] of roles) this.#roles.set(id, role);
    this.#bot = bot as unknown as Bot<Context>;
    bot.api.config.use(async (_previous, method, payload) => {
      const call = { method, payload: (payload ?? {}) as Record<string, unknown> };
      this.calls.push(call);
      const verdict = this.strict?.check(method, call.payload);
      if (verdict && !verdict.ok) {
        this.note(`Telegram refused ${method}: ${verdict.description}`);
        return verdict as never;
      }
      const media = await storeMedia(call, this.#files);
      this.#record(call, media);
      const result = this.#answer(call, media);
      this.view.changed();
      this.strict?.record(method, call.payload, (result as Partial<Message> | undefined)?.message_id);
      return { ok: true, result } as never;
    });
  }

  /** A line of what happened outside the chat (payment provider, HTTP downloads…). */
  note(text: string): void {
    this.transcript.push({ who: 'system', text });
  }

  /** The user types `text` (a command or anything else). */
  async type(user: User, text: string): Promise<ApiCall[]> {
    this.#said(user, text);
    const command = /^\/\w+/.exec(text);
    return this.#feed({
      message: {
        ...this.#incoming(user, { text }),
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      } as Update['message'],
    });
  }

  /** The user sends a file as a document: it is "uploaded to Telegram" first. */
  async sendDocument(user: User, file: { name: string; mimeType: string; body: Buffer }): Promise<ApiCall[]> {
    const fileId = `doc${this.#files.size + 1}`;
    this.#files.set(fileId, {
      path: `documents/${fileId}`,
      body: file.body,
      name: file.name,
      mimeType: file.mimeType,
    });
    this.#said(user, `📎 ${file.name} (${formatSize('en', file.body.length)})`);
    const media = { kind: 'document' as const, fileId, fileName: file.name, size: file.body.length };
    return this.#feed({
      message: {
        ...this.#incoming(user, { text: '', media }),
        document: {
          file_id: fileId,
          file_unique_id: `u${fileId}`,
          file_name: file.name,
          mime_type: file.mimeType,
          file_size: file.body.length,
        },
      } as Update['message'],
    });
  }

  /** The user sends a picture (as Telegram compresses one: a photo, not a document). */
  async sendPhoto(user: User, file: { name: string; body: Buffer; caption?: string }): Promise<ApiCall[]> {
    const fileId = `photo${this.#files.size + 1}`;
    this.#files.set(fileId, {
      path: `photos/${fileId}`,
      body: file.body,
      name: file.name,
      mimeType: 'image/jpeg',
    });
    this.#said(user, `🖼 ${file.name} (${formatSize('en', file.body.length)})`);
    const caption = file.caption ?? '';
    const media = { kind: 'photo' as const, fileId, fileName: file.name, size: file.body.length };
    return this.#feed({
      message: {
        ...this.#incoming(user, { text: caption, media }),
        photo: [
          {
            file_id: fileId,
            file_unique_id: `u${fileId}`,
            width: 800,
            height: 800,
            file_size: file.body.length,
          },
        ],
        ...(caption ? { caption } : {}),
      } as Update['message'],
    });
  }

  /** The user presses the button carrying `data` on message `messageId` of their chat (the chat page). */
  async pressOn(user: User, messageId: number, data: string): Promise<ApiCall[]> {
    const message = this.#messages.find(
      (m) => m.chatId === user.id && m.messageId === messageId && !m.deleted,
    );
    const button = message?.keyboard.flat().find((b) => 'callback_data' in b && b.callback_data === data);
    if (!message || !button) throw new Error(`No button ${data} on message ${messageId} of chat ${user.id}`);
    return this.#pressButton(user, message, button);
  }

  /** The chat as the user sees it now (edits applied, deletions gone). */
  chatOf(chatId: number): ChatMessage[] {
    return this.#messages.filter((m) => m.chatId === chatId && !m.deleted);
  }

  /** A file in "Telegram", sent by a user or by the bot. */
  file(fileId: string): StoredFile | undefined {
    return this.#files.get(fileId);
  }

  /** The user presses the button whose label matches, on the newest message of theirs showing one. */
  async press(user: User, label: RegExp): Promise<ApiCall[]> {
    const found = this.findButton(user.id, label);
    return this.#pressButton(user, found.message, found.button);
  }

  #pressButton(user: User, message: ChatMessage, button: InlineKeyboardButton): Promise<ApiCall[]> {
    if (!('callback_data' in button)) {
      throw new Error(`"${button.text}" opens a URL; use urlOf()`);
    }
    this.#said(user, `[${button.text}]`);
    const queryId = `q${this.#nextUpdateId}`;
    this.#pressedBy.set(queryId, this.#roles.get(user.id) ?? 'buyer');
    this.#pressedIn.set(queryId, message.chatId);
    return this.#feed({
      callback_query: {
        id: queryId,
        from: user,
        chat_instance: `ci${user.id}`,
        data: button.callback_data,
        message: this.#asMessage(message),
      },
    });
  }

  /** The URL of a link button the user can see. */
  urlOf(userId: number, label: RegExp): string {
    const { button } = this.findButton(userId, label);
    if (!('url' in button) || !button.url) throw new Error(`"${button.text}" is not a link`);
    return button.url;
  }

  findButton(userId: number, label: RegExp): { message: ChatMessage; button: InlineKeyboardButton } {
    const chat = this.#messages.filter((m) => m.chatId === userId);
    for (const message of chat.toReversed()) {
      const button = message.keyboard.flat().find((b) => label.test(b.text));
      if (button) return { message, button };
    }
    const visible =
      chat
        .at(-1)
        ?.keyboard.flat()
        .map((b) => b.text) ?? [];
    throw new Error(
      `No button matching ${label} in chat ${userId}; the last message shows [${visible.join('] [')}]`,
    );
  }

  /** Calls that put text in `chatId`'s chat, in order. */
  shownTo(chatId: number): ApiCall[] {
    return this.calls.filter((c) => c.method in TEXT_FIELDS && Number(c.payload.chat_id) === chatId);
  }

  #said(user: User, text: string): void {
    this.transcript.push({ who: this.#roles.get(user.id) ?? 'buyer', text });
  }

  /** A user's message: numbered, and shown in their chat. */
  #incoming(user: User, shown: { text: string; media?: ChatMedia }) {
    const messageId = this.#nextMessageId++;
    this.strict?.userMessage(user.id, messageId);
    this.#messages.push({
      chatId: user.id,
      messageId,
      keyboard: [],
      photo: shown.media?.kind === 'photo',
      sender: 'user',
      date: this.#now(),
      ...shown,
    });
    this.view.changed();
    return {
      message_id: messageId,
      date: Math.floor(this.#now() / 1000),
      chat: { id: user.id, type: 'private', first_name: user.first_name },
      from: user,
    };
  }

  async #feed(update: Omit<Update, 'update_id'>): Promise<ApiCall[]> {
    if (!this.#bot) throw new Error('attach() the bot first');
    const before = this.calls.length;
    await this.#bot.handleUpdate({ update_id: this.#nextUpdateId++, ...update } as Update);
    return this.calls.slice(before);
  }

  #record(call: ApiCall, media: ChatMedia | undefined): void {
    const p = call.payload;
    if (call.method === 'answerCallbackQuery') {
      if (!p.text) return;
      const role = this.#pressedBy.get(String(p.callback_query_id));
      this.transcript.push({
        who: role === 'seller' ? 'bot→seller' : 'bot→buyer',
        text: String(p.text),
        via: 'alert',
      });
      return;
    }
    const field = TEXT_FIELDS[call.method];
    if (!field) return;
    const role = this.#roles.get(Number(p.chat_id));
    const text =
      call.method === 'editMessageMedia'
        ? String((p.media as { caption?: string } | undefined)?.caption ?? '')
        : String(p[field] ?? '');
    const buttons = keyboardOf(p).map((row) => row.map((b) => ('url' in b ? `${b.text} ↗` : b.text)));
    const via = call.method.startsWith('edit') ? 'edit' : SHOWN_AS[call.method];
    this.transcript.push({
      who: role === 'seller' ? 'bot→seller' : 'bot→buyer',
      text,
      ...(buttons.length > 0 ? { buttons } : {}),
      ...(via ? { via } : {}),
      ...(media?.kind === 'document' ? { file: { name: media.fileName, size: media.size } } : {}),
    });
  }

  #answer(call: ApiCall, media: ChatMedia | undefined): unknown {
    const p = call.payload;
    if (this.view.record(call, (queryId) => this.#pressedIn.get(queryId))) return true;
    if (call.method === 'deleteMessage' || call.method === 'deleteMessages') {
      const ids = call.method === 'deleteMessage' ? [p.message_id] : ((p.message_ids as unknown[]) ?? []);
      for (const m of this.#messages) {
        if (m.chatId === Number(p.chat_id) && ids.includes(m.messageId)) m.deleted = true;
      }
      return true;
    }
    if (call.method === 'getMe') return FAKE_BOT_INFO;
    if (call.method === 'getFile') {
      const file = this.#files.get(String(p.file_id));
      return {
        file_id: p.file_id,
        file_unique_id: `u${String(p.file_id)}`,
        file_size: file?.body.length,
        file_path: file?.path,
      };
    }
    const field = TEXT_FIELDS[call.method];
    if (!field) return true;
    const find = () =>
      this.#messages.find((m) => m.chatId === Number(p.chat_id) && m.messageId === p.message_id);
    if (call.method.startsWith('send')) {
      this.view.typing.delete(Number(p.chat_id));
      const shown: ChatMessage = {
        chatId: Number(p.chat_id),
        messageId: this.#nextMessageId++,
        text: String(p[field] ?? ''),
        keyboard: keyboardOf(p),
        photo: call.method === 'sendPhoto',
        date: this.#now(),
        ...(media ? { media } : {}),
      };
      this.#messages.push(shown);
      return this.#asMessage(shown);
    }
    const shown = find();
    if (!shown) return true;
    shown.text =
      call.method === 'editMessageMedia'
        ? String((p.media as { caption?: string } | undefined)?.caption ?? '')
        : String(p[field] ?? '');
    shown.keyboard = keyboardOf(p);
    shown.edited = true;
    if (call.method === 'editMessageMedia') shown.photo = true;
    if (media) shown.media = media;
    return this.#asMessage(shown);
  }

  #asMessage(shown: ChatMessage): Message {
    return asTelegramMessage(shown, this.#now());
  }
}

export function keyboardOf(payload: Record<string, unknown>): InlineKeyboardButton[][] {
  return (payload.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [];
}

/** The text a call showed (message text or caption). */
export function textOf(call: ApiCall | undefined): string {
  if (!call) return '';
  if (call.method === 'editMessageMedia')
    return String((call.payload.media as { caption?: string }).caption ?? '');
  return String(call.payload[TEXT_FIELDS[call.method] ?? 'text'] ?? '');
}
