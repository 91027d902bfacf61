// The IPN signature NOWPayments puts in `x-nowpayments-sig`: HMAC-SHA512 (hex) of the body
// serialised by JSON.stringify with object keys sorted at every depth. The provider signs its
// object, not the bytes it sends, so we re-serialise canonically instead of hashing the raw body.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const IPN_SIGNATURE_HEADER = 'x-nowpayments-sig';

const SIGNATURE_HEX = /^[0-9a-fA-F]{128}$/;

/**
 * Deep copy with the keys of every object sorted; arrays keep their order. Objects are built
 * like the provider's own sortObject (so integer-like keys follow JS property order), but on a
 * null prototype so that a "__proto__" key stays an ordinary key.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort())
    sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
  return sorted;
}

/** The exact string that is signed: compact JSON with recursively sorted keys. */
export function canonicalIpnJson(body: unknown): string {
  return JSON.stringify(sortKeysDeep(body));
}

/**
 * True for what JSON.parse makes of a JSON object (not an array, string, number or null). Only
 * an object can be a provider notification: anything else is refused before its signature is
 * looked at, so that a captured body wrapped in a JSON string cannot verify as itself.
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * SHA-256 (hex) of what the signature of the JSON `body` covers: one digest per signed content,
 * whatever the spacing, key order or spelling of its numbers. `body` must be valid JSON.
 */
export function signedContentDigest(body: string): string {
  return createHash('sha256')
    .update(canonicalIpnJson(JSON.parse(body)))
    .digest('hex');
}

/** The `x-nowpayments-sig` value for a body (what the provider, and our simulator, send). */
export function signIpn(body: unknown, secret: string): string {
  return createHmac('sha512', secret).update(canonicalIpnJson(body), 'utf8').digest('hex');
}

/**
 * True only when `header` is the signature of `body` under `secret`. `body` is the raw request
 * body (string or Buffer, parsed here; invalid JSON → false) or the already parsed object; it
 * must be a JSON object (an array, string, number or null → false). A missing, repeated or
 * malformed header, or an empty secret, is false, never an exception. The comparison is
 * constant-time over the 64 signature bytes.
 */
export function verifyIpnSignature(
  body: string | Uint8Array | object,
  header: string | readonly string[] | null | undefined,
  secret: string,
): boolean {
  if (typeof header !== 'string' || !SIGNATURE_HEX.test(header.trim())) return false;
  if (typeof secret !== 'string' || secret.length === 0) return false;
  let parsed: unknown;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      parsed = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
    } catch {
      return false;
    }
  } else {
    parsed = body;
  }
  if (!isJsonObject(parsed)) return false;
  let expected: Buffer;
  try {
    expected = createHmac('sha512', secret).update(canonicalIpnJson(parsed), 'utf8').digest();
  } catch {
    return false; // not serialisable as JSON (a BigInt, a cycle): it cannot be a provider body
  }
  const given = Buffer.from(header.trim(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
