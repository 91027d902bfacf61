// Texts are shortened the way Telegram counts them, and never cut inside a character.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitted, oneLine, TELEGRAM_LIMITS, truncate, visibleLength } from '../../src/bot/ui/text.ts';

const hasLoneSurrogate = (text: string) =>
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

test('Telegram counts the visible text: tags removed, an entity is one character', () => {
  assert.equal(visibleLength('<b>Caf&eacute;</b>'), 'Caf&eacute;'.length);
  assert.equal(visibleLength('<b>a &lt; b</b> &amp; <i>c</i>'), 'a < b & c'.length);
  assert.equal(visibleLength('😀'), 2, 'an emoji is two UTF-16 units');
});

test('an emoji at the cutting point is kept whole or dropped, never split', () => {
  const text = `${'a'.repeat(199)}😀 and more`;
  for (const max of [199, 200, 201, 202]) {
    const cut = truncate(text, max);
    assert.ok(cut.length <= max, `${cut.length} <= ${max}`);
    assert.ok(!hasLoneSurrogate(cut), `no broken emoji at ${max}`);
    assert.ok(cut.endsWith('…'));
  }
  assert.equal(truncate('short', 10), 'short');
  assert.equal(oneLine('a\n  b\tc', 10), 'a b c');
});

test('a flag, a skin tone or a family is kept whole at the cutting point', () => {
  for (const emoji of ['🇫🇷', '👍🏽', '👨‍👩‍👧‍👦']) {
    const text = `${'a'.repeat(199)}${emoji} and more`;
    for (let max = 199; max <= 199 + emoji.length + 1; max++) {
      const cut = truncate(text, max);
      assert.ok(cut.length <= max);
      const kept = cut.slice(199, -1);
      assert.ok(kept === '' || kept === emoji, `${JSON.stringify(kept)} at ${max}: all of ${emoji} or none`);
    }
  }
});

test('a caption is fitted by its rendered, visible length', () => {
  const description = '😀'.repeat(1000);
  const caption = fitted(
    description,
    TELEGRAM_LIMITS.caption,
    (part) => `<b>Title</b>\n${part}\nID <code>P-1</code>`,
  );
  assert.ok(visibleLength(caption) <= TELEGRAM_LIMITS.caption);
  assert.ok(visibleLength(caption) > TELEGRAM_LIMITS.caption - 10, 'uses the room it has');
  assert.ok(!hasLoneSurrogate(caption));
  assert.equal(
    fitted('fits', 100, (part) => `<i>${part}</i>`),
    '<i>fits</i>',
  );
});
