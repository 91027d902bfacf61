// What a Telegram client shows around the messages of the local double (fake-telegram.ts), for
// the chat page (src/dev/chat): the files the bot sent (photos, documents, as bytes), the alerts
// of pressed buttons, "typing…", the command menu, and a version that moves on every change so a
// page can wait for the next one.
import type { InputFile } from 'grammy';
import type { BotCommand, Message } from 'grammy/types';
import { FAKE_BOT_INFO } from './bot-info.ts';
import type { ApiCall, ChatMessage } from './fake-telegram.ts';

/** A photo or document in a message, served by file id. */
export interface ChatMedia {
  kind: 'photo' | 'document';
  fileId: string;
  fileName: string;
  size: number;
}

/** A file "uploaded to Telegram": by a user (the bot downloads it) or by the bot (the page shows it). */
export interface StoredFile {
  path: string;
  body: Buffer;
  name?: string;
  mimeType?: string;
}

export interface ChatAlert {
  chatId: number;
  text: string;
  /** A dialog to close (show_alert), or a toast. */
  dialog: boolean;
  version: number;
}

/** Where each sending method carries its file. */
const MEDIA_FIELDS: Record<
  string,
  { kind: ChatMedia['kind']; read: (p: Record<string, unknown>) => unknown }
> = {
  sendPhoto: { kind: 'photo', read: (p) => p.photo },
  sendDocument: { kind: 'document', read: (p) => p.document },
  editMessageMedia: {
    kind: 'photo',
    read: (p) => (p.media as { media?: unknown } | undefined)?.media,
  },
};

export class ChatView {
  version = 0;
  readonly alerts: ChatAlert[] = [];
  /** chat id → the action the bot announced (sendChatAction), until its next message. */
  readonly typing = new Map<number, string>();
  /** language code ('' for the default) → the bot's command menu. */
  /** Menus by scope and language (`scope|language`), as setMyCommands set them. */
  readonly commands = new Map<string, BotCommand[]>();
  readonly #waiters = new Set<() => void>();
  #closing = false;

  changed(): void {
    this.version++;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  /** Answers every waiting page now, and from now on at once (the server is closing). */
  wakeAll(): void {
    this.#closing = true;
    this.changed();
  }

  /** Resolves once the version passes `since`, or after `timeoutMs`. */
  async after(since: number, timeoutMs: number): Promise<void> {
    if (this.version > since || this.#closing) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.#waiters;
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }

  /** What the chat shows besides messages: alerts, typing, menus. Returns true when the call was one. */
  record(call: ApiCall, chatOfQuery: (queryId: string) => number | undefined): boolean {
    const p = call.payload;
    if (call.method === 'answerCallbackQuery') {
      const chatId = chatOfQuery(String(p.callback_query_id));
      if (p.text && chatId !== undefined) {
        this.alerts.push({
          chatId,
          text: String(p.text),
          dialog: p.show_alert === true,
          version: this.version + 1,
        });
        this.changed();
      }
      return true;
    }
    if (call.method === 'sendChatAction') {
      this.typing.set(Number(p.chat_id), String(p.action));
      this.changed();
      return true;
    }
    if (call.method === 'setMyCommands') {
      this.commands.set(
        `${scopeKey(p.scope)}|${String(p.language_code ?? '')}`,
        (p.commands as BotCommand[] | undefined) ?? [],
      );
      this.changed();
      return true;
    }
    return false;
  }

  /**
   * The menu Telegram shows in a user's private chat: the narrowest scope that has one (their
   * chat, then all private chats, then the default), in their language, else without one.
   */
  commandsFor(userId: number, language: string | undefined): BotCommand[] {
    for (const scope of [`chat:${userId}`, 'all_private_chats', 'default']) {
      const menu = this.commands.get(`${scope}|${language ?? ''}`) ?? this.commands.get(`${scope}|`);
      if (menu) return menu;
    }
    return [];
  }
}

/**
 * The file a sending call carries, stored under a new file id as Telegram would (InputFile
 * bytes are read here, since nothing goes to Telegram), or the stored file a file id names.
 */
export async function storeMedia(
  call: ApiCall,
  files: Map<string, StoredFile>,
): Promise<ChatMedia | undefined> {
  const field = MEDIA_FIELDS[call.method];
  const value = field?.read(call.payload);
  if (!field || value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const known = files.get(value);
    return { kind: field.kind, fileId: value, fileName: known?.name ?? value, size: known?.body.length ?? 0 };
  }
  const input = value as InputFile;
  const raw = await input.toRaw();
  const chunks: Uint8Array[] = [];
  if (raw instanceof Uint8Array) chunks.push(raw);
  else for await (const chunk of raw) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const fileId = `bot${field.kind}${files.size + 1}`;
  const name = input.filename ?? (field.kind === 'photo' ? 'photo.jpg' : 'file');
  files.set(fileId, { path: `${field.kind}s/${fileId}`, body, name });
  return { kind: field.kind, fileId, fileName: name, size: body.length };
}

/** A shown message as the Bot API returns it to the bot. */
export function asTelegramMessage(shown: ChatMessage, nowMs: number): Message {
  const common = {
    message_id: shown.messageId,
    date: Math.floor(nowMs / 1000),
    chat: { id: shown.chatId, type: 'private', first_name: 'user' },
    from: FAKE_BOT_INFO,
    ...(shown.keyboard.length > 0 ? { reply_markup: { inline_keyboard: shown.keyboard } } : {}),
  };
  return (
    shown.photo
      ? {
          ...common,
          photo: [
            {
              file_id: shown.media?.fileId ?? `p${shown.messageId}`,
              file_unique_id: `u${shown.media?.fileId ?? `p${shown.messageId}`}`,
              width: 90,
              height: 90,
            },
          ],
          caption: shown.text,
        }
      : { ...common, text: shown.text }
  ) as Message;
}

/** A BotCommandScope as a key: `chat:<id>` for one chat, else its type (`default` when absent). */
function scopeKey(scope: unknown): string {
  const { type, chat_id: chatId } = (scope ?? {}) as { type?: string; chat_id?: unknown };
  return type === 'chat' ? `chat:${String(chatId)}` : (type ?? 'default');
}
