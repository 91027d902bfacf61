// Small HTTP helpers shared by both backends and by the download route.
import { InvalidArgumentError } from './errors.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we drop
const CONTROL = /[\u0000-\u001f\u007f]/g;
const TOKEN = "[A-Za-z0-9!#$&^_.+'*`|~-]+";
const CONTENT_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(\\s*;\\s*${TOKEN}=(${TOKEN}|"[^"\\\\\\r\\n]*"))*$`);

/** Checks a declared MIME type (it ends up in headers and signatures) and returns it trimmed. */
export function checkContentType(value: string): string {
  const type = typeof value === 'string' ? value.trim() : '';
  if (type.length === 0 || type.length > 255 || !CONTENT_TYPE.test(type)) {
    throw new InvalidArgumentError(`Not a valid content type: ${JSON.stringify(value).slice(0, 80)}.`);
  }
  return type;
}

/** `type/subtype` in lower case, without parameters: what two content types must share. */
export function mediaType(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * `attachment` with the name twice (RFC 6266): an ASCII fallback for old clients and the
 * exact UTF-8 name in filename*. Header-breaking characters cannot get through.
 */
export function contentDisposition(
  fileName: string,
  disposition: 'attachment' | 'inline' = 'attachment',
): string {
  const name = (String(fileName).split(/[/\\]/).pop() ?? '').replace(CONTROL, '').trim() || 'file';
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/**
 * Reads a `Range` request header against an object of `size` bytes (RFC 9110, single range).
 * Returns null when the whole object should be sent (no header, several ranges, or a header
 * we ignore as invalid) and 'unsatisfiable' for a 416.
 */
export function parseRangeHeader(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? Number.MAX_SAFE_INTEGER : Number(m[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(last) || last < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(last, size - 1) };
}
