// Security headers on every response (helmet): nosniff, no referrer, no framing, HSTS behind an
// https PUBLIC_URL, and a Content-Security-Policy that allows nothing. A page that needs more
// says so on its own response; a downloaded file is sandboxed.
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/** Nothing may load, run, submit or frame: JSON answers and anything without its own policy. */
const NOTHING = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Sets the headers on every response of `app`. helmet works them out once, here: the Fastify
 * plugin built helmet's middlewares again for each request (its CSP parsed and validated anew).
 */
export function addSecurityHeaders(app: FastifyInstance, { hsts }: { hsts: boolean }): void {
  const setHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: NOTHING },
    // A year, for this host only: other hosts of the domain may not serve https.
    strictTransportSecurity: hsts ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onRequest', (request, reply, done) => setHeaders(request.raw, reply.raw, () => done()));
}

/** A served file is never a page of ours: no script, no plugin, no navigation, even if a browser renders it. */
export const DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";
