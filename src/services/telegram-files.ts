// The Telegram file-id cache as the bot uses it: look up before sending a stored file, remember
// what Telegram gave back after an upload, forget an id Telegram refused.
import type { Database } from '../db/index.ts';
import {
  deleteTelegramFileId,
  getTelegramFileId,
  saveTelegramFileId,
} from '../repositories/telegram-files.ts';

export function createTelegramFileService({ db }: { db: Database }) {
  return {
    /** The file_id to send `storedFileId` by, or null (upload it). */
    fileIdOf(storedFileId: number): Promise<string | null> {
      return getTelegramFileId(db, storedFileId);
    },
    remember(storedFileId: number, fileId: string, fileUniqueId: string | null = null): Promise<void> {
      return saveTelegramFileId(db, { storedFileId, fileId, fileUniqueId });
    },
    forget(storedFileId: number, fileId: string): Promise<void> {
      return deleteTelegramFileId(db, storedFileId, fileId);
    },
  };
}

export type TelegramFileService = ReturnType<typeof createTelegramFileService>;
