// Covers and previews are sent to Telegram as photos, and Telegram refuses photos outside its
// rules (Bot API, sendPhoto): width + height at most 10,000 pixels and a side ratio of at most 20
// (its 10 MB limit is wider than ours, MAX_IMAGE_BYTES). The type and the dimensions are read
// from the first bytes of the image, never from what the sender claims.
import { ValidationError } from './errors.ts';

export type ImageType = 'jpeg' | 'png' | 'webp';

export interface ImageHeader {
  type: ImageType;
  width: number;
  height: number;
}

export const TELEGRAM_PHOTO_RULES = { maxSideSum: 10_000, maxRatio: 20 } as const;

/** Enough bytes to reach a JPEG's frame header past its metadata segments (EXIF, ICC profiles). */
export const IMAGE_HEAD_BYTES = 512 * 1024;

/** The type and dimensions of a JPEG, PNG or WebP image from its first bytes; null for anything else. */
export function readImageHeader(head: Uint8Array): ImageHeader | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const header = readPng(bytes) ?? readJpeg(bytes) ?? readWebp(bytes);
  return header && header.width > 0 && header.height > 0 ? header : null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function readPng(bytes: Buffer): ImageHeader | null {
  // The signature, then the IHDR chunk (length, "IHDR", width, height), always first.
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { type: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic), which carry the size. */
const JPEG_FRAMES = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function readJpeg(bytes: Buffer): ImageHeader | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  // Segments follow: 0xFF, a marker, then (for most markers) a 2-byte length that counts itself.
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame
    const length = bytes.readUInt16BE(at + 2);
    if (JPEG_FRAMES.has(marker)) {
      if (at + 9 > bytes.length) return null;
      return { type: 'jpeg', height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    if (length < 2) return null;
    at += 2 + length;
  }
  return null;
}

function readWebp(bytes: Buffer): ImageHeader | null {
  if (bytes.length < 25) return null;
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP') return null;
  switch (bytes.toString('latin1', 12, 16)) {
    case 'VP8 ': // lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit sizes
      if (bytes.length < 30 || bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return null;
      return {
        type: 'webp',
        width: bytes.readUInt16LE(26) & 0x3fff,
        height: bytes.readUInt16LE(28) & 0x3fff,
      };
    case 'VP8L': {
      // lossless: the signature 0x2F, then width - 1 and height - 1 in 14 bits each
      if (bytes[20] !== 0x2f) return null;
      const bits = bytes.readUInt32LE(21);
      return { type: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    case 'VP8X': // extended: flags, then width - 1 and height - 1 in 24 bits each
      if (bytes.length < 30) return null;
      return { type: 'webp', width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
    default:
      return null;
  }
}

/** Width and height (at least 1 pixel each) Telegram accepts for a photo; ValidationError otherwise. */
export function checkPhotoDimensions(width: number, height: number): void {
  const { maxSideSum, maxRatio } = TELEGRAM_PHOTO_RULES;
  if (width + height > maxSideSum) {
    throw new ValidationError(
      'image_dimensions_too_large',
      'image',
      `Width and height add up to at most ${maxSideSum} pixels.`,
      { width, height, max: maxSideSum },
    );
  }
  if (Math.max(width, height) / Math.min(width, height) > maxRatio) {
    throw new ValidationError(
      'image_ratio_too_large',
      'image',
      `One side is at most ${maxRatio} times the other.`,
      { width, height, max: maxRatio },
    );
  }
}

/** The header of an image Telegram can show as a photo; ValidationError for any other bytes. */
export function checkPhotoHeader(head: Uint8Array): ImageHeader {
  const header = readImageHeader(head);
  if (!header) {
    throw new ValidationError(
      'image_type_invalid',
      'image',
      'A cover or preview is a JPEG, PNG or WebP image.',
    );
  }
  checkPhotoDimensions(header.width, header.height);
  return header;
}
