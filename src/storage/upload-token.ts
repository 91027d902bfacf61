// Upload tokens for the local backend: what S3 presigning gives the S3 backend. A token names
// one key, one content type and one exact size, and expires; the HMAC makes it unforgeable.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { UploadTokenExpiredError, UploadTokenInvalidError } from './errors.ts';
import { assertValidKey } from './keys.ts';

export interface UploadGrant {
  key: string;
  contentType: string;
  size: number;
  expiresAt: Date;
}

const MAX_TOKEN_CHARS = 4096;
// Derived so the same operator secret signing something else can never mint upload tokens.
const PURPOSE = 'agora/storage/upload-token/v1';

const payloadSchema = z.object({
  k: z.string().min(1),
  t: z.string().min(1).max(255),
  s: z.number().int().min(0),
  e: z.number().int().min(0),
});

/**
 * The signing secret when UPLOAD_SIGNING_SECRET is unset, derived from another configured secret
 * (the bot token): every instance and every restart computes the same one, and it reveals nothing
 * of the secret it comes from.
 */
export function deriveUploadSigningSecret(configured: string): string {
  return createHmac('sha256', 'agora/storage/upload-signing-secret/v1').update(configured).digest('hex');
}

function signingKey(secret: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(PURPOSE).digest();
}

function mac(secret: string | Buffer, payload: string): Buffer {
  return createHmac('sha256', signingKey(secret)).update(payload).digest();
}

export function signUploadToken(grant: UploadGrant, secret: string | Buffer): string {
  assertValidKey(grant.key);
  const body = {
    k: grant.key,
    t: grant.contentType,
    s: grant.size,
    e: Math.floor(grant.expiresAt.getTime() / 1000),
  };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/**
 * The grant a token carries, once its signature and expiry are checked.
 * UploadTokenInvalidError for anything forged or damaged, UploadTokenExpiredError when late.
 */
export function verifyUploadToken(
  token: string,
  secret: string | Buffer,
  now: number = Date.now(),
): UploadGrant {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS)
    throw new UploadTokenInvalidError('malformed');
  const parts = token.split('.');
  const [payload, signature] = parts as [string, string];
  if (parts.length !== 2 || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(signature)) {
    throw new UploadTokenInvalidError('malformed');
  }
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UploadTokenInvalidError('bad signature');
  }
  let body: z.output<typeof payloadSchema>;
  try {
    body = payloadSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    assertValidKey(body.k);
  } catch (cause) {
    throw new UploadTokenInvalidError(`unreadable payload (${(cause as Error).message.slice(0, 80)})`);
  }
  const expiresAt = new Date(body.e * 1000);
  if (now >= expiresAt.getTime()) throw new UploadTokenExpiredError(expiresAt);
  return { key: body.k, contentType: body.t, size: body.s, expiresAt };
}
