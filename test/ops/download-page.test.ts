// A used or expired download link, opened in a browser, is a small page in the buyer's language
// with a way back to the bot; API clients keep the JSON error (issue 14, item 2).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { BOT_USERNAME, purchase, startStack } from './stack.ts';

const stack = await startStack({}, { telegram: true });
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8';

/** A link already used once. */
async function usedLink(): Promise<string> {
  const { token } = await purchase(stack);
  assert.equal((await fetch(`${stack.url}/download/${token}`)).status, 200);
  return `${stack.url}/download/${token}`;
}

async function page(url: string, language: string) {
  const response = await fetch(url, { headers: { accept: BROWSER, 'accept-language': language } });
  return { response, html: await response.text() };
}

test('in French for a French browser, with the way back to the bot', async () => {
  const { response, html } = await page(await usedLink(), 'fr-FR,fr;q=0.9,en-US;q=0.8');
  assert.equal(response.status, 410);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
  assert.match(html, /<html lang="fr">/);
  assert.match(html, /<title>Ce lien ne fonctionne plus<\/title>/);
  assert.match(html, /a déjà servi ou a expiré/);
  assert.match(html, /📚 Ma bibliothèque/);
  assert.ok(
    html.includes(
      `<a class="bot" href="https://t.me/${BOT_USERNAME}">Ouvrir @${BOT_USERNAME} dans Telegram</a>`,
    ),
  );
});

test('in English for an English browser, or when the link says ?lang=en', async () => {
  const english = await page(await usedLink(), 'en-GB,en;q=0.9,fr;q=0.5');
  assert.match(english.html, /<html lang="en">/);
  assert.match(english.html, /<title>This link no longer works<\/title>/);
  assert.match(english.html, /already used or has expired/);
  assert.ok(english.html.includes(`Open @${BOT_USERNAME} in Telegram`));

  const chosen = await page(`${await usedLink()}?lang=en`, 'fr-FR,fr;q=0.9');
  assert.match(chosen.html, /<html lang="en">/);
});

test('the page loads nothing and runs nothing: its one stylesheet is allowed by hash', async () => {
  const { response, html } = await page(await usedLink(), 'fr');
  const csp = response.headers.get('content-security-policy') ?? '';
  const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? '';
  const hash = createHash('sha256').update(style).digest('base64');
  assert.equal(
    csp,
    `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  assert.doesNotMatch(html, /<script|<img|<link|src=/);
  assert.equal(response.headers.get('cache-control'), 'no-store');
});

test('API clients keep the JSON error', async () => {
  const url = await usedLink();
  for (const accept of ['application/json', '*/*']) {
    const response = await fetch(url, { headers: { accept } });
    assert.equal(response.status, 410);
    assert.deepEqual(
      ((await response.json()) as { error: { code: string } }).error.code,
      'download_link_invalid',
    );
  }
});
