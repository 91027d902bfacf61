// Security headers on every response (issue 15, finding 6): nosniff, no referrer, no framing, a
// Content-Security-Policy that allows nothing unless a page needs more, a sandbox on served files
// (whose scriptable types are served as bytes), HSTS behind an https PUBLIC_URL; and the API's
// description from the route schemas, served from our own origin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { purchase, startStack } from './stack.ts';

const stack = await startStack({}, { telegram: true });

function assertBaseline(response: Response, what: string): void {
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(response.headers.get('x-frame-options'), 'DENY', what);
  assert.ok(response.headers.get('content-security-policy'), `${what}: a CSP`);
  assert.equal(response.headers.get('strict-transport-security'), null, `${what}: no HSTS over http`);
}

test('JSON answers, refusals and unknown routes carry the headers and a CSP that allows nothing', async () => {
  for (const path of ['/livez', '/api/categories', '/nowhere', '/download/x']) {
    const response = await fetch(`${stack.url}${path}`);
    assertBaseline(response, path);
    assert.equal(
      response.headers.get('content-security-policy'),
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      path,
    );
  }
});

test('a served file is sandboxed, and a seller’s HTML is served as bytes to save', async () => {
  const { token } = await purchase(stack, {
    name: 'page.html',
    contentType: 'text/html',
    bytes: Buffer.from('<script>alert(document.cookie)</script>'),
  });
  const response = await fetch(`${stack.url}/download/${token}`);
  assert.equal(response.status, 200);
  assertBaseline(response, 'download');
  assert.equal(
    response.headers.get('content-security-policy'),
    "default-src 'none'; sandbox; frame-ancestors 'none'",
  );
  assert.equal(response.headers.get('content-type'), 'application/octet-stream');
  assert.match(response.headers.get('content-disposition') ?? '', /^attachment;/);

  const pdf = await purchase(stack);
  const kept = await fetch(`${stack.url}/download/${pdf.token}`);
  assert.equal(kept.headers.get('content-type'), 'application/pdf', 'other types are kept');
});

test('the mini-app pages may be framed by Telegram Web only, and keep the other headers', async () => {
  for (const path of ['/app/upload', '/app/library']) {
    const response = await fetch(`${stack.url}${path}`);
    assert.equal(response.status, 200, path);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
    assert.equal(response.headers.get('x-frame-options'), null, `${path}: framing is the CSP's call`);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'self' https:\/\/web\.telegram\.org /, path);
    assert.match(csp, /default-src 'none'/, path);
  }
});

test('HSTS when PUBLIC_URL is https', async () => {
  const https = await startStack({ PUBLIC_URL: 'https://shop.example.test', NOWPAYMENTS_MODE: 'simulator' });
  const response = await fetch(`${https.url}/livez`);
  assert.equal(response.headers.get('strict-transport-security'), 'max-age=31536000');
});

test('/openapi.json describes the routes from their schemas; /docs is served from our origin', async () => {
  const spec = (await (await fetch(`${stack.url}/openapi.json`)).json()) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };
  assert.match(spec.openapi, /^3\./);
  for (const path of [
    '/download/{token}',
    '/ipn/nowpayments',
    '/readyz',
    '/livez',
    '/api/purchases/{orderId}',
  ]) {
    assert.ok(spec.paths[path], `${path} is described`);
  }
  assert.ok(spec.paths['/download/{token}']?.get, 'with its method');

  const docs = await fetch(`${stack.url}/docs/`);
  assert.equal(docs.status, 200);
  assertBaseline(docs, '/docs');
  const html = await docs.text();
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
  assert.ok(assets.length > 0);
  for (const asset of assets) assert.doesNotMatch(asset, /^(https?:)?\/\//, `${asset} is ours`);
  const csp = docs.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /https?:/, 'no other origin');
  const script = assets.find((a) => a.endsWith('.js')) as string;
  const served = await fetch(new URL(script, `${stack.url}/docs/`));
  assert.equal(served.status, 200);
});
