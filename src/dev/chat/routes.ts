// The chat page and its API, on the public server but answered only to this machine:
//   GET  /dev/chat                      the page (./page/), GET /dev/chat/assets/<file> its script and style
//   GET  /dev/chat/api/people           the identities, the bot, the payment simulator's page
//   GET  /dev/chat/api/chat?user&since  a person's chat once it changed after `since` (long poll)
//   POST /dev/chat/api/send             {user, text}: the person types
//   POST /dev/chat/api/press            {user, messageId, data}: the person presses a button
//   POST /dev/chat/api/upload?user&kind&name&type   raw bytes: the person sends a photo or a document
//   POST /dev/chat/api/launch           {user, url}: a Mini App launch URL signed with the double's token
//   GET  /dev/chat/files/<fileId>       a photo or document of a chat, as Telegram would serve it
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { InlineKeyboardButton } from 'grammy/types';
import { safeDownloadType } from '../../domain/index.ts';
import { errorBody, jsonErrorHandler } from '../../http/errors.ts';
import { DOWNLOAD_CSP } from '../../http/security.ts';
import { signInitData } from '../../http/telegram-auth.ts';
import {
  type ChatMessage,
  FAKE_BOT_INFO,
  FAKE_BOT_TOKEN,
  type FakeTelegram,
} from '../telegram/fake-telegram.ts';
import { IDENTITIES, identity } from './identities.ts';

export interface ChatRoutesOptions {
  telegram: FakeTelegram;
  /** Settled once the bot has published its menus: the chat waits for it, so ☰ is never empty. */
  menusPublished: Promise<void>;
  /** The NOWPayments simulator's page (with its token), when payments go to it. */
  simulatorPage?: string;
}

const PAGE_DIR = new URL('./page/', import.meta.url);
const ASSETS: Readonly<Record<string, string>> = {
  'chat.js': 'text/javascript; charset=utf-8',
  'words.js': 'text/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
};
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
const LONG_POLL_MS = 25_000;
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024; // what the Bot API lets a bot download

/**
 * Only this machine: the socket's peer is loopback and no proxy speaks for someone else (behind
 * a reverse proxy on this host every visitor would otherwise come from 127.0.0.1).
 */
export function fromThisMachine(request: FastifyRequest): boolean {
  const peer = (request.raw.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const loopback = peer === '::1' || (isIP(peer) === 4 && peer.startsWith('127.'));
  const { headers } = request;
  return loopback && !headers['x-forwarded-for'] && !headers.forwarded && !headers['x-real-ip'];
}

const userId = { type: 'integer', minimum: 1 } as const;

export const chatRoutes: FastifyPluginAsync<ChatRoutesOptions> = async (
  app,
  { telegram, menusPublished, simulatorPage },
) => {
  const page = await readFile(new URL('chat.html', PAGE_DIR));
  const assets = new Map<string, Buffer>();
  for (const name of Object.keys(ASSETS)) assets.set(name, await readFile(new URL(name, PAGE_DIR)));
  app.setErrorHandler(jsonErrorHandler);
  // Long polls would hold the server's close for their full wait.
  app.addHook('preClose', async () => telegram.view.wakeAll());
  app.addHook('onRequest', async (request, reply) => {
    if (!fromThisMachine(request)) {
      return reply
        .code(403)
        .send(errorBody('forbidden', 'The local chat page answers only to this machine (loopback).'));
    }
  });
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
    (_request, body, done) => done(null, body),
  );

  const person = (id: number) => {
    const found = identity(id);
    if (!found) throw httpError(404, 'person_unknown', 'No such person on the local chat page.');
    return found.user;
  };

  app.get('/dev/chat', async (_request, reply) =>
    reply
      .header('content-security-policy', CSP)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(page),
  );
  app.get<{ Params: { name: string } }>('/dev/chat/assets/:name', async (request, reply) => {
    const body = assets.get(request.params.name);
    const type = ASSETS[request.params.name];
    if (!body || !type) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').type(type).send(body);
  });

  app.get('/dev/chat/api/people', async () => ({
    bot: { name: FAKE_BOT_INFO.first_name, username: FAKE_BOT_INFO.username },
    people: IDENTITIES.map(({ user, role }) => ({
      id: user.id,
      name: user.first_name,
      language: user.language_code,
      role,
    })),
    simulatorPage: simulatorPage ?? null,
  }));

  app.get<{ Querystring: { user: number; since?: number } }>(
    '/dev/chat/api/chat',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['user'],
          properties: { user: userId, since: { type: 'integer', minimum: 0 } },
        },
      },
    },
    async (request) => {
      const user = person(request.query.user);
      const since = request.query.since ?? 0;
      await menusPublished;
      await telegram.view.after(since, LONG_POLL_MS);
      const { view } = telegram;
      return {
        version: view.version,
        messages: telegram.chatOf(user.id).map(messageJson),
        alerts: view.alerts
          .filter((a) => a.chatId === user.id && a.version > since)
          .map(({ text, dialog }) => ({ text, dialog })),
        typing: view.typing.get(user.id) ?? null,
        commands: view.commandsFor(user.id, user.language_code),
      };
    },
  );

  app.post<{ Body: { user: number; text: string } }>(
    '/dev/chat/api/send',
    {
      schema: {
        body: {
          type: 'object',
          required: ['user', 'text'],
          properties: { user: userId, text: { type: 'string', minLength: 1, maxLength: 4096 } },
        },
      },
    },
    async (request, reply) => {
      await telegram.type(person(request.body.user), request.body.text);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { user: number; messageId: number; data: string } }>(
    '/dev/chat/api/press',
    {
      schema: {
        body: {
          type: 'object',
          required: ['user', 'messageId', 'data'],
          properties: {
            user: userId,
            messageId: { type: 'integer', minimum: 1 },
            data: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
      },
    },
    async (request, reply) => {
      const { user, messageId, data } = request.body;
      const presser = person(user);
      try {
        await telegram.pressOn(presser, messageId, data);
      } catch {
        throw httpError(409, 'button_gone', 'That button is no longer on the message.');
      }
      return reply.code(204).send();
    },
  );

  app.post<{
    Querystring: { user: number; kind: 'photo' | 'document'; name: string; type?: string };
    Body: Buffer;
  }>(
    '/dev/chat/api/upload',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['user', 'kind', 'name'],
          properties: {
            user: userId,
            kind: { type: 'string', enum: ['photo', 'document'] },
            name: { type: 'string', minLength: 1, maxLength: 255 },
            type: { type: 'string', maxLength: 255 },
          },
        },
      },
    },
    async (request, reply) => {
      const { user, kind, name, type } = request.query;
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        return reply.code(400).send(errorBody('empty_file', 'Send the file as application/octet-stream.'));
      }
      const sender = person(user);
      if (kind === 'photo') await telegram.sendPhoto(sender, { name, body });
      else await telegram.sendDocument(sender, { name, mimeType: type || 'application/octet-stream', body });
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { user: number; url: string } }>(
    '/dev/chat/api/launch',
    {
      schema: {
        body: {
          type: 'object',
          required: ['user', 'url'],
          properties: { user: userId, url: { type: 'string', maxLength: 2048 } },
        },
      },
    },
    async (request) => {
      const { user, url } = request.body;
      const opener = person(user);
      // Signed as Telegram signs a Mini App launch, with the token of the bot the page talks to.
      const initData = signInitData(
        {
          auth_date: String(Math.floor(Date.now() / 1000)),
          query_id: `local${Date.now()}`,
          user: JSON.stringify({
            id: opener.id,
            first_name: opener.first_name,
            language_code: opener.language_code,
          }),
        },
        FAKE_BOT_TOKEN,
      );
      const launch = new URLSearchParams({
        tgWebAppData: initData,
        tgWebAppVersion: '8.0',
        tgWebAppPlatform: 'web',
      });
      return { url: `${url.split('#')[0]}#${launch.toString()}` };
    },
  );

  app.get<{ Params: { fileId: string } }>('/dev/chat/files/:fileId', async (request, reply) => {
    const file = telegram.file(request.params.fileId);
    if (!file) return reply.callNotFound();
    const name = file.name ?? request.params.fileId;
    const image = imageType(file.body);
    return reply
      .header('content-security-policy', DOWNLOAD_CSP)
      .header(
        'content-disposition',
        `${image ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name)}`,
      )
      .type(image ?? safeDownloadType(file.mimeType ?? 'application/octet-stream'))
      .send(file.body);
  });
};

/** A refusal the JSON error handler answers with its status and code. */
function httpError(statusCode: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { statusCode, code });
}

/** A picture's type from its first bytes (PNG charts and QR codes, JPEG photos), shown inline. */
function imageType(body: Buffer): string | undefined {
  if (body.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return 'image/png';
  if (body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  return undefined;
}

type ButtonJson =
  | { text: string; kind: 'callback'; data: string }
  | { text: string; kind: 'url' | 'web_app'; url: string }
  | { text: string; kind: 'copy'; copy: string }
  | { text: string; kind: 'other' };

function buttonJson(button: InlineKeyboardButton): ButtonJson {
  const { text } = button;
  if ('callback_data' in button && button.callback_data)
    return { text, kind: 'callback', data: button.callback_data };
  if ('url' in button && button.url) return { text, kind: 'url', url: button.url };
  if ('web_app' in button && button.web_app) return { text, kind: 'web_app', url: button.web_app.url };
  if ('copy_text' in button && button.copy_text) return { text, kind: 'copy', copy: button.copy_text.text };
  return { text, kind: 'other' };
}

function messageJson(message: ChatMessage) {
  return {
    id: message.messageId,
    sender: message.sender ?? 'bot',
    text: message.text,
    date: message.date,
    edited: message.edited === true,
    keyboard: message.keyboard.map((row) => row.map(buttonJson)),
    media: message.media
      ? {
          kind: message.media.kind,
          url: `/dev/chat/files/${encodeURIComponent(message.media.fileId)}`,
          name: message.media.fileName,
          size: message.media.size,
        }
      : null,
  };
}
