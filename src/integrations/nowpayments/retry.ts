// When to try a NOWPayments call again, and how long to wait first.

/**
 * Connection-phase failures: the request never left this machine (nothing listening, name not
 * resolved, no route, TCP connect timed out), so even a POST is safe to send again.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The system error code (ECONNREFUSED, UND_ERR_SOCKET, ...) somewhere in a fetch error's cause chain. */
export function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // AggregateError (happy eyeballs tried several addresses): the first one tells.
    const inner = (e as { errors?: unknown[] }).errors?.[0];
    e = (e as { cause?: unknown }).cause ?? inner;
  }
  return undefined;
}

/** True when a fetch failure proves the request was never sent. */
export function neverSent(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** Statuses worth another try for a read: rate limiting and server-side failures. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Statuses after which a POST /payment certainly created nothing: 429 comes from NOWPayments'
 * rate limiter in front of the API (it even answers before checking the key), 503 means the
 * service refused the work. A 500, 502 or 504 may come after the payment was stored.
 */
export function rejectedBeforeProcessing(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * Delay before attempt `attempt + 1`: exponential from `baseMs`, capped at `maxMs`, with "equal
 * jitter" (half fixed, half random) so that many clients do not retry in lockstep.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
