// Webhook mode behind several instances (issue 12 item 3): two bots on one database never
// handle updates of the same user at once; other users are not held up; a lease a crashed
// instance left frees itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { chatLease } from '../../src/bot/chat-lease.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { sessionKey } from '../../src/bot/create-bot.ts';
import { migrate } from '../../src/db/index.ts';
import { createLogger } from '../../src/log.ts';
import { createLeaseService } from '../../src/services/leases.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { BOT_INFO } from './harness.ts';

const db = testDatabase(await freshDatabase(), { max: 4 });
await migrate(db);
const leases = createLeaseService({ db });
const log = createLogger('silent');
const SETTINGS = { ttlMs: 60_000, maxWaitMs: 10_000, pollMs: 10 };

/** One instance: a bot whose handler records when it runs and waits for the test's go. */
function instance(name: string, events: string[], settings = SETTINGS) {
  const bot = new Bot<BotContext>('123456:TEST-token-for-the-chat-lease-tests', { botInfo: BOT_INFO });
  const gates = new Map<number, () => void>();
  bot.use(chatLease(leases, sessionKey, log, settings));
  bot.use(async (ctx) => {
    events.push(`${name} starts ${ctx.update.update_id}`);
    await new Promise<void>((resolve) => gates.set(ctx.update.update_id, resolve));
    events.push(`${name} ends ${ctx.update.update_id}`);
  });
  return { bot, finish: (updateId: number) => gates.get(updateId)?.() };
}

let nextUpdate = 1;
const message = (userId: number): Update =>
  ({
    update_id: nextUpdate++,
    message: {
      message_id: 1,
      date: 0,
      chat: { id: userId, type: 'private', first_name: 'u' },
      from: { id: userId, is_bot: false, first_name: 'u' },
      text: 'hi',
    },
  }) as Update;

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    assert.ok(Date.now() < deadline, 'in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test("one user's updates on two instances run one after the other; another user's run meanwhile", async () => {
  const events: string[] = [];
  const a = instance('A', events);
  const b = instance('B', events);
  const first = message(1);
  const second = message(1);
  const other = message(2);
  const handlingFirst = a.bot.handleUpdate(first);
  await until(() => events.includes(`A starts ${first.update_id}`));
  const handlingSecond = b.bot.handleUpdate(second);
  const handlingOther = b.bot.handleUpdate(other);
  await until(() => events.includes(`B starts ${other.update_id}`));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(!events.includes(`B starts ${second.update_id}`), 'the same user waits on the other instance');

  a.finish(first.update_id);
  await handlingFirst;
  await until(() => events.includes(`B starts ${second.update_id}`));
  b.finish(second.update_id);
  b.finish(other.update_id);
  await Promise.all([handlingSecond, handlingOther]);
  assert.ok(events.indexOf(`A ends ${first.update_id}`) < events.indexOf(`B starts ${second.update_id}`));
  assert.equal(await db.maybeOne('SELECT name FROM bot_leases'), null, 'every lease given back');
});

test('a lease left by a crashed instance frees itself after its time to live', async () => {
  await leases.take('chat:user:3', 'crashed-instance:1', 300);
  const events: string[] = [];
  const b = instance('B', events);
  const update = message(3);
  const handling = b.bot.handleUpdate(update);
  await until(() => events.includes(`B starts ${update.update_id}`));
  b.finish(update.update_id);
  await handling;
});

test('leases: one atomic take, renewed by its holder only, released, taken over once expired', async () => {
  assert.equal((await leases.take('poller:1', 'h1', 60_000)).holder, 'h1');
  assert.equal((await leases.take('poller:1', 'h2', 60_000)).holder, 'h1', 'held: h2 does not get it');
  assert.equal(await leases.renew('poller:1', 'h1', 60_000), true);
  assert.equal(await leases.renew('poller:1', 'h2', 60_000), false);
  await leases.giveBack('poller:1', 'h2');
  assert.equal((await leases.take('poller:1', 'h2', 60_000)).holder, 'h1', 'only the holder releases');
  await leases.giveBack('poller:1', 'h1');
  assert.equal((await leases.take('poller:1', 'h2', 50)).holder, 'h2');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(await leases.renew('poller:1', 'h2', 60_000), false, 'expired');
  assert.equal((await leases.take('poller:1', 'h3', 60_000)).holder, 'h3');
  const racing = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((h) => leases.take('poller:2', h, 60_000)));
  assert.equal(new Set(racing.map((r) => r.holder)).size, 1, 'racing takers agree on one holder');
});
