// What a seller's message carries for a product: its file (a document, an audio file or a
// video, as Telegram files them) or an image (a photo, or a picture sent "as a file" so Telegram
// keeps it uncompressed). Albums arrive as one message per item: the first one is taken, the
// others are let go (`claimAlbum`, `isClaimedAlbum`).
import type { Message } from 'grammy/types';
import { check, checkPhotoDimensions, checkPhotoHeader, IMAGE_HEAD_BYTES } from '../../../domain/index.ts';
import { MAX_IMAGE_BYTES } from '../../../services/product-files.ts';
import type { BotContext } from '../../context.ts';
import { refusalText } from '../../refusals.ts';
import { clipped } from '../../ui/text.ts';
import { type SellDeps, sellSession } from './state.ts';
import {
  type ChatFile,
  chatContentType,
  chatFileHead,
  chatFileSource,
  MAX_CHAT_FILE_BYTES,
  TelegramDownloadError,
} from './telegram-file.ts';

const MAX_ORIGINAL_NAME = 255;

/** Types Telegram shows as photos; other images (GIF, SVG, HEIC) are refused as covers. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** A name for an audio file or video sent without one, from its type. */
const EXTENSIONS: Record<string, string> = {
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/ogg': 'ogg',
  'audio/flac': 'flac',
  'audio/x-wav': 'wav',
  'audio/wav': 'wav',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/x-matroska': 'mkv',
};

function fileName(name: string | undefined, fallback: string, mimeType: string | undefined): string {
  if (name) return clipped(name, MAX_ORIGINAL_NAME);
  const extension = EXTENSIONS[mimeType ?? ''];
  return extension ? `${fallback}.${extension}` : fallback;
}

/** The product file a message carries, or why it is not one (a text to show). */
export function productFileOf(ctx: BotContext, message: Message): ChatFile | string {
  const sent = message.document ?? message.audio ?? message.video;
  if (!sent) return ctx.t('sell-wizard-file-expected');
  if ((sent.file_size ?? 0) > MAX_CHAT_FILE_BYTES) return ctx.t('sell-wizard-file-too-large');
  const fallback = message.document ? 'file' : message.audio ? 'audio' : 'video';
  return {
    fileId: sent.file_id,
    fileName: fileName(sent.file_name, fallback, sent.mime_type),
    contentType: chatContentType(sent.mime_type),
  };
}

/** An image a message carries, ready to be fetched. */
export interface ChatImage {
  file: ChatFile;
  sizeBytes: number;
  /** A document's dimensions are only in its bytes; a photo's are in the message (checked already). */
  unchecked: boolean;
}

/**
 * The image of a message, with the checks the message allows (type, size, a photo's dimensions),
 * or why it is refused. A photo is Telegram's JPEG; a document must say it is a JPEG, PNG or WebP.
 */
export function chatImageOf(ctx: BotContext, message: Message, name: string): ChatImage | string | null {
  const photo = message.photo?.at(-1);
  const document = message.document;
  if (photo) {
    if ((photo.file_size ?? 0) > MAX_IMAGE_BYTES) return ctx.t('error-image-too-large');
    const fits = check(() => checkPhotoDimensions(photo.width, photo.height));
    if (!fits.ok) return refusalText(ctx, fits.error) ?? '';
    return {
      file: { fileId: photo.file_id, fileName: `${name}.jpg`, contentType: 'image/jpeg' },
      sizeBytes: photo.file_size ?? 0,
      unchecked: false,
    };
  }
  if (!document?.mime_type?.startsWith('image/')) return null;
  if (!PHOTO_TYPES.has(document.mime_type)) return ctx.t('error-image-type-invalid');
  if ((document.file_size ?? 0) > MAX_IMAGE_BYTES) return ctx.t('error-image-too-large');
  return {
    file: {
      fileId: document.file_id,
      fileName: fileName(document.file_name, name, document.mime_type),
      contentType: document.mime_type,
    },
    sizeBytes: document.file_size ?? 0,
    unchecked: true,
  };
}

/** Remembers the album `message` belongs to: its other items are then let go. */
export function claimAlbum(ctx: BotContext, message: Message): boolean {
  if (message.media_group_id === undefined) return false;
  sellSession(ctx).album = message.media_group_id;
  return true;
}

/** True for a later item of an album whose first item was taken. */
export function isClaimedAlbum(ctx: BotContext, message: Message): boolean {
  return message.media_group_id !== undefined && ctx.session.sell?.album === message.media_group_id;
}

/**
 * Why an image sent as a file cannot be a photo, read from its first bytes fetched from
 * Telegram (the rest is fetched once it is stored), or null when it can.
 */
export async function imageHeaderProblem(
  ctx: BotContext,
  deps: SellDeps,
  image: ChatImage,
): Promise<string | null> {
  let head: Buffer;
  try {
    head = await chatFileHead(chatFileSource(ctx, deps), image.file.fileId, IMAGE_HEAD_BYTES);
  } catch (error) {
    if (!(error instanceof TelegramDownloadError)) throw error;
    deps.log.warn({ err: { name: error.name, message: error.message } }, 'chat image not fetched');
    return ctx.t('sell-wizard-cover-failed');
  }
  const header = check(() => checkPhotoHeader(head));
  return header.ok ? null : (refusalText(ctx, header.error) ?? '');
}
