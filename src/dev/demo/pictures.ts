// The pictures the bot sent during the journey (the payment QR code, the analytics charts,
// covers), written as files so a person can look at them: `npm run demo -- --pictures <dir>`.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputFile } from 'grammy';
import type { ApiCall } from '../telegram/fake-telegram.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The uploaded picture of a sendPhoto or editMessageMedia call, if it carries bytes (not a file_id). */
function pictureOf(call: ApiCall): InputFile | null {
  const photo =
    call.method === 'sendPhoto'
      ? call.payload.photo
      : call.method === 'editMessageMedia'
        ? (call.payload.media as { media?: unknown } | undefined)?.media
        : undefined;
  return photo instanceof InputFile ? photo : null;
}

async function bytesOf(file: InputFile): Promise<Buffer> {
  const raw = await file.toRaw();
  if (raw instanceof Uint8Array) return Buffer.from(raw);
  const chunks: Uint8Array[] = [];
  for await (const chunk of raw as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Writes every picture of `calls` into `dir` as `NN-<name>`, in the order they were sent, and
 * returns the paths. The bot's own pictures are PNG; anything else keeps its name as sent.
 */
export async function writePictures(calls: readonly ApiCall[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const call of calls) {
    const picture = pictureOf(call);
    if (!picture) continue;
    const bytes = await bytesOf(picture);
    const name = (picture.filename ?? 'picture').replace(/[^\w.-]+/g, '-');
    const png = bytes.subarray(0, 8).equals(PNG_SIGNATURE);
    const fileName = `${String(written.length + 1).padStart(2, '0')}-${png ? name.replace(/(\.png)?$/i, '.png') : name}`;
    const path = join(dir, fileName);
    await writeFile(path, bytes);
    written.push(path);
  }
  return written;
}
