// The page a browser gets when a download link cannot be served (used, expired, or the file is
// gone): a few lines in the buyer's language and a way back to the bot. No script, no external
// asset; its one stylesheet is allowed by hash.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeError } from './errors.ts';

export type PageLanguage = 'fr' | 'en';

const TEXT = {
  fr: {
    invalidTitle: 'Ce lien ne fonctionne plus',
    invalid:
      'Ce lien de téléchargement a déjà servi ou a expiré : chaque lien est personnel et ne sert qu’une fois.',
    otherTitle: 'Téléchargement impossible',
    other: 'Ce fichier ne peut pas être téléchargé pour le moment. Réessayez un peu plus tard.',
    again: 'Demandez un nouveau lien dans 📚 Ma bibliothèque, dans le bot.',
    openBot: (bot: string) => `Ouvrir @${bot} dans Telegram`,
  },
  en: {
    invalidTitle: 'This link no longer works',
    invalid: 'This download link was already used or has expired: each link is personal and works once.',
    otherTitle: 'Download unavailable',
    other: 'This file cannot be downloaded right now. Please try again a little later.',
    again: 'Ask for a new link in 📚 My library, in the bot.',
    openBot: (bot: string) => `Open @${bot} in Telegram`,
  },
} as const;

const STYLE =
  'body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1c2430}' +
  'main{max-width:28rem;margin:0 auto;padding:3rem 1.25rem}h1{font-size:1.4rem;margin:0 0 1rem}' +
  'p{margin:0 0 1rem}.bot{display:block;margin-top:1.5rem;padding:.9rem 1rem;border-radius:.75rem;' +
  'background:#2481cc;color:#fff;text-align:center;text-decoration:none;font-weight:600}' +
  '@media (prefers-color-scheme:dark){body{background:#17212b;color:#e8edf2}}';

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** Only the page's own stylesheet; nothing loads, runs or submits. */
export const PAGE_CSP =
  `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; ` +
  "frame-ancestors 'none'";

/** A browser navigating to the link prefers a page; an API client keeps the JSON error. */
export function wantsPage(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /\btext\/html\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}

/** `?lang=` when the link says it, else the browser's preference between French and English, else French. */
export function pageLanguage(request: FastifyRequest): PageLanguage {
  const lang = (request.query as { lang?: unknown } | undefined)?.lang;
  if (lang === 'fr' || lang === 'en') return lang;
  let best: { language: PageLanguage; q: number } = { language: 'fr', q: 0 };
  for (const part of (request.headers['accept-language'] ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const language = tag.split('-')[0];
    if (language !== 'fr' && language !== 'en') continue;
    const qParam = params.find((p) => p.trim().startsWith('q='));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    if (Number.isFinite(q) && q > best.q) best = { language, q };
  }
  return best.language;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export function renderDownloadPage(language: PageLanguage, kind: 'invalid' | 'other', bot?: string): string {
  const t = TEXT[language];
  const title = kind === 'invalid' ? t.invalidTitle : t.otherTitle;
  const link = bot
    ? `<a class="bot" href="https://t.me/${encodeURIComponent(bot)}">${escapeHtml(t.openBot(bot))}</a>`
    : '';
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head>
<body><main>
<h1>🔗 ${escapeHtml(title)}</h1>
<p>${escapeHtml(kind === 'invalid' ? t.invalid : t.other)}</p>
<p>${escapeHtml(t.again)}</p>
${link}
</main></body></html>
`;
}

/** The route's error handler for browsers: the same status as the JSON answer, as a page. */
export function sendDownloadErrorPage(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  bot: string | undefined,
): FastifyReply {
  const failure = describeError(error);
  if (failure.status >= 500) request.log.error({ err: error }, 'request failed');
  const kind = failure.code === 'download_link_invalid' ? 'invalid' : 'other';
  return reply
    .code(failure.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .send(renderDownloadPage(pageLanguage(request), kind, bot));
}
