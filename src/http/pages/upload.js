// The upload page: the seller picks one file for the product and follows its upload (progress,
// speed, time left, pause, cancel); uploader.js sends it in parts that survive a dropped
// connection, and the server checks the SHA-256 computed in the browser at the end.
import {
  api,
  connect,
  formatBytes,
  languageOf,
  launchParams,
  postEvent,
  showProblem,
  translator,
} from './telegram.js';
import { Uploader } from './uploader.js';

const MESSAGES = {
  fr: {
    title: 'Envoyer le fichier',
    product: 'Pour « {title} »',
    replaces: 'Pour « {title} » : le nouveau fichier remplacera l’actuel.',
    pick: 'Choisissez ou déposez un fichier',
    limit: "Jusqu'à {max}, la connexion peut se couper : l'envoi reprend où il s'est arrêté.",
    pause: 'Pause',
    resume: 'Reprendre',
    cancel: 'Annuler',
    retry: 'Réessayer',
    starting: 'Préparation…',
    uploading: 'Envoi en cours…',
    paused: 'En pause. Reprenez quand vous voulez.',
    retrying: 'Connexion perdue. Nouvelle tentative dans {seconds} s…',
    reconnecting: 'Reprise de l’envoi…',
    verifying: 'Vérification du fichier…',
    left: '{time} restantes',
    perSecond: '{size}/s',
    doneTitle: 'Fichier reçu !',
    doneText: 'Il est joint à votre produit. Revenez au chat : le bot continue avec vous.',
    backToChat: 'Revenir au chat',
    tooLarge: 'Ce fichier dépasse {max}.',
    empty: 'Ce fichier est vide.',
    checksum: 'Le fichier reçu ne correspond pas au vôtre (somme de contrôle). Renvoyez-le.',
    failed: "L'envoi a échoué : {reason}",
    outsideTitle: 'Ouvrez cette page dans Telegram',
    outsideText: 'Elle s’ouvre depuis le bouton « Envoyer par la page » du bot, qui vous identifie.',
    staleTitle: 'Cette page a expiré',
    staleText: 'Fermez-la et rouvrez-la depuis le bot pour continuer.',
    refusedTitle: 'Identité non confirmée',
    refusedText: 'Telegram n’a pas pu confirmer qui vous êtes. Rouvrez la page depuis le bot.',
    botOffTitle: 'Le bot est arrêté',
    botOffText: 'Ce serveur tourne sans jeton Telegram (TELEGRAM_BOT_TOKEN) : les envois sont fermés.',
    noProductTitle: 'Aucun produit choisi',
    noProductText: 'Ouvrez cette page depuis la fiche de votre produit dans le bot.',
    notYoursTitle: 'Ce produit n’est pas le vôtre',
    notYoursText: 'Seul le vendeur d’un produit peut y joindre un fichier.',
  },
  en: {
    title: 'Upload the file',
    product: 'For “{title}”',
    replaces: 'For “{title}”: the new file will replace the current one.',
    pick: 'Choose or drop a file',
    limit: 'Up to {max}. If the connection drops, the upload resumes where it stopped.',
    pause: 'Pause',
    resume: 'Resume',
    cancel: 'Cancel',
    retry: 'Try again',
    starting: 'Getting ready…',
    uploading: 'Uploading…',
    paused: 'Paused. Resume whenever you like.',
    retrying: 'Connection lost. Retrying in {seconds} s…',
    reconnecting: 'Resuming the upload…',
    verifying: 'Checking the file…',
    left: '{time} left',
    perSecond: '{size}/s',
    doneTitle: 'File received!',
    doneText: 'It is attached to your product. Go back to the chat: the bot takes it from there.',
    backToChat: 'Back to the chat',
    tooLarge: 'This file is larger than {max}.',
    empty: 'This file is empty.',
    checksum: 'The file that arrived differs from yours (checksum). Please send it again.',
    failed: 'The upload failed: {reason}',
    outsideTitle: 'Open this page in Telegram',
    outsideText: 'It opens from the bot’s “Upload through the page” button, which tells us who you are.',
    staleTitle: 'This page has expired',
    staleText: 'Close it and open it again from the bot to go on.',
    refusedTitle: 'Identity not confirmed',
    refusedText: 'Telegram could not confirm who you are. Open the page again from the bot.',
    botOffTitle: 'The bot is not running',
    botOffText: 'This server runs without a Telegram token (TELEGRAM_BOT_TOKEN): uploads are closed.',
    noProductTitle: 'No product chosen',
    noProductText: 'Open this page from your product in the bot.',
    notYoursTitle: 'This product is not yours',
    notYoursText: 'Only a product’s seller can attach its file.',
  },
};

const launch = launchParams();
const language = languageOf(launch.user);
const t = translator(MESSAGES, language);
const $ = (selector) => document.querySelector(selector);

/** Speed over the last few seconds, so one slow part does not swing the estimate. */
class Speedometer {
  #samples = [];
  add(bytes) {
    const now = performance.now();
    this.#samples.push([now, bytes]);
    while (this.#samples.length > 2 && now - this.#samples[0][0] > 8000) this.#samples.shift();
  }
  reset() {
    this.#samples = [];
  }
  get bytesPerSecond() {
    if (this.#samples.length < 2) return 0;
    const [t0, b0] = this.#samples[0];
    const [t1, b1] = this.#samples[this.#samples.length - 1];
    return t1 > t0 ? ((b1 - b0) * 1000) / (t1 - t0) : 0;
  }
}

function formatDuration(seconds) {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}`;
}

/** Why an upload failed, in words the seller can act on. */
function reasonFor(error) {
  if (error.code === 'checksum_mismatch') return t('checksum');
  return error.message || error.code || String(error);
}

function showProblemFor(error) {
  if (error.code === 'init_data_expired') showProblem(t('staleTitle'), t('staleText'));
  else if (error.status === 401) showProblem(t('refusedTitle'), t('refusedText'));
  else if (error.code === 'not_owner') showProblem(t('notYoursTitle'), t('notYoursText'));
  else showProblem(t('failed', { reason: '' }), error.message || error.code);
}

async function page(productId) {
  let target;
  try {
    target = await api(launch, `/api/resumable-uploads/products/${encodeURIComponent(productId)}`);
  } catch (error) {
    showProblemFor(error);
    return;
  }
  const max = target.maxBytes;
  for (const element of document.querySelectorAll('[data-t]')) element.textContent = t(element.dataset.t);
  $('[data-product]').textContent = t(target.hasFile ? 'replaces' : 'product', { title: target.title });
  $('[data-limit]').textContent = t('limit', { max: formatBytes(max, language) });
  $('[data-view="main"]').removeAttribute('hidden');

  const pick = $('[data-step="pick"]');
  const input = $('[data-input]');
  const progress = $('[data-step="progress"]');
  const pauseButton = $('[data-pause]');
  const speed = new Speedometer();
  let uploader = null;
  let timer = 0;

  const render = () => {
    if (!uploader) return;
    const { state } = uploader;
    const sent = uploader.sent;
    const percent = state === 'done' ? 100 : Math.floor((sent / uploader.size) * 100);
    const bar = $('[data-bar]');
    bar.firstElementChild.style.width = `${percent}%`;
    bar.setAttribute('aria-valuenow', String(percent));
    $('[data-percent]').textContent = `${percent} %`;
    if (state === 'uploading') speed.add(sent);
    const rate = speed.bytesPerSecond;
    const moving = state === 'uploading' && rate > 0;
    $('[data-speed]').textContent = moving ? t('perSecond', { size: formatBytes(rate, language) }) : '';
    $('[data-eta]').textContent = moving
      ? t('left', { time: formatDuration((uploader.size - sent) / rate) })
      : '';
    const status = $('[data-status]');
    const seconds = Math.max(1, Math.ceil((uploader.retryAt - Date.now()) / 1000));
    status.textContent =
      state === 'failed' ? t('failed', { reason: reasonFor(uploader.failure) }) : t(state, { seconds });
    status.classList.toggle('warn', state === 'retrying' || state === 'failed');
    pauseButton.textContent = t(state === 'paused' ? 'resume' : state === 'failed' ? 'retry' : 'pause');
    pauseButton.disabled = state === 'verifying' || state === 'starting';
    $('[data-cancel]').disabled = state === 'verifying';
    if (state === 'done') {
      clearInterval(timer);
      progress.setAttribute('hidden', '');
      $('[data-step="done"]').removeAttribute('hidden');
      postEvent('web_app_setup_closing_behavior', { need_confirmation: false });
    }
  };

  const run = () =>
    uploader.run().catch((error) => {
      clearInterval(timer);
      showProblemFor(error);
    });

  const choose = (file) => {
    if (!file || uploader) return;
    if (file.size === 0) return alert(t('empty'));
    if (file.size > max) return alert(t('tooLarge', { max: formatBytes(max, language) }));
    $('[data-name]').textContent = file.name;
    $('[data-size]').textContent = formatBytes(file.size, language);
    $('[data-done-file]').textContent = `${file.name} · ${formatBytes(file.size, language)}`;
    $('[data-ext]').textContent = (/\.([a-z0-9]{1,4})$/i.exec(file.name)?.[1] ?? 'file').slice(0, 4);
    pick.setAttribute('hidden', '');
    progress.removeAttribute('hidden');
    // Closing the page mid-upload asks first; the upload would resume on reopening anyway.
    postEvent('web_app_setup_closing_behavior', { need_confirmation: true });
    uploader = new Uploader(launch, file, productId, render);
    timer = setInterval(render, 250);
    run();
  };

  input.addEventListener('change', () => choose(input.files?.[0]));
  pick.addEventListener('click', () => input.click());

  for (const name of ['dragenter', 'dragover']) {
    pick.addEventListener(name, (event) => {
      event.preventDefault();
      pick.classList.add('over');
    });
  }
  pick.addEventListener('dragleave', () => pick.classList.remove('over'));
  pick.addEventListener('drop', (event) => {
    event.preventDefault();
    pick.classList.remove('over');
    choose(event.dataTransfer?.files?.[0]);
  });
  pauseButton.addEventListener('click', () => {
    if (uploader.state === 'paused' || uploader.state === 'failed') {
      speed.reset();
      run();
    } else uploader.pause();
  });
  $('[data-cancel]').addEventListener('click', async () => {
    await uploader.cancel();
    clearInterval(timer);
    uploader = null;
    speed.reset();
    input.value = '';
    progress.setAttribute('hidden', '');
    pick.removeAttribute('hidden');
    postEvent('web_app_setup_closing_behavior', { need_confirmation: false });
  });
  $('[data-close]').addEventListener('click', () => postEvent('web_app_close'));
}

const productId = new URLSearchParams(window.location.search).get('product');
document.documentElement.lang = language;
connect(launch);
if (document.body.dataset.bot !== 'on') showProblem(t('botOffTitle'), t('botOffText'));
else if (!launch.initData) showProblem(t('outsideTitle'), t('outsideText'));
else if (!productId) showProblem(t('noProductTitle'), t('noProductText'));
else page(productId);
