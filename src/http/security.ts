// Security headers on every response (helmet): nosniff, no referrer, no framing, HSTS behind an
// https PUBLIC_URL, and a Content-Security-Policy that allows nothing. A page that needs more
// says so on its own response; a downloaded file is sandboxed.
import type { FastifyHelmetOptions } from '@fastify/helmet';

/** Nothing may load, run, submit or frame: JSON answers and anything without its own policy. */
const NOTHING = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

export function securityHeaders({ hsts }: { hsts: boolean }): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: NOTHING },
    // A year, for this host only: other hosts of the domain may not serve https.
    strictTransportSecurity: hsts ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  };
}

/** A served file is never a page of ours: no script, no plugin, no navigation, even if a browser renders it. */
export const DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";
