// Images of chosen dimensions for the photo rules: real PNGs (one grey channel, compressed rows,
// so 30000×100 stays a few kilobytes), and JPEG and WebP files carrying their real headers.
import { crc32, deflateSync } from 'node:zlib';

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid greyscale PNG of `width` × `height` pixels, all mid-grey. */
export function png(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8 bits, greyscale, deflate, no filter, not interlaced
  const row = Buffer.alloc(1 + width, 0x80);
  row[0] = 0; // filter type: none
  const rows = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The segments of a JPEG up to its frame header, as a camera writes them: the JFIF segment, an
 * EXIF segment of `metadataBytes`, then the baseline frame with the size. Enough for any reader
 * of dimensions; not a picture a decoder can paint.
 */
export function jpegHeader(width: number, height: number, metadataBytes = 16): Buffer {
  const segment = (marker: number, data: Buffer) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(data.length + 2, 2);
    return Buffer.concat([head, data]);
  };
  const frame = Buffer.alloc(9);
  frame[0] = 8; // precision
  frame.writeUInt16BE(height, 1);
  frame.writeUInt16BE(width, 3);
  frame.set([1, 1, 0x11, 0], 5); // one component
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.alloc(metadataBytes - 6)])),
    segment(0xc0, frame),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** The RIFF container and lossless (VP8L) header of a WebP image of `width` × `height`. */
export function webpHeader(width: number, height: number): Buffer {
  const vp8l = Buffer.alloc(5);
  vp8l[0] = 0x2f;
  vp8l.writeUInt32LE(((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14), 1);
  const chunk = Buffer.concat([Buffer.from('VP8L', 'latin1'), Buffer.from([vp8l.length, 0, 0, 0]), vp8l]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4 + chunk.length + 1);
  return Buffer.concat([
    Buffer.from('RIFF', 'latin1'),
    size,
    Buffer.from('WEBP', 'latin1'),
    chunk,
    Buffer.alloc(1),
  ]);
}
