// The upload page: one file for the seller's product, sent in parts that survive a dropped
// connection. S3: parts go straight to the bucket through presigned URLs, a few at a time.
// Local folder: chunks are appended through our server at the offset it reports. Either way,
// after a cut the page asks the server what arrived and sends only the rest. The SHA-256 is
// computed in the browser (hash-wasm) while the bytes travel; the server checks it at the end.
import {
  ApiError,
  api,
  connect,
  formatBytes,
  languageOf,
  launchParams,
  postEvent,
  showProblem,
  translator,
} from './telegram.js';

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

const HASH_SLICE = 8 * 1024 * 1024;
const PARALLEL_PARTS = 3;
const SIGN_BATCH = 20;
const SIGNED_URL_REUSE_MS = 10 * 60 * 1000; // the server signs for 15 minutes
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];

const launch = launchParams();
const language = languageOf(launch.user);
const t = translator(MESSAGES, language);
const $ = (selector) => document.querySelector(selector);

/** Stops the current attempt (pause, cancel, a fatal error) without being an error itself. */
class Stopped extends Error {}

class HttpError extends Error {
  constructor(status, code) {
    super(`HTTP ${status} ${code ?? ''}`);
    this.status = status;
    this.code = code;
  }
}

/** A request whose upload progress we can follow and which pause can abort. */
function send(method, url, body, headers, onProgress, requests) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    requests.add(xhr);
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      requests.delete(xhr);
      let payload = null;
      try {
        payload = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {}
      if (xhr.status >= 200 && xhr.status < 300) resolve(payload);
      else reject(new HttpError(xhr.status, payload?.error?.code));
    };
    xhr.onerror = xhr.ontimeout = () => {
      requests.delete(xhr);
      reject(new HttpError(0, 'network'));
    };
    xhr.onabort = () => {
      requests.delete(xhr);
      reject(new Stopped());
    };
    xhr.send(body);
  });
}

class Uploader {
  #file;
  #productId;
  #onChange;
  #requests = new Set();
  #inflight = new Map();
  #signed = new Map();
  #hashing = null;
  #view = null;
  #attempt = 0;
  state = 'starting';
  confirmed = 0;
  retryAt = 0;
  error = '';

  constructor(file, productId, onChange) {
    this.#file = file;
    this.#productId = productId;
    this.#onChange = onChange;
  }

  get size() {
    return this.#file.size;
  }

  /** Bytes the server holds plus those in flight: what the progress bar shows. */
  get sent() {
    let flying = 0;
    for (const loaded of this.#inflight.values()) flying += loaded;
    return Math.min(this.size, this.confirmed + flying);
  }

  get #savedKey() {
    const f = this.#file;
    return `agora.upload:${this.#productId}:${f.name}:${f.size}:${f.lastModified}`;
  }

  #set(state, extra = {}) {
    Object.assign(this, { state, ...extra });
    this.#onChange(this);
  }

  /** Runs (or resumes) until done, paused, cancelled or failed. */
  async run() {
    const attempt = ++this.#attempt;
    this.#set(this.#view ? 'reconnecting' : 'starting');
    for (let failures = 0; ; ) {
      try {
        this.#view = await this.#open();
        this.#hashing ??= this.#hash();
        this.#set('uploading');
        if (this.#view.transport === 's3') await this.#sendParts();
        else await this.#sendChunks();
        this.#set('verifying');
        const sha256 = await this.#hashing;
        await api(launch, `/api/resumable-uploads/${this.#view.uploadId}/complete`, {
          method: 'POST',
          body: { sha256 },
        });
        localStorage.removeItem(this.#savedKey);
        this.confirmed = this.size;
        this.#set('done');
        return;
      } catch (error) {
        if (attempt !== this.#attempt || error instanceof Stopped) return;
        const status = error.status ?? 0;
        if (status === 401) throw error;
        if (!this.#retryable(error)) {
          localStorage.removeItem(this.#savedKey);
          this.#view = null;
          this.#hashing = null;
          this.#set('failed', { error: this.#reason(error) });
          return;
        }
        const delay = RETRY_DELAYS_MS[Math.min(failures++, RETRY_DELAYS_MS.length - 1)];
        this.#set('retrying', { retryAt: Date.now() + delay });
        await this.#wait(delay);
        if (attempt !== this.#attempt) return;
        this.#set('reconnecting');
      }
    }
  }

  #retryable(error) {
    const status = error.status ?? 0;
    if (status === 0 || status >= 500 || status === 408 || status === 429) return true;
    // The server holds other bytes than we thought (a cut mid-chunk, a part that did arrive).
    return [
      'storage_upload_offset_mismatch',
      'storage_upload_superseded',
      'storage_upload_incomplete',
    ].includes(error.code);
  }

  #reason(error) {
    if (error.code === 'checksum_mismatch') return t('checksum');
    return error.message || error.code || String(error);
  }

  /** Waits, or less when the browser says it is back online. */
  #wait(ms) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        window.removeEventListener('online', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      window.addEventListener('online', done);
    });
  }

  /** The upload to continue (this one, or one a reload left behind) or a new one. */
  async #open() {
    const known = this.#view?.uploadId ?? localStorage.getItem(this.#savedKey);
    if (known) {
      try {
        const view = await api(launch, `/api/resumable-uploads/${known}`);
        if (view.size === this.size) return this.#adopt(view);
      } catch (error) {
        if (!(error instanceof ApiError) || ![404, 409].includes(error.status)) throw error;
      }
      localStorage.removeItem(this.#savedKey);
      this.#hashing = null;
    }
    const view = await api(launch, '/api/resumable-uploads', {
      method: 'POST',
      body: {
        productId: this.#productId,
        fileName: this.#file.name,
        contentType: this.#file.type || 'application/octet-stream',
        size: this.size,
      },
    });
    localStorage.setItem(this.#savedKey, view.uploadId);
    return this.#adopt(view);
  }

  #adopt(view) {
    this.confirmed = view.receivedBytes;
    this.#inflight.clear();
    return view;
  }

  /** SHA-256 of the whole file, read in order, alongside the upload. */
  async #hash() {
    const hasher = await window.hashwasm.createSHA256();
    hasher.init();
    for (let offset = 0; offset < this.size; offset += HASH_SLICE) {
      const slice = this.#file.slice(offset, Math.min(this.size, offset + HASH_SLICE));
      hasher.update(new Uint8Array(await slice.arrayBuffer()));
    }
    return hasher.digest('hex');
  }

  /** Local folder: chunks appended in order at the offset the server holds. */
  async #sendChunks() {
    const { uploadId, partSize } = this.#view;
    while (this.confirmed < this.size) {
      const end = Math.min(this.size, this.confirmed + partSize);
      const view = await send(
        'PATCH',
        `/api/resumable-uploads/${uploadId}`,
        this.#file.slice(this.confirmed, end),
        {
          authorization: `tma ${launch.initData}`,
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(this.confirmed),
        },
        (loaded) => this.#inflight.set('chunk', loaded),
        this.#requests,
      ).finally(() => this.#inflight.delete('chunk'));
      this.confirmed = view.receivedBytes;
    }
  }

  /** S3: the missing parts, a few at a time, each PUT to its presigned URL. */
  async #sendParts() {
    const { partCount, partSize } = this.#view;
    const have = new Set(this.#view.parts.map((part) => part.partNumber));
    const queue = [];
    for (let n = 1; n <= partCount; n++) if (!have.has(n)) queue.push(n);
    const worker = async () => {
      while (queue.length > 0) {
        const partNumber = queue.shift();
        const url = await this.#partUrl(partNumber, queue);
        const start = (partNumber - 1) * partSize;
        const body = this.#file.slice(start, Math.min(this.size, start + partSize));
        try {
          await send(
            'PUT',
            url,
            body,
            {},
            (loaded) => this.#inflight.set(partNumber, loaded),
            this.#requests,
          );
        } catch (error) {
          this.#signed.delete(partNumber); // it may have expired
          for (const xhr of this.#requests) xhr.abort(); // the others resume after the re-sync
          throw error;
        } finally {
          this.#inflight.delete(partNumber);
        }
        this.confirmed += body.size;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, queue.length) }, worker));
  }

  /** A fresh presigned URL for the part, signing the next few parts in the same request. */
  async #partUrl(partNumber, queue) {
    const known = this.#signed.get(partNumber);
    if (known && Date.now() - known.at < SIGNED_URL_REUSE_MS) return known.url;
    const wanted = [partNumber, ...queue.filter((n) => !this.#signed.has(n)).slice(0, SIGN_BATCH - 1)];
    const { parts } = await api(launch, `/api/resumable-uploads/${this.#view.uploadId}/parts`, {
      method: 'POST',
      body: { partNumbers: wanted },
    });
    for (const part of parts) this.#signed.set(part.partNumber, { url: part.url, at: Date.now() });
    return this.#signed.get(partNumber).url;
  }

  pause() {
    this.#attempt++;
    for (const xhr of this.#requests) xhr.abort();
    this.#set('paused');
  }

  async cancel() {
    this.#attempt++;
    for (const xhr of this.#requests) xhr.abort();
    const uploadId = this.#view?.uploadId ?? localStorage.getItem(this.#savedKey);
    localStorage.removeItem(this.#savedKey);
    this.#set('cancelled');
    if (uploadId)
      await api(launch, `/api/resumable-uploads/${uploadId}`, { method: 'DELETE' }).catch(() => {});
  }
}

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
    status.textContent = state === 'failed' ? t('failed', { reason: uploader.error }) : t(state, { seconds });
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
    uploader = new Uploader(file, productId, render);
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
