// The Mini App side of Telegram, without Telegram's script (we serve nothing from a CDN):
// the launch parameters Telegram puts in the URL hash, theme colours, events both ways, and
// API calls that carry the signed initData as `Authorization: tma <initData>`.
// Protocol: https://core.telegram.org/api/web-events and https://core.telegram.org/bots/webapps

const LAUNCH_KEY = 'agora.launch';

/** tgWebAppData and friends from the hash; kept for the tab so a reload still has them. */
export function launchParams() {
  const hash = window.location.hash.slice(1);
  let params = new URLSearchParams(hash);
  if (params.has('tgWebAppData')) sessionStorage.setItem(LAUNCH_KEY, hash);
  else params = new URLSearchParams(sessionStorage.getItem(LAUNCH_KEY) ?? '');
  const initData = params.get('tgWebAppData') ?? '';
  let user = null;
  let theme = {};
  try {
    user = JSON.parse(new URLSearchParams(initData).get('user') ?? 'null');
  } catch {}
  try {
    theme = JSON.parse(params.get('tgWebAppThemeParams') ?? '{}');
  } catch {}
  return {
    initData,
    user,
    theme,
    version: params.get('tgWebAppVersion') ?? '',
    platform: params.get('tgWebAppPlatform') ?? 'unknown',
  };
}

/** French by default; a Telegram client set to another language gets English (as the bot). */
export function languageOf(user) {
  const code = user?.language_code ?? (user ? '' : navigator.language);
  return !code || code.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function translator(messages, language) {
  const table = messages[language] ?? messages.fr;
  return (key, vars = {}) =>
    (table[key] ?? messages.fr[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

/** Sends an event to the Telegram client: mobile webview, desktop, or web (iframe). */
export function postEvent(eventType, eventData = {}) {
  const data = JSON.stringify(eventData);
  if (window.TelegramWebviewProxy?.postEvent) {
    window.TelegramWebviewProxy.postEvent(eventType, data);
  } else if (window.external && 'notify' in window.external) {
    window.external.notify(JSON.stringify({ eventType, eventData }));
  } else if (window.parent !== window) {
    window.parent.postMessage(JSON.stringify({ eventType, eventData }), 'https://web.telegram.org');
  }
}

const listeners = new Map();
function dispatch(eventType, eventData) {
  for (const handler of listeners.get(eventType) ?? []) handler(eventData);
}
// Native clients call window.Telegram.WebView.receiveEvent; the web client posts messages.
window.Telegram = window.Telegram ?? {};
window.Telegram.WebView = { receiveEvent: dispatch };
window.addEventListener('message', (event) => {
  try {
    const { eventType, eventData } = JSON.parse(event.data);
    if (typeof eventType === 'string') dispatch(eventType, eventData);
  } catch {}
});

export function onEvent(eventType, handler) {
  listeners.set(eventType, [...(listeners.get(eventType) ?? []), handler]);
}

/** themeParams as the --tg-theme-* CSS variables Telegram's own script sets. */
export function applyTheme(theme) {
  for (const [name, value] of Object.entries(theme ?? {})) {
    if (/^#[0-9a-f]{3,8}$/i.test(String(value))) {
      document.documentElement.style.setProperty(`--tg-theme-${name.replace(/_/g, '-')}`, value);
    }
  }
  document.documentElement.dataset.scheme = isDark(theme?.bg_color) ? 'dark' : 'light';
}

function isDark(hex) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex ?? '');
  if (!m) return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  const [r, g, b] = m.slice(1).map((x) => Number.parseInt(x, 16));
  return 0.299 * r + 0.587 * g + 0.114 * b < 128;
}

/** Follows the client: theme changes, viewport height; tells it the page is ready. */
export function connect(launch) {
  applyTheme(launch.theme);
  onEvent('theme_changed', (data) => applyTheme(data?.theme_params));
  onEvent('viewport_changed', (data) => {
    if (Number.isFinite(data?.height)) {
      document.documentElement.style.setProperty('--tg-viewport-height', `${data.height}px`);
    }
  });
  postEvent('web_app_ready');
  postEvent('web_app_expand');
  postEvent('web_app_request_theme');
  postEvent('web_app_request_viewport');
}

/** True when the client is at least `wanted` (e.g. '8.0'). */
export function supports(launch, wanted) {
  const have = launch.version.split('.').map(Number);
  const need = wanted.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) > need[i];
  }
  return true;
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** A JSON call to our API, signed with initData; ApiError carries the server's code. */
export async function api(launch, path, { method = 'GET', body, signal } = {}) {
  const headers = { authorization: `tma ${launch.initData}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (response.status === 204) return null;
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, payload?.error?.code ?? 'http_error', payload?.error?.message ?? '');
  }
  return payload;
}

/** Sizes as people read them: 1,5 Go / 1.5 GB. */
export function formatBytes(bytes, language) {
  const units = language === 'fr' ? ['o', 'Ko', 'Mo', 'Go', 'To'] : ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(language, { maximumFractionDigits: digits })} ${units[unit]}`;
}

/** Fills the page's error panel and hides the rest. */
export function showProblem(title, text) {
  document.querySelector('[data-view="main"]')?.setAttribute('hidden', '');
  const panel = document.querySelector('[data-view="problem"]');
  panel.querySelector('[data-problem-title]').textContent = title;
  panel.querySelector('[data-problem-text]').textContent = text;
  panel.removeAttribute('hidden');
}
