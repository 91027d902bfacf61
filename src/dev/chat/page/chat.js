// The local chat page: one person's private chat with the bot, kept up to date by long polling
// /dev/chat/api/chat. The bot's HTML is rebuilt from the tags Telegram's HTML mode allows; any
// other markup shows as its text.

import { WORDS } from './words.js';

const $ = (selector) => document.querySelector(selector);
const messagesEl = $('[data-messages]');
const input = $('[data-input]');
let words = WORDS.en;

/** Puts the page's own labels in `language` (English for a language it does not have). */
function speak(language) {
  const chosen = language in WORDS ? language : 'en';
  words = WORDS[chosen];
  document.documentElement.lang = chosen;
  document.title = words.title;
  for (const el of document.querySelectorAll('[data-word]')) el.textContent = words[el.dataset.word];
  for (const el of document.querySelectorAll('[data-word-label]')) {
    el.setAttribute('aria-label', words[el.dataset.wordLabel]);
  }
  input.placeholder = words.message;
  for (const el of document.querySelectorAll('[data-role]')) el.textContent = words.roles[el.dataset.role];
}

let people = [];
let current = null;
let poll = null;
let commands = [];
const shown = new Map(); // message id → { key, element }
// Whether the reader is at the newest message: new messages and late-loading pictures keep them there.
let atBottom = true;
const toBottom = () => {
  if (atBottom) messagesEl.scrollTop = messagesEl.scrollHeight;
};
messagesEl.addEventListener('scroll', () => {
  atBottom = messagesEl.scrollHeight - messagesEl.scrollTop - messagesEl.clientHeight < 80;
});

async function api(path, body) {
  const response = await fetch(`/dev/chat/api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.error?.message ?? `HTTP ${response.status}`);
  }
  return response.status === 204 ? null : response.json();
}

// --- Telegram's HTML subset -----------------------------------------------------------------
const SAME = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'code',
  'pre',
  'blockquote',
]);

function renderHtml(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const out = document.createDocumentFragment();
  for (const node of doc.body.childNodes) out.append(safeNode(node));
  return out;
}

function safeNode(node) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
  if (node.nodeType !== Node.ELEMENT_NODE) return document.createTextNode('');
  const tag = node.tagName.toLowerCase();
  let element;
  if (SAME.has(tag)) element = document.createElement(tag);
  else if (tag === 'a') {
    element = document.createElement('a');
    const href = node.getAttribute('href') ?? '';
    if (/^(https?:|tg:|mailto:)/i.test(href)) element.href = href;
    element.target = '_blank';
    element.rel = 'noopener';
  } else if (tag === 'tg-spoiler' || (tag === 'span' && node.classList.contains('tg-spoiler'))) {
    element = document.createElement('span');
    element.className = 'spoiler';
    element.addEventListener('click', () => element.classList.add('shown'));
  } else element = document.createElement('span'); // tg-emoji, tg-time, and anything else: its text
  for (const child of node.childNodes) element.append(safeNode(child));
  return element;
}

// --- Messages -------------------------------------------------------------------------------
function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function time(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function messageElement(message) {
  const wrap = document.createElement('div');
  wrap.className = `msg ${message.sender}`;
  wrap.dataset.message = String(message.id);
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  const { media } = message;
  if (media?.kind === 'photo') {
    const img = document.createElement('img');
    img.src = media.url;
    img.alt = media.name;
    img.addEventListener('load', toBottom);
    bubble.append(img);
  } else if (media) {
    const link = document.createElement('a');
    link.className = 'doc';
    link.href = media.url;
    link.download = media.name;
    link.dataset.document = media.name;
    const icon = document.createElement('span');
    icon.className = 'icon';
    icon.textContent = '⬇';
    const label = document.createElement('span');
    const name = document.createElement('div');
    name.className = 'name';
    name.textContent = media.name;
    const bytes = document.createElement('div');
    bytes.className = 'size';
    bytes.textContent = size(media.size);
    label.append(name, bytes);
    link.append(icon, label);
    bubble.append(link);
  }
  if (message.text) {
    const text = document.createElement('span');
    text.dataset.text = '';
    text.append(message.sender === 'bot' ? renderHtml(message.text) : document.createTextNode(message.text));
    bubble.append(text);
  } else if (media?.kind === 'photo') bubble.classList.add('media-only');
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = `${message.edited ? 'edited ' : ''}${time(message.date)}${message.sender === 'user' ? ' ✓✓' : ''}`;
  bubble.append(meta);
  wrap.append(bubble);
  if (message.keyboard.length > 0) wrap.append(keyboardElement(message));
  return wrap;
}

function keyboardElement(message) {
  const board = document.createElement('div');
  board.className = 'keyboard';
  for (const row of message.keyboard) {
    const line = document.createElement('div');
    line.className = 'row';
    for (const button of row) {
      // A link button is a link: it opens in a new tab, as Telegram opens it in the browser.
      const el = document.createElement(button.kind === 'url' ? 'a' : 'button');
      if (button.kind === 'url') {
        el.href = button.url;
        el.target = '_blank';
        el.rel = 'noopener';
      } else el.type = 'button';
      el.dataset.button = button.kind;
      el.textContent = button.text;
      if (button.kind === 'url' || button.kind === 'web_app') {
        const corner = document.createElement('span');
        corner.className = 'corner';
        corner.textContent = button.kind === 'url' ? '↗' : '▣';
        el.append(corner);
      }
      if (button.kind !== 'url') el.addEventListener('click', () => pressed(message, button, el));
      if (button.kind === 'other') el.disabled = true;
      line.append(el);
    }
    board.append(line);
  }
  return board;
}

async function pressed(message, button, el) {
  try {
    if (button.kind === 'callback') {
      el.disabled = true;
      await api('press', { user: current.id, messageId: message.id, data: button.data });
    } else if (button.kind === 'web_app') {
      const { url } = await api('launch', { user: current.id, url: button.url });
      window.open(url, '_blank');
    } else if (button.kind === 'copy') {
      await navigator.clipboard?.writeText(button.copy);
      toast(words.copied);
    }
  } catch (error) {
    toast(error.message);
  } finally {
    el.disabled = button.kind === 'other';
  }
}

function render(chat) {
  const ids = new Set(chat.messages.map((m) => m.id));
  for (const [id, entry] of shown) {
    if (!ids.has(id)) {
      entry.element.remove();
      shown.delete(id);
    }
  }
  let previous = null;
  for (const message of chat.messages) {
    const key = JSON.stringify(message);
    let entry = shown.get(message.id);
    if (!entry || entry.key !== key) {
      const element = messageElement(message);
      if (entry) entry.element.replaceWith(element);
      entry = { key, element };
      shown.set(message.id, entry);
    }
    if (entry.element.previousElementSibling !== previous || !entry.element.isConnected) {
      if (previous) previous.after(entry.element);
      else messagesEl.prepend(entry.element);
    }
    previous = entry.element;
  }
  $('[data-empty]')?.remove();
  if (chat.messages.length === 0) {
    const empty = document.createElement('div');
    empty.className = 'empty';
    empty.dataset.empty = '';
    empty.textContent = words.empty(current.name);
    messagesEl.append(empty);
  }
  toBottom();
  const status = $('[data-status]');
  status.textContent = chat.typing ? (words.actions[chat.typing] ?? `${chat.typing}…`) : words.bot;
  status.classList.toggle('busy', Boolean(chat.typing));
  commands = chat.commands;
  for (const alert of chat.alerts) (alert.dialog ? dialog : toast)(alert.text);
}

// --- Long polling, one person at a time -----------------------------------------------------
async function follow(person) {
  poll?.abort();
  const controller = new AbortController();
  poll = controller;
  let since = 0;
  let first = true;
  while (!controller.signal.aborted) {
    try {
      const response = await fetch(`/dev/chat/api/chat?user=${person.id}&since=${since}`, {
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const chat = await response.json();
      if (controller.signal.aborted) return;
      // Alerts of earlier visits are not replayed.
      render(first ? { ...chat, alerts: [] } : chat);
      since = chat.version;
      first = false;
    } catch {
      if (controller.signal.aborted) return;
      $('[data-status]').textContent = words.unreachable;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

function choose(person) {
  current = person;
  speak(person.language);
  localStorage.setItem('agora-dev-chat-person', String(person.id));
  for (const el of document.querySelectorAll('[data-person]')) {
    el.setAttribute('aria-pressed', String(Number(el.dataset.person) === person.id));
  }
  for (const { element } of shown.values()) element.remove();
  shown.clear();
  atBottom = true;
  $('[data-commands]').hidden = true;
  follow(person);
  input.focus();
}

// --- Composer: text, commands menu, files ---------------------------------------------------
async function send(text) {
  if (!text.trim()) return;
  input.value = '';
  try {
    await api('send', { user: current.id, text });
  } catch (error) {
    toast(error.message);
    input.value = text;
  }
}

$('[data-composer]').addEventListener('submit', (event) => {
  event.preventDefault();
  send(input.value);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    send(input.value);
  }
});

$('[data-menu]').addEventListener('click', () => {
  const menu = $('[data-commands]');
  menu.replaceChildren(
    ...commands.map((c) => {
      const item = document.createElement('button');
      item.type = 'button';
      item.dataset.command = c.command;
      const name = document.createElement('b');
      name.textContent = `/${c.command}`;
      const description = document.createElement('span');
      description.textContent = c.description;
      item.append(name, description);
      item.addEventListener('click', () => {
        menu.hidden = true;
        send(`/${c.command}`);
      });
      return item;
    }),
  );
  menu.hidden = !menu.hidden || commands.length === 0;
  $('[data-attach-menu]').hidden = true;
});

$('[data-attach]').addEventListener('click', () => {
  $('[data-attach-menu]').hidden = !$('[data-attach-menu]').hidden;
  $('[data-commands]').hidden = true;
});

for (const [selector, kind] of [
  ['[data-photo-input]', 'photo'],
  ['[data-file-input]', 'document'],
]) {
  const picker = $(selector);
  picker.addEventListener('change', async () => {
    const file = picker.files?.[0];
    picker.value = '';
    $('[data-attach-menu]').hidden = true;
    if (!file) return;
    const query = new URLSearchParams({ user: String(current.id), kind, name: file.name, type: file.type });
    const response = await fetch(`/dev/chat/api/upload?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: file,
    });
    if (!response.ok)
      toast((await response.json().catch(() => ({}))).error?.message ?? `HTTP ${response.status}`);
  });
}

// --- Alerts ---------------------------------------------------------------------------------
let toastTimer;
function toast(text) {
  const el = $('[data-toast]');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.hidden = true;
  }, 2500);
}

function dialog(text) {
  $('[data-dialog-text]').textContent = text;
  $('[data-dialog]').hidden = false;
}
$('[data-dialog-ok]').addEventListener('click', () => {
  $('[data-dialog]').hidden = true;
});

// --- Start ----------------------------------------------------------------------------------
const start = await api('people');
people = start.people;
$('[data-bot-name]').textContent = start.bot.name;
if (start.simulatorPage) {
  // Where payments are marked paid: the NOWPayments simulator's page, with this run's token.
  const sim = document.createElement('a');
  sim.className = 'sim';
  sim.dataset.sim = '';
  sim.href = start.simulatorPage;
  sim.target = '_blank';
  sim.rel = 'noopener';
  sim.dataset.word = 'payments';
  $('[data-sim-slot]').replaceWith(sim);
}
const nav = $('[data-people]');
for (const person of people) {
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.person = String(person.id);
  button.append(`${person.name} `);
  const detail = document.createElement('small');
  const role = document.createElement('span');
  role.dataset.role = person.role;
  detail.append(role, ` · ${person.language}`);
  button.append(detail);
  button.addEventListener('click', () => choose(person));
  nav.append(button);
}
const wanted = Number(
  new URLSearchParams(location.hash.slice(1)).get('user') ?? localStorage.getItem('agora-dev-chat-person'),
);
choose(people.find((p) => p.id === wanted) ?? people[0]);
