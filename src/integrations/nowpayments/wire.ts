// What the client needs around a request: the provider's error body, a code when it gives none,
// a readable network failure, and checked URLs.
import { errorWire } from './schemas.ts';

export function providerError(text: string): { code?: string; message?: string } {
  try {
    const parsed = errorWire.safeParse(JSON.parse(text));
    if (parsed.success) {
      return {
        code: parsed.data.code || undefined,
        message: parsed.data.message?.slice(0, 300) || undefined,
      };
    }
  } catch {
    // Not JSON: the live 429 is an nginx HTML page. Its text says nothing useful.
  }
  return {};
}

export function fallbackCode(status: number): string {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 401 || status === 403) return 'UNAUTHORIZED';
  return 'HTTP_ERROR';
}

export function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 3; depth++, e = e.cause) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${e.message} [${code}]` : e.message);
  }
  return parts.join(': ') || 'request failed';
}

export function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('NOWPayments baseUrl is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError('NOWPayments baseUrl must be http(s)');
  if (url.search || url.hash || url.username || url.password) {
    throw new TypeError('NOWPayments baseUrl must not carry a query, fragment or credentials');
  }
  return url.href.replace(/\/+$/, '');
}

export function buildUrl(baseUrl: string, path: string, query?: Record<string, string | undefined>): string {
  const url = new URL(baseUrl + path);
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.href;
}
