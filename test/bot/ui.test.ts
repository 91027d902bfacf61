// Pure helpers every screen relies on: HTML escaping, callback data, pagers, deep links.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  parseStartPayload,
  productStartPayload,
  shopStartPayload,
  startLink,
} from '../../src/bot/deep-links.ts';
import {
  actionPattern,
  CallbackDataError,
  callbackData,
  MAX_CALLBACK_BYTES,
  parseCallbackData,
} from '../../src/bot/ui/callback-data.ts';
import { escapeHtml, Html, html } from '../../src/bot/ui/html.ts';
import { pager, urlButton } from '../../src/bot/ui/keyboard.ts';
import { buttonAcceptsUrl, offerLink } from '../../src/bot/ui/links.ts';
import { miniAppUrl } from '../../src/bot/ui/mini-app.ts';
import { checkKeyboard } from '../../src/dev/telegram/keyboard-rules.ts';

test('a 200-character title containing <b>& is rendered escaped through html', () => {
  const title = `<b>&${'é'.repeat(196)}`;
  assert.equal(title.length, 200);
  const message = html`<b>${title}</b> — ${12}`;
  assert.ok(message instanceof Html);
  assert.equal(message.value, `<b>&lt;b&gt;&amp;${'é'.repeat(196)}</b> — 12`);
  assert.equal(escapeHtml('"a" <i>&amp;</i>'), '&quot;a&quot; &lt;i&gt;&amp;amp;&lt;/i&gt;');
});

test('html keeps nested fragments as markup and escapes lists item by item', () => {
  const inner = html`<i>${'x<y'}</i>`;
  assert.equal(html`${inner}|${['<', Html.raw('<br>')]}|${null}`.value, '<i>x&lt;y</i>|&lt;<br>|');
});

test('callback data is an action and short ids, parsed back, and never beyond 64 bytes', () => {
  const data = callbackData('buy', 'P-7K3M9QXD4T', 3);
  assert.equal(data, 'buy:P-7K3M9QXD4T:3');
  assert.deepEqual(parseCallbackData(data), { action: 'buy', args: ['P-7K3M9QXD4T', '3'] });
  assert.match(data, actionPattern('buy', 2));
  assert.doesNotMatch(data, actionPattern('buy', 1));

  assert.throws(() => callbackData('buy', 'a'.repeat(30), 'b'.repeat(30)), CallbackDataError);
  assert.throws(() => callbackData('search', 'two words'), CallbackDataError, 'free text is refused');
  assert.throws(() => callbackData('cat', 'Finance & Crypto'), CallbackDataError);
  assert.throws(() => callbackData('Bad Action'), CallbackDataError);
  assert.throws(() => callbackData('x', ''), CallbackDataError);
  const longest = callbackData('abcdefghijklmnop', 'a'.repeat(40), 'b'.repeat(6));
  assert.equal(Buffer.byteLength(longest), MAX_CALLBACK_BYTES);

  assert.equal(parseCallbackData('buy_product_123_Finance & Crypto_4'), null);
  assert.equal(parseCallbackData('x'.repeat(65)), null);
});

test('a pager wraps around and labels the page 1-based', () => {
  const [previous, label, next] = pager('faq', 0, 16) as { text: string; callback_data: string }[];
  assert.equal(previous?.callback_data, 'faq:15');
  assert.equal(label?.text, '1/16');
  assert.equal(label?.callback_data, 'noop');
  assert.equal(next?.callback_data, 'faq:1');
  assert.deepEqual(pager('faq', 0, 1), [], 'a single page needs no pager');
});

test('deep links: product and shop payloads are parsed, anything else is invalid', () => {
  assert.equal(parseStartPayload(''), null);
  assert.deepEqual(parseStartPayload('product_P-7K3M9QXD4T'), { kind: 'product', productId: 'P-7K3M9QXD4T' });
  assert.deepEqual(parseStartPayload('product_p-7k3m9qxd4t'), { kind: 'product', productId: 'P-7K3M9QXD4T' });
  assert.deepEqual(parseStartPayload('shop_123456789'), { kind: 'shop', sellerId: 123456789 });
  for (const bad of [
    'product_',
    'product_O-7K3M9QXD4T',
    'product_XYZ',
    'shop_abc',
    'shop_0',
    'shop_1e5',
    'hello',
    '_x',
  ]) {
    assert.deepEqual(parseStartPayload(bad), { kind: 'invalid' }, bad);
  }
  assert.deepEqual(parseStartPayload(`shop_${'9'.repeat(17)}`), { kind: 'invalid' });

  const payload = productStartPayload('P-7K3M9QXD4T');
  assert.deepEqual(parseStartPayload(payload), { kind: 'product', productId: 'P-7K3M9QXD4T' });
  assert.deepEqual(parseStartPayload(shopStartPayload(42)), { kind: 'shop', sellerId: 42 });
  assert.equal(startLink('agora_bot', payload), 'https://t.me/agora_bot?start=product_P-7K3M9QXD4T');
  assert.throws(() => productStartPayload('not an id'), TypeError);
});

test('a link gets a URL button exactly when Telegram accepts one, else it is written in the text', () => {
  for (const url of [
    'https://agora.example/download/abc',
    'http://127.0.0.1:3000/download/abc',
    'http://localhost:3000/download/abc',
    'https://intranet/download/abc',
    'http://[::1]:3000/x',
  ]) {
    const refused = checkKeyboard({ inline_keyboard: [[urlButton('Open', url)]] });
    assert.equal(buttonAcceptsUrl(url), refused === undefined, url);
  }
  assert.deepEqual(offerLink('Open', 'https://agora.example/d/1'), {
    button: { text: 'Open', url: 'https://agora.example/d/1' },
    text: '',
  });
  assert.deepEqual(offerLink('Open <now>', 'http://localhost:3000/d/1?a=1&b=2'), {
    button: null,
    text: '\n\nOpen &lt;now&gt;\n<a href="http://localhost:3000/d/1?a=1&amp;b=2">http://localhost:3000/d/1?a=1&amp;b=2</a>',
  });
  assert.equal(
    miniAppUrl({ publicUrl: 'https://intranet' }, '/app/library'),
    null,
    'no web_app button to a host without a dot',
  );
  assert.equal(
    miniAppUrl({ publicUrl: 'https://agora.example' }, '/app/library'),
    'https://agora.example/app/library',
  );
});
