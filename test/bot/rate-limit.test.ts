// The per-user rate limit lives in PostgreSQL: two instances of the bot (each its own pool and
// services, as two processes have) serving one user add up to one limit, directly and through
// a real PgBouncer in transaction mode.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { migrate } from '../../src/db/index.ts';
import { deleteFullBuckets } from '../../src/repositories/rate-limits.ts';
import { createRateLimitService, type RateLimitSettings } from '../../src/services/rate-limits.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';
import { findPgBouncer, type PgBouncer, startPgBouncer } from '../support/pgbouncer.ts';
import { testServices } from '../support/services.ts';
import { type ApiCall, BotHarness, telegramUser, textOf } from './harness.ts';

const url = await freshDatabase();
const db = testDatabase(url, { max: 2 });
await migrate(db);

let nextUserId = 5000;
const newUser = () => telegramUser(nextUserId++);
// One token a minute after the burst: nothing refills while a test runs.
const LIMIT: RateLimitSettings = { burst: 6, perMinute: 1 };

const noPooler = findPgBouncer()
  ? false
  : 'no pgbouncer binary on PATH (apt-get install pgbouncer): the rate limit was not tried through it';
if (noPooler) console.warn(`SKIPPED part of test/bot/rate-limit.test.ts: ${noPooler}`);
let bouncer: PgBouncer | undefined;
before(async () => {
  if (!noPooler) bouncer = await startPgBouncer({ serverUrl: url, poolSize: 2 });
});
after(() => bouncer?.stop());

/** Two bots as two processes run them: separate pools (through `via`, if given) and services. */
async function twoInstances(via?: string): Promise<[BotHarness, BotHarness]> {
  const instance = async () => {
    const pool = testDatabase(via ?? url, { max: 3, ...(via ? { transactionPooler: true } : {}) });
    return new BotHarness({ services: await testServices(pool), rateLimit: LIMIT });
  };
  return [await instance(), await instance()];
}

const helped = (calls: ApiCall[]) => calls.some((c) => /Aide/.test(textOf(c)));

const ways = [
  { name: 'on one server', skip: false, pooler: () => undefined },
  { name: 'through PgBouncer in transaction mode', skip: noPooler, pooler: () => bouncer?.url() },
];
for (const { name, skip, pooler } of ways) {
  test(`two instances serving one user add up to one limit (${name})`, { skip }, async () => {
    const [a, b] = await twoInstances(pooler());
    const user = newUser();
    for (let i = 0; i < LIMIT.burst; i++) {
      assert.ok(helped(await (i % 2 ? b : a).sendText(user, '/help')), `action ${i + 1} goes through`);
    }
    const [refused, ...more] = await a.sendText(user, '/help');
    assert.equal(more.length, 0);
    assert.match(textOf(refused), /^Doucement 🙂 Vous allez un peu vite : réessayez dans/);
    assert.deepEqual(
      await b.sendText(user, '/help'),
      [],
      'the streak is shared: the other instance stays silent',
    );
    const pressed = await b.press(user, 'faq:2');
    assert.equal(pressed.length, 1);
    assert.match(String(pressed[0]?.payload.text), /réessayez dans/, 'a refused press is answered');
    assert.ok(helped(await b.sendText(newUser(), '/help')), 'other users are not affected');
  });

  test(`a burst sent to both instances at once lets exactly the limit through (${name})`, {
    skip,
  }, async () => {
    const [a, b] = await twoInstances(pooler());
    const user = newUser();
    await Promise.all(
      Array.from({ length: 3 * LIMIT.burst }, (_, i) => (i % 2 ? b : a).sendText(user, '/help')),
    );
    // Concurrent updates interleave their calls: count what both instances sent in all.
    const sent = [...a.calls, ...b.calls].map(textOf);
    assert.equal(sent.filter((text) => /Aide/.test(text)).length, LIMIT.burst);
    const refusals = sent.filter((text) => /Doucement/.test(text));
    assert.equal(refusals.length, 1, 'one answer for the whole streak of refused messages');
  });
}

test('the wait announced is until one token is back', async () => {
  const limits = createRateLimitService({ db });
  const user = nextUserId++;
  const limit = { burst: 2, perMinute: 1 };
  assert.deepEqual(await limits.hit(user, limit), { allowed: true });
  assert.deepEqual(await limits.hit(user, limit), { allowed: true });
  const refused = await limits.hit(user, limit);
  assert.ok(!refused.allowed && refused.firstRefusal);
  assert.ok(refused.retryAfterSec > 55 && refused.retryAfterSec <= 60, String(refused.retryAfterSec));
  const again = await limits.hit(user, limit);
  assert.ok(!again.allowed && !again.firstRefusal);
});

test('buckets full again are pruned, the others kept', async () => {
  const limits = createRateLimitService({ db });
  const [rested, busy] = [nextUserId++, nextUserId++];
  await limits.hit(rested, LIMIT);
  await limits.hit(busy, LIMIT);
  await db.exec("UPDATE bot_rate_limits SET full_at = now() - interval '1 second' WHERE user_id = $1", [
    rested,
  ]);
  await deleteFullBuckets(db);
  const left = await db.rows<[string]>('SELECT user_id::text FROM bot_rate_limits WHERE user_id = ANY($1)', [
    [rested, busy],
  ]);
  assert.deepEqual(left, [[String(busy)]]);
  // A pruned bucket is a full one: the user has the whole burst again.
  for (let i = 0; i < LIMIT.burst; i++) assert.deepEqual(await limits.hit(rested, LIMIT), { allowed: true });
});
