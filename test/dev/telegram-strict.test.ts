// The strict Telegram double, rule by rule: what the Bot API accepts passes, what it refuses gets
// Telegram's exact error (the descriptions real bots receive). Then the double in use: a grammY
// handler sees the refusal as the GrammyError a real bot would catch.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Bot, GrammyError } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import { FAKE_BOT_INFO, FAKE_BOT_TOKEN, FakeTelegram } from '../../src/dev/telegram/fake-telegram.ts';
import { checkCall, StrictTelegram, type Verdict } from '../../src/dev/telegram/strict.ts';

const CHAT = 4242;
const HOUR = 3600 * 1000;
const OK: Verdict = { ok: true };

function refused(description: string, error_code = 400): Verdict {
  return { ok: false, error_code, description };
}

function keyboard(...buttons: InlineKeyboardButton[]) {
  return { inline_keyboard: [buttons] };
}

/** One private chat with the bot, on a clock the test moves. */
class Chat {
  clock = Date.UTC(2026, 0, 15, 12);
  readonly telegram = new StrictTelegram({ now: () => this.clock });
  #nextMessageId = 1;

  /** Calls `method` in this chat; an accepted call is recorded as the double records it. */
  call(method: string, payload: Record<string, unknown>): Verdict {
    const full = { chat_id: CHAT, ...payload };
    const verdict = this.telegram.check(method, full);
    if (verdict.ok)
      this.telegram.record(method, full, method.startsWith('send') ? this.#nextMessageId++ : undefined);
    return verdict;
  }

  /** Sends a message that must be accepted; returns its id. */
  send(method: string, payload: Record<string, unknown>): number {
    const id = this.#nextMessageId;
    assert.deepEqual(this.call(method, payload), OK);
    return id;
  }

  /** The user writes in the chat. */
  userWrites(): number {
    const id = this.#nextMessageId++;
    this.telegram.userMessage(CHAT, id);
    return id;
  }
}

describe('message text: 4096 UTF-16 code units after entity parsing', () => {
  test('4096 visible characters pass, 4097 are "message is too long"', () => {
    const chat = new Chat();
    assert.deepEqual(chat.call('sendMessage', { text: 'x'.repeat(4096) }), OK);
    assert.deepEqual(
      chat.call('sendMessage', { text: 'x'.repeat(4097) }),
      refused('Bad Request: message is too long'),
    );
  });

  test('tags do not count and an entity such as &lt; counts as one character', () => {
    const chat = new Chat();
    const long = `<b>${'x'.repeat(2000)}</b><i>${'&lt;'.repeat(2096)}</i>`;
    assert.ok(long.length > 4096);
    assert.deepEqual(chat.call('sendMessage', { text: long, parse_mode: 'HTML' }), OK);
    assert.deepEqual(
      chat.call('sendMessage', { text: `${long}&amp;`, parse_mode: 'HTML' }),
      refused('Bad Request: message is too long'),
    );
  });

  test('without a parse mode the markup is text and counts', () => {
    const chat = new Chat();
    assert.deepEqual(
      chat.call('sendMessage', { text: `<b>${'x'.repeat(4090)}</b>` }),
      refused('Bad Request: message is too long'),
    );
  });

  test('an emoji outside the BMP counts as two units', () => {
    const chat = new Chat();
    assert.deepEqual(chat.call('sendMessage', { text: '😀'.repeat(2048) }), OK);
    assert.deepEqual(
      chat.call('sendMessage', { text: `${'😀'.repeat(2048)}x` }),
      refused('Bad Request: message is too long'),
    );
  });

  test('an empty text is refused, and so is one that renders as nothing but spaces', () => {
    const chat = new Chat();
    assert.deepEqual(chat.call('sendMessage', { text: '' }), refused('Bad Request: message text is empty'));
    assert.deepEqual(
      chat.call('sendMessage', { text: '<b> </b>', parse_mode: 'HTML' }),
      refused('Bad Request: text must be non-empty'),
    );
    assert.deepEqual(chat.call('sendMessage', { text: '<b>.</b>', parse_mode: 'HTML' }), OK);
  });

  test('editMessageText is measured the same way', () => {
    const chat = new Chat();
    const id = chat.send('sendMessage', { text: 'short' });
    assert.deepEqual(
      chat.call('editMessageText', { message_id: id, text: 'y'.repeat(4097) }),
      refused('Bad Request: message is too long'),
    );
    assert.deepEqual(chat.call('editMessageText', { message_id: id, text: 'y'.repeat(4096) }), OK);
  });
});

describe('captions: 1024 UTF-16 code units after entity parsing', () => {
  test('sendPhoto and sendDocument: 1024 pass, 1025 are "message caption is too long"', () => {
    const chat = new Chat();
    for (const [method, field] of [
      ['sendPhoto', 'photo'],
      ['sendDocument', 'document'],
    ] as const) {
      const caption = `<b>${'c'.repeat(1000)}</b>${'&quot;'.repeat(24)}`;
      assert.deepEqual(chat.call(method, { [field]: 'file-id', caption, parse_mode: 'HTML' }), OK);
      assert.deepEqual(
        chat.call(method, { [field]: 'file-id', caption: `${caption}!`, parse_mode: 'HTML' }),
        refused('Bad Request: message caption is too long'),
      );
    }
  });

  test('a photo without a caption is fine', () => {
    assert.deepEqual(new Chat().call('sendPhoto', { photo: 'file-id' }), OK);
  });

  test('editMessageCaption and the caption of editMessageMedia are measured too', () => {
    const chat = new Chat();
    const id = chat.send('sendPhoto', { photo: 'file-id', caption: 'card' });
    assert.deepEqual(
      chat.call('editMessageCaption', { message_id: id, caption: 'c'.repeat(1025) }),
      refused('Bad Request: message caption is too long'),
    );
    assert.deepEqual(
      chat.call('editMessageMedia', {
        message_id: id,
        media: { type: 'photo', media: 'other-file', caption: 'c'.repeat(1025) },
      }),
      refused('Bad Request: message caption is too long'),
    );
    assert.deepEqual(
      chat.call('editMessageMedia', {
        message_id: id,
        media: { type: 'photo', media: 'other-file', caption: 'c'.repeat(1024) },
      }),
      OK,
    );
  });
});

describe("HTML parse mode: Telegram's tags only, balanced", () => {
  const send = (text: string) => new Chat().call('sendMessage', { text, parse_mode: 'HTML' });
  const cantParse = (reason: string) => refused(`Bad Request: can't parse entities: ${reason}`);

  test('the supported tags, nested and with their attributes, pass', () => {
    assert.deepEqual(
      send(
        '<b>b <i>i <u>u <s>s</s></u></i></b> <strong>x</strong><em>y</em><ins>z</ins><del>d</del>' +
          '<a href="https://agora.example/?a=1&amp;b=2">link</a> <code>c</code>' +
          '<pre><code class="language-ts">let x;</code></pre> <tg-spoiler>s</tg-spoiler>' +
          '<span class="tg-spoiler">s</span> <blockquote expandable>q</blockquote>',
      ),
      OK,
    );
  });

  test('a bare & or > is plain text, as Telegram keeps it', () => {
    assert.deepEqual(send('Tom & Jerry > Itchy'), OK);
  });

  test('an unknown tag is refused with its byte offset', () => {
    assert.deepEqual(send('line<br>next'), cantParse('Unsupported start tag "br" at byte offset 4'));
    // Offsets count UTF-8 bytes: "é" is two.
    assert.deepEqual(send('é<p>x</p>'), cantParse('Unsupported start tag "p" at byte offset 2'));
    assert.deepEqual(send('1 < 2'), cantParse('Unsupported start tag "" at byte offset 2'));
  });

  test('an unclosed tag is refused', () => {
    assert.deepEqual(send('<b>unclosed'), cantParse('Can\'t find end tag corresponding to start tag "b"'));
    assert.deepEqual(send('text <b'), cantParse('Unclosed start tag at byte offset 5'));
  });

  test('tags closed out of order, or never opened, are refused', () => {
    assert.deepEqual(
      send('<b><i>test</b></i>'),
      cantParse('Unmatched end tag at byte offset 10, expected "</i>", found "</b>"'),
    );
    assert.deepEqual(send('text</b>'), cantParse('Unexpected end tag at byte offset 4'));
  });

  test('a span must be a spoiler, and attributes need a value', () => {
    assert.deepEqual(
      send('<span class="red">x</span>'),
      cantParse('Tag "span" must have class "tg-spoiler" at byte offset 0'),
    );
    assert.deepEqual(
      send('<a href>x</a>'),
      cantParse('Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0'),
    );
  });

  test('captions are parsed the same way', () => {
    assert.deepEqual(
      new Chat().call('sendPhoto', { photo: 'file-id', caption: '<div>x</div>', parse_mode: 'HTML' }),
      cantParse('Unsupported start tag "div" at byte offset 0'),
    );
  });
});

describe('broken surrogates: half an emoji is not UTF-8', () => {
  const emoji = '😀';
  const high = emoji.slice(0, 1);
  const low = emoji.slice(1);

  test('a whole emoji passes; a lone high or low surrogate in a text is refused', () => {
    const chat = new Chat();
    assert.deepEqual(chat.call('sendMessage', { text: `ok ${emoji}` }), OK);
    for (const half of [high, low]) {
      assert.deepEqual(
        chat.call('sendMessage', { text: `cut ${half}`, parse_mode: 'HTML' }),
        refused('Bad Request: text must be encoded in UTF-8'),
      );
    }
  });

  test('in a caption and in an edit too', () => {
    const chat = new Chat();
    const id = chat.send('sendMessage', { text: 'before' });
    assert.deepEqual(
      chat.call('sendPhoto', { photo: 'file-id', caption: `x${high}`, parse_mode: 'HTML' }),
      refused('Bad Request: text must be encoded in UTF-8'),
    );
    assert.deepEqual(
      chat.call('editMessageText', { message_id: id, text: `after ${low}`, parse_mode: 'HTML' }),
      refused('Bad Request: text must be encoded in UTF-8'),
    );
  });

  test('without a parse mode Telegram words it "strings"', () => {
    assert.deepEqual(
      new Chat().call('sendMessage', { text: `cut ${high}` }),
      refused('Bad Request: strings must be encoded in UTF-8'),
    );
  });

  test('in a button label', () => {
    const chat = new Chat();
    assert.deepEqual(
      chat.call('sendMessage', { text: 't', reply_markup: keyboard({ text: emoji, callback_data: 'a' }) }),
      OK,
    );
    assert.deepEqual(
      chat.call('sendMessage', {
        text: 't',
        reply_markup: keyboard({ text: `Title ${high}`, callback_data: 'a' }),
      }),
      refused('Bad Request: inline keyboard button text must be encoded in UTF-8'),
    );
  });

  test('a numeric entity naming a surrogate is refused after decoding', () => {
    assert.deepEqual(
      new Chat().call('sendMessage', { text: 'x &#55357; y', parse_mode: 'HTML' }),
      refused(
        "Bad Request: can't parse entities: Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units",
      ),
    );
    assert.deepEqual(new Chat().call('sendMessage', { text: 'x &#128512; y', parse_mode: 'HTML' }), OK);
  });
});

describe('inline keyboards', () => {
  const sendWith = (...buttons: InlineKeyboardButton[]) =>
    new Chat().call('sendMessage', { text: 'menu', reply_markup: keyboard(...buttons) });

  test('callback data up to 64 bytes passes, 65 is BUTTON_DATA_INVALID', () => {
    assert.deepEqual(sendWith({ text: 'a', callback_data: 'x'.repeat(64) }), OK);
    assert.deepEqual(
      sendWith({ text: 'a', callback_data: 'x'.repeat(65) }),
      refused('Bad Request: BUTTON_DATA_INVALID'),
    );
  });

  test('callback data is measured in UTF-8 bytes, not characters', () => {
    assert.deepEqual(sendWith({ text: 'a', callback_data: 'é'.repeat(32) }), OK);
    assert.deepEqual(
      sendWith({ text: 'a', callback_data: 'é'.repeat(33) }),
      refused('Bad Request: BUTTON_DATA_INVALID'),
    );
  });

  test('URL buttons: http(s) to a host with a dot, or tg:, pass', () => {
    assert.deepEqual(
      sendWith(
        { text: 'site', url: 'https://agora.example/download/abc?x=1' },
        { text: 'port', url: 'http://files.agora.example:8080/a' },
        { text: 'bot', url: 'tg://resolve?domain=agora_bot' },
      ),
      OK,
    );
  });

  test('a URL button to localhost or another host without a dot is "Wrong HTTP URL"', () => {
    for (const url of ['http://localhost:3000/download/abc', 'https://intranet/x']) {
      assert.deepEqual(
        sendWith({ text: 'Download', url }),
        refused(`Bad Request: inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`),
      );
    }
  });

  test('a URL button with another protocol is "Unsupported URL protocol"', () => {
    assert.deepEqual(
      sendWith({ text: 'f', url: 'ftp://files.example.com/a' }),
      refused(
        "Bad Request: inline keyboard button URL 'ftp://files.example.com/a' is invalid: Unsupported URL protocol",
      ),
    );
  });

  test('a Web App button needs https', () => {
    assert.deepEqual(sendWith({ text: 'app', web_app: { url: 'https://app.agora.example' } }), OK);
    assert.deepEqual(
      sendWith({ text: 'app', web_app: { url: 'http://app.agora.example' } }),
      refused(
        "Bad Request: inline keyboard button Web App URL 'http://app.agora.example' is invalid: Only HTTPS links are allowed",
      ),
    );
  });

  test('a button that does nothing is refused', () => {
    assert.deepEqual(
      sendWith({ text: 'label only' } as InlineKeyboardButton),
      refused(
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
      ),
    );
  });

  test('buttons of an edit are checked too', () => {
    const chat = new Chat();
    const id = chat.send('sendMessage', { text: 'menu' });
    assert.deepEqual(
      chat.call('editMessageReplyMarkup', {
        message_id: id,
        reply_markup: keyboard({ text: 'a', callback_data: 'x'.repeat(65) }),
      }),
      refused('Bad Request: BUTTON_DATA_INVALID'),
    );
  });
});

describe('answerCallbackQuery', () => {
  test('a notification or alert of 200 characters passes, 201 is MESSAGE_TOO_LONG', () => {
    const chat = new Chat();
    assert.deepEqual(
      chat.call('answerCallbackQuery', { callback_query_id: 'q1', text: 'a'.repeat(200) }),
      OK,
    );
    assert.deepEqual(
      chat.call('answerCallbackQuery', { callback_query_id: 'q2', text: 'a'.repeat(201), show_alert: true }),
      refused('Bad Request: MESSAGE_TOO_LONG'),
    );
  });

  test('a press is answered once', () => {
    const chat = new Chat();
    assert.deepEqual(chat.call('answerCallbackQuery', { callback_query_id: 'q1' }), OK);
    assert.deepEqual(
      chat.call('answerCallbackQuery', { callback_query_id: 'q1', text: 'again' }),
      refused('Bad Request: query is too old and response timeout expired or query ID is invalid'),
    );
  });
});

describe('edits depend on the message being edited', () => {
  test("editMessageText works on a text message, not on a photo's caption", () => {
    const chat = new Chat();
    const text = chat.send('sendMessage', { text: 'screen' });
    const photo = chat.send('sendPhoto', { photo: 'file-id', caption: 'card' });
    assert.deepEqual(chat.call('editMessageText', { message_id: text, text: 'next screen' }), OK);
    assert.deepEqual(
      chat.call('editMessageText', { message_id: photo, text: 'next screen' }),
      refused('Bad Request: there is no text in the message to edit'),
    );
  });

  test('editMessageCaption works on a photo, not on a text message', () => {
    const chat = new Chat();
    const text = chat.send('sendMessage', { text: 'screen' });
    const photo = chat.send('sendPhoto', { photo: 'file-id', caption: 'card' });
    assert.deepEqual(chat.call('editMessageCaption', { message_id: photo, caption: 'new card' }), OK);
    assert.deepEqual(
      chat.call('editMessageCaption', { message_id: text, caption: 'new card' }),
      refused('Bad Request: there is no caption in the message to edit'),
    );
  });

  test('editMessageMedia works on a photo or document, not on a text message', () => {
    const chat = new Chat();
    const text = chat.send('sendMessage', { text: 'screen' });
    const file = chat.send('sendDocument', { document: 'doc-id' });
    const media = { type: 'photo', media: 'photo-id', caption: 'card' };
    assert.deepEqual(chat.call('editMessageMedia', { message_id: file, media }), OK);
    assert.equal(chat.telegram.message(CHAT, file)?.kind, 'photo', 'the document became a photo');
    assert.deepEqual(
      chat.call('editMessageMedia', { message_id: text, media }),
      refused('Bad Request: there is no media in the message to edit'),
    );
  });

  test('a message that does not exist, or that the user sent, cannot be edited', () => {
    const chat = new Chat();
    assert.deepEqual(
      chat.call('editMessageText', { message_id: 999, text: 'x' }),
      refused('Bad Request: message to edit not found'),
    );
    const theirs = chat.userWrites();
    assert.deepEqual(
      chat.call('editMessageText', { message_id: theirs, text: 'x' }),
      refused("Bad Request: message can't be edited"),
    );
  });
});

describe('an edit that changes nothing is "message is not modified"', () => {
  const NOT_MODIFIED = refused(
    'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  );
  const menu = keyboard({ text: 'Next', callback_data: 'p:2' });

  test('the same text and keyboard again', () => {
    const chat = new Chat();
    const id = chat.send('sendMessage', { text: '<b>Page 1</b>', parse_mode: 'HTML', reply_markup: menu });
    assert.deepEqual(
      chat.call('editMessageText', {
        message_id: id,
        text: '<b>Page 1</b>',
        parse_mode: 'HTML',
        reply_markup: menu,
      }),
      NOT_MODIFIED,
    );
  });

  test('different markup that renders the same text is still the same message', () => {
    const chat = new Chat();
    const id = chat.send('sendMessage', { text: '<b>Page 1</b>', parse_mode: 'HTML', reply_markup: menu });
    assert.deepEqual(
      chat.call('editMessageText', {
        message_id: id,
        text: '<strong>Page 1</strong>',
        parse_mode: 'HTML',
        reply_markup: { inline_keyboard: [[{ callback_data: 'p:2', text: 'Next' }]] },
      }),
      NOT_MODIFIED,
    );
  });

  test('new text, new formatting or a new keyboard is a change', () => {
    const chat = new Chat();
    const id = chat.send('sendMessage', { text: 'Page 1', reply_markup: menu });
    assert.deepEqual(
      chat.call('editMessageText', { message_id: id, text: 'Page 2', reply_markup: menu }),
      OK,
    );
    assert.deepEqual(
      chat.call('editMessageText', {
        message_id: id,
        text: '<i>Page 2</i>',
        parse_mode: 'HTML',
        reply_markup: menu,
      }),
      OK,
    );
    const other = keyboard({ text: 'Back', callback_data: 'p:1' });
    assert.deepEqual(
      chat.call('editMessageText', {
        message_id: id,
        text: '<i>Page 2</i>',
        parse_mode: 'HTML',
        reply_markup: other,
      }),
      OK,
    );
  });

  test('an edit without reply_markup removes the keyboard; repeating it changes nothing', () => {
    const chat = new Chat();
    const id = chat.send('sendMessage', { text: 'Done', reply_markup: menu });
    assert.deepEqual(chat.call('editMessageText', { message_id: id, text: 'Done' }), OK);
    assert.equal(chat.telegram.message(CHAT, id)?.markup, '');
    assert.deepEqual(chat.call('editMessageText', { message_id: id, text: 'Done' }), NOT_MODIFIED);
  });

  test('the same caption, the same keyboard, the same photo', () => {
    const chat = new Chat();
    const id = chat.send('sendPhoto', { photo: 'cover-1', caption: 'Card', reply_markup: menu });
    assert.deepEqual(
      chat.call('editMessageCaption', { message_id: id, caption: 'Card', reply_markup: menu }),
      NOT_MODIFIED,
    );
    assert.deepEqual(
      chat.call('editMessageMedia', {
        message_id: id,
        media: { type: 'photo', media: 'cover-1', caption: 'Card' },
        reply_markup: menu,
      }),
      NOT_MODIFIED,
    );
    assert.deepEqual(
      chat.call('editMessageMedia', {
        message_id: id,
        media: { type: 'photo', media: 'cover-2', caption: 'Card' },
        reply_markup: menu,
      }),
      OK,
    );
    assert.deepEqual(
      chat.call('editMessageReplyMarkup', { message_id: id, reply_markup: menu }),
      NOT_MODIFIED,
    );
    assert.deepEqual(chat.call('editMessageReplyMarkup', { message_id: id }), OK);
  });
});

describe('users who blocked the bot or deleted their account', () => {
  test('every send answers 403 with the reason; other chats are unaffected', () => {
    const chat = new Chat();
    chat.telegram.block(CHAT);
    const blocked = refused('Forbidden: bot was blocked by the user', 403);
    assert.deepEqual(chat.call('sendMessage', { text: 'Your purchase' }), blocked);
    assert.deepEqual(chat.call('sendPhoto', { photo: 'file-id' }), blocked);
    assert.deepEqual(chat.call('sendDocument', { document: 'file-id' }), blocked);
    assert.deepEqual(chat.call('sendChatAction', { action: 'typing' }), blocked);
    assert.deepEqual(chat.telegram.check('sendMessage', { chat_id: CHAT + 1, text: 'hi' }), OK);

    chat.telegram.block(CHAT, 'deactivated');
    assert.deepEqual(chat.call('sendMessage', { text: 'x' }), refused('Forbidden: user is deactivated', 403));
  });

  test('a user who comes back can be written to again', () => {
    const chat = new Chat();
    chat.telegram.block(CHAT);
    chat.telegram.unblock(CHAT);
    assert.deepEqual(chat.call('sendMessage', { text: 'Welcome back' }), OK);
  });
});

describe('deleteMessage: only messages less than 48 hours old', () => {
  test('a recent message is deleted, one 48 hours old is not', () => {
    const chat = new Chat();
    const recent = chat.send('sendMessage', { text: 'a' });
    const old = chat.send('sendMessage', { text: 'b' });
    chat.clock += 47 * HOUR;
    assert.deepEqual(chat.call('deleteMessage', { message_id: recent }), OK);
    chat.clock += HOUR;
    assert.deepEqual(
      chat.call('deleteMessage', { message_id: old }),
      refused("Bad Request: message can't be deleted for everyone"),
    );
  });

  test("the user's own messages can be deleted too; a deleted or unknown one is not found", () => {
    const chat = new Chat();
    const theirs = chat.userWrites();
    assert.deepEqual(chat.call('deleteMessage', { message_id: theirs }), OK);
    assert.deepEqual(
      chat.call('deleteMessage', { message_id: theirs }),
      refused('Bad Request: message to delete not found'),
    );
  });
});

test("the state records each chat's messages: id, kind, text as shown, keyboard, date", () => {
  const chat = new Chat();
  const id = chat.send('sendPhoto', {
    photo: 'cover',
    caption: '<b>Guide</b> &amp; notes',
    parse_mode: 'HTML',
    reply_markup: keyboard({ text: 'Buy', callback_data: 'b:1' }),
  });
  assert.deepEqual(chat.telegram.message(CHAT, id), {
    kind: 'photo',
    text: 'Guide & notes',
    entities: ['bold:0:5'],
    markup: '[[{"callback_data":"b:1","text":"Buy"}]]',
    media: 'cover',
    date: Math.floor(chat.clock / 1000),
  });
  assert.deepEqual(chat.call('deleteMessage', { message_id: id }), OK);
  assert.equal(chat.telegram.message(CHAT, id), undefined);
});

test('checkCall is pure: it judges against the state it is given and changes nothing', () => {
  const messages = new Map();
  const state = { now: 0, closed: new Map(), messages, answeredQueries: new Set<string>() };
  assert.deepEqual(checkCall('sendMessage', { chat_id: CHAT, text: 'hi' }, state), OK);
  assert.deepEqual(checkCall('answerCallbackQuery', { callback_query_id: 'q' }, state), OK);
  assert.deepEqual(checkCall('answerCallbackQuery', { callback_query_id: 'q' }, state), OK);
  assert.equal(messages.size, 0);
});

describe('the doubles in use', () => {
  const user = { id: CHAT, is_bot: false, first_name: 'Bruno' };

  async function replyTo(telegram: FakeTelegram, text: string): Promise<unknown> {
    const bot = new Bot(FAKE_BOT_TOKEN, { botInfo: FAKE_BOT_INFO });
    let caught: unknown;
    bot.command('start', async (ctx) => {
      try {
        await ctx.reply(text);
      } catch (error) {
        caught = error;
      }
    });
    telegram.attach(bot, new Map([[CHAT, 'buyer']]));
    await telegram.type(user, '/start');
    return caught;
  }

  test('strict: the handler catches the GrammyError Telegram would cause, and the user sees nothing', async () => {
    const telegram = new FakeTelegram({ strict: true });
    const caught = await replyTo(telegram, 'x'.repeat(4097));
    assert.ok(caught instanceof GrammyError);
    assert.equal(caught.method, 'sendMessage');
    assert.equal(caught.error_code, 400);
    assert.equal(caught.description, 'Bad Request: message is too long');
    assert.deepEqual(
      telegram.transcript.map((entry) => entry.who),
      ['buyer', 'system'],
      'only the refusal note follows what the user typed',
    );
  });

  test('strict: a blocked user makes the send fail with 403', async () => {
    const telegram = new FakeTelegram({ strict: true });
    telegram.strict?.block(CHAT);
    const caught = await replyTo(telegram, 'Your purchase');
    assert.ok(caught instanceof GrammyError);
    assert.equal(caught.error_code, 403);
    assert.equal(caught.description, 'Forbidden: bot was blocked by the user');
  });

  test('not strict: everything is accepted, as before', async () => {
    const telegram = new FakeTelegram({ strict: false });
    assert.equal(await replyTo(telegram, 'x'.repeat(4097)), undefined);
    assert.equal(telegram.strict, undefined);
  });
});
