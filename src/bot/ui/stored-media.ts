// Stored files the bot sends (covers, previews, purchased files): uploaded from storage the first
// time, then sent by the file_id Telegram gave back, kept in PostgreSQL so every instance shares
// it. A file_id Telegram no longer accepts is dropped and the file uploaded again.
import type { Readable } from 'node:stream';
import { GrammyError, InputFile } from 'grammy';
import type { Message } from 'grammy/types';
import type { TelegramFileService } from '../../services/telegram-files.ts';

/** A stored file as the bot sends it: its id in our database, its name, its bytes streamed. */
export interface StoredMedia {
  storedFileId: number;
  fileName: string;
  open: () => Promise<Readable>;
}

export type FileIdCache = Pick<TelegramFileService, 'fileIdOf' | 'remember' | 'forget'>;

/** Telegram's answer to a file_id it does not (or no longer) know. */
function isRefusedFileId(error: unknown): boolean {
  return error instanceof GrammyError && /wrong (remote )?file (identifier|id)/i.test(error.description);
}

/** The upload of a stored file: read from storage only when grammY sends the request. */
export function uploadOf(media: StoredMedia): InputFile {
  return new InputFile(() => media.open(), media.fileName);
}

/** The file Telegram keeps for a sent message: the document, or the largest size of a photo. */
function sentFile(sent: Message | true): { file_id: string; file_unique_id: string } | undefined {
  if (sent === true) return undefined;
  return sent.document ?? sent.photo?.at(-1) ?? sent.audio ?? sent.video ?? sent.animation;
}

/**
 * Sends `media` with `send` (sendDocument, sendPhoto…): by its cached file_id when there is one,
 * else by upload, whose file_id is then cached. A refused cached id is forgotten, then uploaded.
 */
export async function sendStored<T extends Message | true>(
  cache: FileIdCache,
  media: StoredMedia,
  send: (file: InputFile | string) => Promise<T>,
): Promise<T> {
  const first = (await cache.fileIdOf(media.storedFileId)) ?? uploadOf(media);
  return sendCached(cache, media.storedFileId, first, async () => uploadOf(media), send);
}

/**
 * Sends `first` (a cached file_id of `storedFileId`, or its upload) with `send`. When Telegram
 * refuses the cached id, it is forgotten and `upload()` sent instead (null: the refusal stands);
 * an upload's file_id is cached for the next sends.
 */
export async function sendCached<T extends Message | true>(
  cache: FileIdCache,
  storedFileId: number,
  first: InputFile | string,
  upload: () => Promise<InputFile | null>,
  send: (file: InputFile | string) => Promise<T>,
): Promise<T> {
  let shown = first;
  let sent: T;
  try {
    sent = await send(first);
  } catch (error) {
    if (typeof first !== 'string' || !isRefusedFileId(error)) throw error;
    await cache.forget(storedFileId, first);
    const fresh = await upload();
    if (!fresh) throw error;
    shown = fresh;
    sent = await send(fresh);
  }
  const file = typeof shown === 'string' ? undefined : sentFile(sent);
  if (file) await cache.remember(storedFileId, file.file_id, file.file_unique_id);
  return sent;
}
