// The Bot API's rules, for the strict mode of our Telegram doubles: given a method, its payload
// and what the chats hold, Telegram's answer (ok, or its error with the exact description real
// bots receive). No I/O: `checkCall` is pure, and `StrictTelegram` only keeps the chats' state
// (messages, blocked users, answered presses, a clock) between calls.
//
// Sources: https://core.telegram.org/bots/api (sendMessage, formatting options, deleteMessage,
// answerCallbackQuery, InlineKeyboardButton) and the texts of tdlib/telegram-bot-api and TDLib,
// which produce these descriptions.
import { checkKeyboard, markupKey } from './keyboard-rules.ts';
import { type ParsedText, parseTelegramHtml } from './telegram-html.ts';

export const LIMITS = {
  /** UTF-16 code units of visible text, after entity parsing. */
  text: 4096,
  caption: 1024,
  /** Bytes of UTF-8. */
  callbackData: 64,
  alert: 200,
  /** A message can be deleted only if it was sent less than 48 hours ago. */
  deleteAgeSeconds: 48 * 3600,
} as const;

export interface TelegramRefusal {
  ok: false;
  error_code: number;
  description: string;
}

export type Verdict = { ok: true } | TelegramRefusal;

/** What a message is: the bot's text or media, or one the user sent. */
export type MessageKind =
  | 'text'
  | 'photo'
  | 'document'
  | 'video'
  | 'audio'
  | 'animation'
  | 'voice'
  | 'incoming';

export interface StoredMessage {
  kind: MessageKind;
  /** Text or caption as Telegram keeps it (entities parsed), and its entities. */
  text: string;
  entities: readonly string[];
  /** The inline keyboard in a canonical form, '' for none. */
  markup: string;
  /** The file_id the media was sent with, when it was sent by id. */
  media?: string;
  /** Unix time, seconds. */
  date: number;
}

export type ClosedReason = 'blocked' | 'deactivated';

export interface TelegramState {
  /** Unix time, seconds. */
  now: number;
  /** Users who blocked the bot or deleted their account, by chat id. */
  closed: ReadonlyMap<number, ClosedReason>;
  /** By `messageKey(chatId, messageId)`. */
  messages: ReadonlyMap<string, StoredMessage>;
  answeredQueries: ReadonlySet<string>;
}

export const messageKey = (chatId: number, messageId: number) => `${chatId}:${messageId}`;

const OK: Verdict = { ok: true };
export const badRequest = (reason: string): TelegramRefusal => ({
  ok: false,
  error_code: 400,
  description: `Bad Request: ${reason}`,
});
const forbidden = (reason: string): TelegramRefusal => ({
  ok: false,
  error_code: 403,
  description: `Forbidden: ${reason}`,
});

const NOT_MODIFIED = badRequest(
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
);

const CLOSED: Record<ClosedReason, TelegramRefusal> = {
  blocked: forbidden('bot was blocked by the user'),
  deactivated: forbidden('user is deactivated'),
};

/** The kind of message each sending method creates. */
const SENT_KIND: Record<string, MessageKind> = {
  sendMessage: 'text',
  sendPhoto: 'photo',
  sendDocument: 'document',
  sendVideo: 'video',
  sendAudio: 'audio',
  sendAnimation: 'animation',
  sendVoice: 'voice',
};
/** Kinds editMessageMedia can replace (TDLib). */
const EDITABLE_MEDIA = new Set<MessageKind>(['animation', 'audio', 'document', 'photo', 'video']);

type Payload = Record<string, unknown>;
type Read<T> = { ok: true; value: T } | TelegramRefusal;

/** Telegram's answer to `method` with `payload`, before it changes anything. */
export function checkCall(method: string, payload: Payload, state: TelegramState): Verdict {
  const kind = SENT_KIND[method];
  if (kind) return checkSend(kind, payload, state);
  switch (method) {
    case 'editMessageText':
    case 'editMessageCaption':
    case 'editMessageMedia':
    case 'editMessageReplyMarkup':
      return checkEdit(method, payload, state);
    case 'deleteMessage':
      return checkDelete(payload, state);
    case 'answerCallbackQuery':
      return checkAnswer(payload, state);
    default:
      // Any other send (a chat action, an album…), a copy or a forward reaches the user too.
      return (/^(send|copyMessage|forwardMessage)/.test(method) && closedChat(payload, state)) || OK;
  }
}

function checkSend(kind: MessageKind, payload: Payload, state: TelegramState): Verdict {
  const content = readContent(kind, payload);
  if (!content.ok) return content;
  return checkKeyboard(payload.reply_markup) ?? closedChat(payload, state) ?? OK;
}

function checkEdit(method: string, payload: Payload, state: TelegramState): Verdict {
  const target = state.messages.get(messageKey(Number(payload.chat_id), Number(payload.message_id)));
  const content = editedContent(method, payload, target);
  if (!content.ok) return content;
  if (payload.inline_message_id !== undefined) return checkKeyboard(payload.reply_markup) ?? OK;
  if (!target) return badRequest('message to edit not found');
  if (target.kind === 'incoming') return badRequest("message can't be edited");
  if (method === 'editMessageText' && target.kind !== 'text') {
    return badRequest('there is no text in the message to edit');
  }
  if (method === 'editMessageCaption' && target.kind === 'text') {
    return badRequest('there is no caption in the message to edit');
  }
  if (method === 'editMessageMedia' && !EDITABLE_MEDIA.has(target.kind)) {
    return badRequest('there is no media in the message to edit');
  }
  const refused = checkKeyboard(payload.reply_markup);
  if (refused) return refused;
  const edited = applyEdit(target, content.value, payload);
  // New media is a change unless it is the very file already shown (same file_id).
  const sameMedia =
    method !== 'editMessageMedia' ||
    (edited.media !== undefined && edited.media === target.media && edited.kind === target.kind);
  const unchanged =
    sameMedia &&
    edited.text === target.text &&
    edited.entities.join() === target.entities.join() &&
    edited.markup === target.markup;
  return unchanged ? NOT_MODIFIED : OK;
}

function checkDelete(payload: Payload, state: TelegramState): Verdict {
  const target = state.messages.get(messageKey(Number(payload.chat_id), Number(payload.message_id)));
  if (!target) return badRequest('message to delete not found');
  if (state.now - target.date >= LIMITS.deleteAgeSeconds) {
    return badRequest("message can't be deleted for everyone");
  }
  return OK;
}

function checkAnswer(payload: Payload, state: TelegramState): Verdict {
  const text = payload.text === undefined ? '' : String(payload.text);
  if (!text.isWellFormed()) return badRequest('strings must be encoded in UTF-8');
  if (state.answeredQueries.has(String(payload.callback_query_id))) {
    return badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  if (text.length > LIMITS.alert) return badRequest('MESSAGE_TOO_LONG');
  return OK;
}

/** Sends to a user who blocked the bot or deleted their account answer 403. */
function closedChat(payload: Payload, state: TelegramState): TelegramRefusal | undefined {
  const reason = state.closed.get(Number(payload.chat_id));
  return reason ? CLOSED[reason] : undefined;
}

/** The text or caption a send shows, read and measured as Telegram does. */
function readContent(kind: MessageKind, payload: Payload): Read<ParsedText> {
  if (kind === 'text') return readText(payload.text, payload.parse_mode, 'text');
  return readText(payload.caption, payload.parse_mode, 'caption');
}

/** The content an edit asks for: the new text or caption, with the new media's caption. */
function editedContent(
  method: string,
  payload: Payload,
  target: StoredMessage | undefined,
): Read<ParsedText> {
  switch (method) {
    case 'editMessageText':
      return readText(payload.text, payload.parse_mode, 'text');
    case 'editMessageCaption':
      return readText(payload.caption, payload.parse_mode, 'caption');
    case 'editMessageMedia': {
      const media = (payload.media ?? {}) as Payload;
      return readText(media.caption, media.parse_mode, 'caption');
    }
    default:
      return { ok: true, value: { text: target?.text ?? '', entities: target?.entities ?? [] } };
  }
}

/**
 * A text (required, up to 4096) or caption (optional, up to 1024), measured after entity parsing
 * in UTF-16 code units. Only the HTML parse mode (the one this project uses) is modelled.
 */
function readText(raw: unknown, parseMode: unknown, field: 'text' | 'caption'): Read<ParsedText> {
  const source = raw === undefined || raw === null ? '' : String(raw);
  if (field === 'text' && source === '') return badRequest('message text is empty');
  const mode = parseMode === undefined || parseMode === null ? '' : String(parseMode).toLowerCase();
  // Half an emoji: the entity parser says "text", the plain path (TDLib's fix_formatted_text) "strings".
  if (!source.isWellFormed()) {
    return badRequest(`${mode === 'html' ? 'text' : 'strings'} must be encoded in UTF-8`);
  }
  let parsed: ParsedText = { text: source, entities: [] };
  if (mode === 'html' && source !== '') {
    const result = parseTelegramHtml(source);
    if (!result.ok) return badRequest(`can't parse entities: ${result.error}`);
    parsed = result.parsed;
  } else if (mode !== '' && mode !== 'none') {
    throw new Error(`The strict Telegram double models parse_mode HTML only, not "${String(parseMode)}"`);
  }
  if (field === 'text' && parsed.text.trim() === '') return badRequest('text must be non-empty');
  const limit = field === 'text' ? LIMITS.text : LIMITS.caption;
  if (parsed.text.length > limit) {
    return badRequest(field === 'text' ? 'message is too long' : 'message caption is too long');
  }
  return { ok: true, value: parsed };
}

/** Inline keyboard buttons, checked in Telegram's order: Bot API, then TDLib, then the server. */
function applyEdit(target: StoredMessage, content: ParsedText, payload: Payload): StoredMessage {
  const markup = markupKey(payload.reply_markup);
  if (payload.media === undefined) return { ...target, ...content, markup };
  const media = payload.media as Payload;
  const kind = (EDITABLE_MEDIA.has(media.type as MessageKind) ? media.type : target.kind) as MessageKind;
  const file = typeof media.media === 'string' ? media.media : undefined;
  return { ...target, ...content, markup, kind, media: file };
}

/**
 * The chats as Telegram keeps them, for a double in strict mode: `check` a call before answering
 * it, `record` it once answered. The clock is injectable so tests can let 48 hours pass.
 */
export class StrictTelegram {
  readonly #closed = new Map<number, ClosedReason>();
  readonly #messages = new Map<string, StoredMessage>();
  readonly #answeredQueries = new Set<string>();
  readonly #now: () => number;

  /** `now` in milliseconds since the epoch, like Date.now. */
  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Unix time in seconds, by the double's clock. */
  nowSeconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** From now on every send to `userId` answers 403, as for a user who blocked the bot. */
  block(userId: number, reason: ClosedReason = 'blocked'): void {
    this.#closed.set(userId, reason);
  }

  unblock(userId: number): void {
    this.#closed.delete(userId);
  }

  message(chatId: number, messageId: number): StoredMessage | undefined {
    return this.#messages.get(messageKey(chatId, messageId));
  }

  /** A message the user sent in their chat with the bot (the bot may delete it, not edit it). */
  userMessage(chatId: number, messageId: number): void {
    this.#messages.set(messageKey(chatId, messageId), {
      kind: 'incoming',
      text: '',
      entities: [],
      markup: '',
      date: this.nowSeconds(),
    });
  }

  check(method: string, payload: Payload): Verdict {
    return checkCall(method, payload, {
      now: this.nowSeconds(),
      closed: this.#closed,
      messages: this.#messages,
      answeredQueries: this.#answeredQueries,
    });
  }

  /** What an answered call changed; `messageId` is the id the double gave a sent message. */
  record(method: string, payload: Payload, messageId?: number): void {
    const chatId = Number(payload.chat_id);
    const kind = SENT_KIND[method];
    if (kind && messageId !== undefined) {
      const content = readContent(kind, payload);
      if (!content.ok) return;
      // The media's payload field is named after it (photo, document…).
      const file = kind === 'text' ? undefined : payload[kind];
      this.#messages.set(messageKey(chatId, messageId), {
        kind,
        ...content.value,
        markup: markupKey(payload.reply_markup),
        ...(typeof file === 'string' ? { media: file } : {}),
        date: this.nowSeconds(),
      });
      return;
    }
    if (method === 'answerCallbackQuery') {
      this.#answeredQueries.add(String(payload.callback_query_id));
      return;
    }
    const key = messageKey(chatId, Number(payload.message_id));
    if (method === 'deleteMessage') {
      this.#messages.delete(key);
      return;
    }
    const target = this.#messages.get(key);
    if (!target || !method.startsWith('edit')) return;
    const content = editedContent(method, payload, target);
    if (content.ok) this.#messages.set(key, applyEdit(target, content.value, payload));
  }
}
