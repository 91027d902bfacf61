// Sends one file to a seller's product in parts that survive a dropped connection.
// S3: parts go straight to the bucket through presigned URLs, a few at a time.
// Local folder: chunks are appended through our server at the offset it reports. Either way,
// after a cut it asks the server what arrived and sends only the rest. The SHA-256 is computed
// in the browser (hash-wasm) while the bytes travel; the server checks it at the end.
import { ApiError, api } from './telegram.js';

const HASH_SLICE = 8 * 1024 * 1024;
const PARALLEL_PARTS = 3;
const SIGN_BATCH = 20;
const SIGNED_URL_REUSE_MS = 10 * 60 * 1000; // the server signs for 15 minutes
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];

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

/**
 * One file's upload, from start (or resume) to done. `state` is starting, uploading, retrying,
 * reconnecting, verifying, paused, cancelled, failed (`failure` holds why) or done;
 * `onChange(uploader)` is called on each change.
 */
export class Uploader {
  #launch;
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
  failure = null;

  constructor(launch, file, productId, onChange) {
    this.#launch = launch;
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
        await api(this.#launch, `/api/resumable-uploads/${this.#view.uploadId}/complete`, {
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
          this.#set('failed', { failure: error });
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
        const view = await api(this.#launch, `/api/resumable-uploads/${known}`);
        if (view.size === this.size) return this.#adopt(view);
      } catch (error) {
        if (!(error instanceof ApiError) || ![404, 409].includes(error.status)) throw error;
      }
      localStorage.removeItem(this.#savedKey);
      this.#hashing = null;
    }
    const view = await api(this.#launch, '/api/resumable-uploads', {
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
          authorization: `tma ${this.#launch.initData}`,
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
    const { parts } = await api(this.#launch, `/api/resumable-uploads/${this.#view.uploadId}/parts`, {
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
      await api(this.#launch, `/api/resumable-uploads/${uploadId}`, { method: 'DELETE' }).catch(() => {});
  }
}
