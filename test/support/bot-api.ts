// A Bot API server on a local port, for the app run whole (TELEGRAM_API_URL points here): it
// serves getMe, the webhook calls, long polling from a queue of updates with Telegram's offset
// rule (an update is forgotten once a later offset confirms it), and answers everything else
// with a message or true. Tests make it slow on a method, answer 409 to getUpdates, or keep a
// webhook registered by "another deployment".
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import type { Update, User } from 'grammy/types';

export interface BotApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** Set once the answer was written. */
  answered: boolean;
}

export const API_BOT_INFO = {
  id: 42,
  is_bot: true,
  first_name: 'Agora',
  username: 'agora_test_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

export class BotApiServer {
  readonly calls: BotApiCall[] = [];
  /** What getWebhookInfo reports; setWebhook and deleteWebhook change it. */
  webhookUrl = '';
  /** getUpdates answers 409 Conflict this many more times. */
  conflicts = 0;
  /** Answers to these methods wait this many milliseconds. */
  readonly slow = new Map<string, number>();
  #updates: Update[] = [];
  #nextUpdateId = 1;
  #nextMessageId = 1;
  #waiting: (() => void)[] = [];
  readonly #server = createServer((request, response) => void this.#serve(request, response));

  static async start(): Promise<BotApiServer> {
    const api = new BotApiServer();
    await new Promise<void>((resolve) => api.#server.listen(0, '127.0.0.1', resolve));
    after(() => api.close());
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The user types `text` in their private chat; the next getUpdates hands it out. */
  type(user: User, text: string): void {
    const command = /^\/\w+/.exec(text);
    this.#updates.push({
      update_id: this.#nextUpdateId++,
      message: {
        message_id: this.#nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        from: user,
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      },
    } as Update);
    for (const wake of this.#waiting.splice(0)) wake();
  }

  /** The calls to `method` so far. */
  callsTo(method: string): BotApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async close(): Promise<void> {
    for (const wake of this.#waiting.splice(0)) wake();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.url?.split('/').at(-1) ?? '';
    let body = '';
    for await (const chunk of request) body += chunk;
    const payload = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const call: BotApiCall = { method, payload, answered: false };
    this.calls.push(call);
    const answer = await this.#answer(method, payload);
    const delay = this.slow.get(method);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    if (response.destroyed) return;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(answer));
    call.answered = true;
  }

  async #answer(method: string, payload: Record<string, unknown>): Promise<unknown> {
    const ok = (result: unknown) => ({ ok: true, result });
    switch (method) {
      case 'getMe':
        return ok(API_BOT_INFO);
      case 'getWebhookInfo':
        return ok({ url: this.webhookUrl, has_custom_certificate: false, pending_update_count: 0 });
      case 'setWebhook':
        this.webhookUrl = String(payload.url);
        return ok(true);
      case 'deleteWebhook':
        this.webhookUrl = '';
        return ok(true);
      case 'getUpdates':
        return this.#getUpdates(payload);
      case 'sendMessage':
        return ok({
          message_id: this.#nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: payload.chat_id, type: 'private', first_name: 'user' },
          from: API_BOT_INFO,
          text: payload.text,
        });
      default:
        return ok(true);
    }
  }

  async #getUpdates(payload: Record<string, unknown>): Promise<unknown> {
    if (this.webhookUrl) {
      return {
        ok: false,
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active",
      };
    }
    if (this.conflicts > 0) {
      this.conflicts--;
      return {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      };
    }
    const offset = Number(payload.offset ?? 0);
    // Like Telegram: an offset confirms every update before it, which is then forgotten.
    this.#updates = this.#updates.filter((u) => u.update_id >= offset);
    if (this.#updates.length === 0) {
      // A short long poll keeps the tests quick; the runner simply asks again.
      await new Promise<void>((resolve) => {
        this.#waiting.push(resolve);
        setTimeout(resolve, 500);
      });
    }
    return { ok: true, result: this.#updates.slice(0, Number(payload.limit ?? 100)) };
  }
}
