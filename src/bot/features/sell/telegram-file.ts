// A file a seller sent in the chat, fetched from Telegram as a stream (never whole in memory)
// for the products service to store. The download URL carries the bot token: it is never
// logged or shown.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type Api, GrammyError, HttpError } from 'grammy';
import { AppError } from '../../../errors.ts';
import type { AttachResult, StoredFileKind } from '../../../services/product-files.ts';
import { checkContentType, InvalidArgumentError } from '../../../storage/index.ts';
import type { BotContext } from '../../context.ts';
import { attempt } from '../../refusals.ts';
import type { SellDeps } from './state.ts';

/** The Bot API lets a bot download files up to 20 MB. */
export const MAX_CHAT_FILE_BYTES = 20 * 1024 * 1024;
export const TELEGRAM_FILE_BASE_URL = 'https://api.telegram.org';

/** Telegram did not give us the file: the seller can send it again. */
export class TelegramDownloadError extends AppError {
  constructor(message: string) {
    super({ kind: 'unavailable', code: 'telegram_download_failed', message, public: false });
  }
}

/** Telegram will not hand the file to a bot (over 20 MB): it has to come through the upload page. */
export class TelegramFileTooBigError extends TelegramDownloadError {}

/** getFile, its refusals and network failures turned into a download error (the message names no token). */
async function fileInfo(api: Api, fileId: string) {
  try {
    return await api.getFile(fileId);
  } catch (error) {
    if (error instanceof GrammyError && /file is too big/i.test(error.description)) {
      throw new TelegramFileTooBigError('Telegram refused to give a bot this file: it is over 20 MB.');
    }
    if (error instanceof GrammyError || error instanceof HttpError) {
      throw new TelegramDownloadError(`Telegram getFile failed: ${error.message}`);
    }
    throw error;
  }
}

/** Telegram's mime type when it is a valid content type, else a generic binary type. */
export function chatContentType(mimeType: string | undefined): string {
  try {
    return checkContentType(mimeType ?? '');
  } catch (error) {
    if (error instanceof InvalidArgumentError) return 'application/octet-stream';
    throw error;
  }
}

export interface CopySource {
  api: Api;
  token: string;
  baseUrl: string;
}

/** getFile, then the bytes of `<base>/file/bot<token>/<path>` as a stream, with the size Telegram announced. */
export async function openChatFile(
  source: CopySource,
  fileId: string,
): Promise<{ body: Readable; size: number | undefined }> {
  const info = await fileInfo(source.api, fileId);
  if (!info.file_path) throw new TelegramDownloadError('Telegram gave no path for this file.');
  if (info.file_size !== undefined && info.file_size > MAX_CHAT_FILE_BYTES) {
    throw new TelegramFileTooBigError('The file is over the 20 MB the Bot API can download.');
  }
  const url = `${source.baseUrl.replace(/\/+$/, '')}/file/bot${source.token}/${info.file_path}`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new TelegramDownloadError(`Telegram file download failed: ${(error as Error).name}.`);
  }
  if (!response.ok || !response.body) {
    throw new TelegramDownloadError(`Telegram file download answered ${response.status}.`);
  }
  return { body: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), size: info.file_size };
}

/** The first `bytes` of a chat file (an image's header), the rest never fetched. */
export async function chatFileHead(source: CopySource, fileId: string, bytes: number): Promise<Buffer> {
  const { body } = await openChatFile(source, fileId);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= bytes) break;
    }
  } catch (error) {
    throw new TelegramDownloadError(`Telegram file download failed: ${(error as Error).name}.`);
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

export function chatFileSource(ctx: BotContext, deps: SellDeps): CopySource {
  return { api: ctx.api, token: deps.token, baseUrl: deps.fileBaseUrl ?? TELEGRAM_FILE_BASE_URL };
}

/** A file or photo the seller sent, as Telegram describes it. */
export interface ChatFile {
  fileId: string;
  fileName: string;
  contentType: string;
}

/**
 * Copies a chat file into storage as the product's file, cover or preview, and records it. A
 * refusal comes back as its message; a failed download or write too (logged), so the seller can
 * send the file again and nothing they typed is lost.
 */
export async function storeChatFile(
  ctx: BotContext,
  deps: SellDeps,
  productId: string,
  kind: StoredFileKind,
  file: ChatFile,
): Promise<{ ok: true; value: AttachResult } | { ok: false; message: string }> {
  const sellerId = ctx.from?.id ?? 0;
  const source = chatFileSource(ctx, deps);
  try {
    return await attempt(ctx, async () => {
      const { body, size } = await openChatFile(source, file.fileId);
      return deps.services.files.store(sellerId, productId, {
        kind,
        body,
        fileName: file.fileName,
        contentType: file.contentType,
        ...(size === undefined ? {} : { size }),
      });
    });
  } catch (error) {
    const storageFailed = error instanceof AppError && error.code === 'storage_unavailable';
    if (!(error instanceof TelegramDownloadError || storageFailed)) throw error;
    deps.log.warn(
      { err: { name: error.name, message: error.message }, userId: sellerId },
      'chat file not stored',
    );
    const message =
      error instanceof TelegramFileTooBigError
        ? ctx.t('sell-wizard-file-too-large')
        : ctx.t('sell-wizard-file-failed');
    return { ok: false, message };
  }
}
