// Whatever error a caller logs, a bot token inside it never reaches the log: grammY's network
// errors keep node-fetch's own error, whose message quotes the request URL (/bot<token>/method).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { HttpError } from 'grammy';
import { createLogger } from '../../src/log.ts';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

test('a bot token in a logged error, its nested error or its stack is replaced', () => {
  const lines: string[] = [];
  const log = createLogger(
    'info',
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const cause = new Error(
    `request to https://api.telegram.org/bot${TOKEN}/sendDocument failed, reason: socket hang up`,
  );
  log.warn(
    { err: new HttpError("Network request for 'sendDocument' failed!", cause), orderId: 'O-1' },
    'not sent',
  );
  log.error({ err: new Error(`boom at /bot${TOKEN}/getMe`) }, 'plain error');
  const logged = lines.join('');
  assert.doesNotMatch(logged, /AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/);
  const [first, second] = lines.map((line) => JSON.parse(line));
  assert.equal(first.err.type, 'HttpError');
  assert.equal(first.err.message, "Network request for 'sendDocument' failed!");
  assert.match(first.err.error.message, /\/bot\[redacted\]\/sendDocument failed, reason: socket hang up/);
  assert.equal(first.orderId, 'O-1');
  assert.match(second.err.message, /^boom at \/bot\[redacted\]\/getMe$/);
  assert.match(second.err.stack, /\[redacted\]/);
});
