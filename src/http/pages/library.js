// The library page: the buyer's purchases with cover, title and size; each download button
// asks for a one-time link (POST /api/downloads) and starts the download with it.
import {
  ApiError,
  api,
  connect,
  formatBytes,
  languageOf,
  launchParams,
  postEvent,
  showProblem,
  supports,
  translator,
} from './telegram.js';

const MESSAGES = {
  fr: {
    title: 'Ma bibliothèque',
    summaryOne: '1 achat. Chaque lien de téléchargement ne sert qu’une fois.',
    summary: '{count} achats. Chaque lien de téléchargement ne sert qu’une fois.',
    empty: 'Aucun achat pour l’instant. Vos fichiers achetés apparaîtront ici.',
    download: 'Télécharger',
    preparing: 'Préparation du lien…',
    started: 'Téléchargement lancé ✓',
    more: 'Afficher plus',
    by: 'par {seller}',
    unavailable: 'Fichier indisponible',
    rateLimited: 'Trop de liens demandés : réessayez dans quelques minutes.',
    failed: 'Le lien n’a pas pu être créé : {reason}',
    outsideTitle: 'Ouvrez cette page dans Telegram',
    outsideText: 'Elle s’ouvre depuis le bouton « Ouvrir ma bibliothèque » du bot, qui vous identifie.',
    staleTitle: 'Cette page a expiré',
    staleText: 'Fermez-la et rouvrez-la depuis le bot pour continuer.',
    refusedTitle: 'Identité non confirmée',
    refusedText: 'Telegram n’a pas pu confirmer qui vous êtes. Rouvrez la page depuis le bot.',
    botOffTitle: 'Le bot est arrêté',
    botOffText: 'Ce serveur tourne sans jeton Telegram (TELEGRAM_BOT_TOKEN) : la bibliothèque est fermée.',
  },
  en: {
    title: 'My library',
    summaryOne: '1 purchase. Each download link works once.',
    summary: '{count} purchases. Each download link works once.',
    empty: 'No purchases yet. The files you buy will show up here.',
    download: 'Download',
    preparing: 'Preparing the link…',
    started: 'Download started ✓',
    more: 'Show more',
    by: 'by {seller}',
    unavailable: 'File unavailable',
    rateLimited: 'Too many links asked for: try again in a few minutes.',
    failed: 'The link could not be made: {reason}',
    outsideTitle: 'Open this page in Telegram',
    outsideText: 'It opens from the bot’s “Open my library” button, which tells us who you are.',
    staleTitle: 'This page has expired',
    staleText: 'Close it and open it again from the bot to go on.',
    refusedTitle: 'Identity not confirmed',
    refusedText: 'Telegram could not confirm who you are. Open the page again from the bot.',
    botOffTitle: 'The bot is not running',
    botOffText: 'This server runs without a Telegram token (TELEGRAM_BOT_TOKEN): the library is closed.',
  },
};

const PAGE_SIZE = 20;
const launch = launchParams();
const language = languageOf(launch.user);
const t = translator(MESSAGES, language);
const $ = (selector) => document.querySelector(selector);

function problemFor(error) {
  if (error.code === 'init_data_expired') showProblem(t('staleTitle'), t('staleText'));
  else if (error instanceof ApiError && error.status === 401)
    showProblem(t('refusedTitle'), t('refusedText'));
  else showProblem(t('failed', { reason: '' }), error.message || String(error));
}

/** Inside Telegram 8.0+, the client downloads natively; elsewhere a plain link does. */
function startDownload(url, fileName) {
  const absolute = new URL(url, window.location.href).href;
  if (launch.platform !== 'unknown' && supports(launch, '8.0')) {
    postEvent('web_app_request_file_download', { url: absolute, file_name: fileName });
    return;
  }
  const link = document.createElement('a');
  link.href = absolute;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
}

function notice(text) {
  const element = $('[data-notice]');
  element.textContent = text;
  element.hidden = !text;
}

function renderItem(item) {
  const node = $('[data-item]').content.firstElementChild.cloneNode(true);
  const cover = node.querySelector('[data-cover]');
  if (item.hasCover) {
    const image = document.createElement('img');
    image.className = 'cover';
    image.alt = '';
    image.loading = 'lazy';
    image.src = `/app/covers/${encodeURIComponent(item.productId)}`;
    cover.replaceWith(image);
  } else {
    cover.textContent = (item.title.trim()[0] ?? '?').toUpperCase();
  }
  node.querySelector('[data-title]').textContent = item.title;
  node.querySelector('[data-seller]').textContent = t('by', { seller: item.sellerName });
  node.querySelector('[data-file]').textContent =
    item.fileName === null ? t('unavailable') : `${item.fileName} · ${formatBytes(item.sizeBytes, language)}`;
  const button = node.querySelector('[data-download]');
  button.textContent = t('download');
  button.disabled = item.fileName === null;
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = t('preparing');
    notice('');
    try {
      const link = await api(launch, '/api/downloads', { method: 'POST', body: { orderId: item.orderId } });
      startDownload(link.url, item.fileName);
      button.textContent = t('started');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return problemFor(error);
      notice(error.status === 429 ? t('rateLimited') : t('failed', { reason: error.message || error.code }));
      button.textContent = t('download');
    }
    setTimeout(() => {
      button.disabled = false;
      button.textContent = t('download');
    }, 4000);
  });
  return node;
}

async function page() {
  for (const element of document.querySelectorAll('[data-t]')) element.textContent = t(element.dataset.t);
  const list = $('[data-items]');
  const more = $('[data-more]');
  more.textContent = t('more');
  let loaded = 0;
  const load = async () => {
    const page = await api(launch, `/api/library?offset=${loaded}&limit=${PAGE_SIZE}`);
    for (const item of page.items) list.append(renderItem(item));
    loaded += page.items.length;
    $('[data-loading]').hidden = true;
    const summary = page.total === 1 ? 'summaryOne' : 'summary';
    $('[data-summary]').textContent = page.total > 0 ? t(summary, { count: page.total }) : '';
    list.hidden = loaded === 0;
    $('[data-empty]').hidden = loaded > 0;
    $('[data-empty]').textContent = t('empty');
    more.hidden = loaded >= page.total;
  };
  more.addEventListener('click', () => load().catch(problemFor));
  await load().catch(problemFor);
}

document.documentElement.lang = language;
connect(launch);
if (document.body.dataset.bot !== 'on') showProblem(t('botOffTitle'), t('botOffText'));
else if (!launch.initData) showProblem(t('outsideTitle'), t('outsideText'));
else page();
