// Support tickets in the bot: creating one step by step, the list and its thread, replies relayed
// to the admins and back, resolving, and a forged button with someone else's ticket refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addPaidOrder,
  addProduct,
  addSeller,
  addUser,
  assertCallbacksFit,
  buyerDatabase,
  buyerHarness,
} from './browse-fixtures.ts';
import {
  type ApiCall,
  type BotHarness,
  buttonLabels,
  callbackDataOf,
  telegramUser,
  textOf,
} from './harness.ts';

const db = await buyerDatabase();
const ADMIN = telegramUser(5001, { language_code: 'en' });
// The admin saved English: relays reach them in their language, whatever the sender's.
await addUser(db, ADMIN.id, ADMIN.first_name);
await db.exec(`UPDATE users SET language = 'en' WHERE id = $1`, [ADMIN.id]);
const harness = () => buyerHarness(db, { settings: { adminIds: new Set([ADMIN.id]) } });

let nextUser = 8100;
async function newUser() {
  const user = telegramUser(nextUser++);
  await addUser(db, user.id, user.first_name);
  return user;
}

async function messagesWritten(userId: number): Promise<number> {
  const row = await db.one<{ n: number }>(
    'SELECT count(*)::int AS n FROM ticket_messages WHERE author_id = $1',
    [userId],
  );
  return row.n;
}

function sent(calls: ApiCall[], chatId: number): ApiCall[] {
  return calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === chatId);
}

function shown(calls: ApiCall[]): ApiCall {
  const call = calls.findLast((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
  assert.ok(call, 'a screen was shown');
  return call;
}

function alertOf(calls: ApiCall[]): string | undefined {
  const answer = calls.find((c) => c.method === 'answerCallbackQuery');
  return answer?.payload.text as string | undefined;
}

/** Creates a ticket through the bot and returns its id. */
async function createTicket(bot: BotHarness, user: ReturnType<typeof telegramUser>) {
  await bot.sendText(user, '/support');
  await bot.press(user, 'tk.new');
  await bot.sendText(user, 'Paiement <b>&</b> non reçu');
  await bot.sendText(user, "J'ai payé hier en SOL et rien n'est arrivé.");
  const calls = await bot.press(user, 'tk.skip');
  const id = /n°(\d+)/.exec(textOf(sent(calls, user.id)[0]))?.[1];
  assert.ok(id, 'the confirmation names the ticket');
  return Number(id);
}

test('a ticket is created step by step: a bad subject is refused, then accepted, email skipped', async () => {
  const bot = await harness();
  const user = await newUser();
  await bot.sendText(user, '/support');
  const prompt = shown(await bot.press(user, 'tk.new'));
  assert.match(textOf(prompt), /étape 1\/3/);
  assert.ok(callbackDataOf(prompt).includes('tk.x'), 'the step can be cancelled');

  const refused = shown(await bot.sendText(user, 'ab'));
  assert.match(textOf(refused), /de 3 à 100 caractères/);
  const second = shown(await bot.sendText(user, 'Paiement <b>&</b> non reçu'));
  assert.match(textOf(second), /Étape 2\/3/);
  assert.match(textOf(second), /Paiement &lt;b&gt;&amp;&lt;\/b&gt; non reçu/, 'the subject is escaped');

  assert.match(textOf(shown(await bot.sendText(user, 'court'))), /de 10 à 2\D?000/u);
  const emailStep = shown(await bot.sendText(user, "J'ai payé hier en SOL et rien n'est arrivé."));
  assert.match(textOf(emailStep), /Étape 3\/3/);
  assert.match(textOf(shown(await bot.sendText(user, 'not-an-email'))), /pas valide/);

  const calls = await bot.press(user, 'tk.skip');
  assert.match(textOf(sent(calls, user.id)[0]), /Ticket n°\d+ créé/);
  const ticket = await db.one<{ subject: string; email: string | null; status: string; body: string }>(
    `SELECT t.subject, t.email, t.status, m.body FROM tickets t JOIN ticket_messages m ON m.ticket_id = t.id
     WHERE t.user_id = $1`,
    [user.id],
  );
  assert.deepEqual(ticket, {
    subject: 'Paiement <b>&</b> non reçu',
    email: null,
    status: 'open',
    body: "J'ai payé hier en SOL et rien n'est arrivé.",
  });

  // The admin hears of it in their language, with a Reply button carrying only the ticket id.
  const [relayed] = sent(calls, ADMIN.id);
  assert.match(textOf(relayed), /From: User/);
  assert.match(textOf(relayed), /Paiement &lt;b&gt;&amp;&lt;\/b&gt; non reçu/);
  assert.ok(relayed && callbackDataOf(relayed).some((d) => /^tk\.re:\d+$/.test(d)));

  // After the ticket, free text is a search again, not a ticket message.
  await bot.sendText(user, 'guide');
  assert.equal(await messagesWritten(user.id), 1);
  assertCallbacksFit(bot);
});

test('cancel at any step creates nothing and leaves the typed text to the search', async () => {
  const bot = await harness();
  const user = await newUser();
  await bot.sendText(user, '/support');
  await bot.press(user, 'tk.new');
  await bot.sendText(user, 'Un objet valide');
  const cancelled = shown(await bot.press(user, 'tk.x'));
  assert.match(textOf(cancelled), /rien n'a été envoyé/);
  await bot.sendText(user, 'Un message qui ne doit pas devenir un ticket');
  const row = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM tickets WHERE user_id = $1', [
    user.id,
  ]);
  assert.equal(row.n, 0);
});

test('my tickets lists the ticket, opens its thread, and a reply reaches the admin who answers back', async () => {
  const bot = await harness();
  const user = await newUser();
  const ticketId = await createTicket(bot, user);

  const list = shown(await bot.press(user, 'tk.list'));
  assert.match(textOf(list), /Mes tickets<\/b> \(1\)/);
  assert.ok(
    buttonLabels(list)
      .flat()
      .some((label) => label.includes(`#${ticketId}`)),
  );

  const thread = shown(await bot.press(user, `tk.open:${ticketId}`));
  assert.match(textOf(thread), new RegExp(`Ticket n°${ticketId}`));
  assert.match(textOf(thread), /<b>Vous<\/b>/);
  assert.match(textOf(thread), /rien n'est arrivé/);
  assert.deepEqual(callbackDataOf(thread).slice(0, 3), [
    `tk.re:${ticketId}`,
    `tk.ok:${ticketId}`,
    `tk.cl:${ticketId}`,
  ]);

  await bot.press(user, `tk.re:${ticketId}`);
  const calls = await bot.sendText(user, 'Voici le hash : <script>alert(1)</script>');
  assert.match(textOf(sent(calls, user.id)[0]), /Réponse ajoutée/);
  const [relayed] = sent(calls, ADMIN.id);
  assert.match(textOf(relayed), /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'relayed text is escaped');

  // The admin presses Reply on the relayed message and answers; the user is relayed the answer.
  await bot.press(ADMIN, `tk.re:${ticketId}`);
  const answer = await bot.sendText(ADMIN, 'Nous avons retrouvé votre paiement, merci.');
  const [toUser] = sent(answer, user.id);
  assert.match(textOf(toUser), /De : Support/);
  assert.match(textOf(toUser), /retrouvé votre paiement/);
  const status = await db.one<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [ticketId]);
  assert.equal(status.status, 'pending_user');

  const reread = shown(await bot.press(user, `tk.open:${ticketId}`));
  assert.match(textOf(reread), /<b>Support<\/b>/);
  assertCallbacksFit(bot);
});

test('the ticket author marks it resolved, then closes it; a closed ticket takes no reply', async () => {
  const bot = await harness();
  const user = await newUser();
  const ticketId = await createTicket(bot, user);
  await bot.press(user, `tk.open:${ticketId}`);
  const resolved = await bot.press(user, `tk.ok:${ticketId}`);
  assert.match(textOf(shown(resolved)), /résolu/);
  const closed = await bot.press(user, `tk.cl:${ticketId}`);
  assert.ok(!callbackDataOf(shown(closed)).includes(`tk.re:${ticketId}`), 'no Reply on a closed ticket');
  const row = await db.one<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [ticketId]);
  assert.equal(row.status, 'closed');
  assert.match(String(alertOf(await bot.press(user, `tk.re:${ticketId}`))), /fermé/);
});

test("a forged button with someone else's ticket id is refused, whatever the action", async () => {
  const bot = await harness();
  const owner = await newUser();
  const ticketId = await createTicket(bot, owner);
  const intruder = await newUser();
  await bot.sendText(intruder, '/support');
  for (const data of [`tk.open:${ticketId}`, `tk.re:${ticketId}`, `tk.ok:${ticketId}`, `tk.cl:${ticketId}`]) {
    const calls = await bot.press(intruder, data);
    assert.match(String(alertOf(calls)), /n'existe pas ou ne vous appartient pas/, data);
    assert.ok(!calls.some((c) => textOf(c).includes('Paiement')), `${data} reveals nothing`);
  }
  const row = await db.one<{ status: string; n: number }>(
    'SELECT status, (SELECT count(*)::int FROM ticket_messages WHERE ticket_id = $1) AS n FROM tickets WHERE id = $1',
    [ticketId],
  );
  assert.deepEqual(row, { status: 'open', n: 1 });
});

test("a seller sees the buyer's relayed thread in my tickets, answers it, and cannot resolve it", async () => {
  const bot = await harness();
  const seller = telegramUser(nextUser++);
  await addSeller(db, seller.id, 'Atelier Sud');
  const product = await addProduct(db, { sellerId: seller.id, title: 'Guide <Sud>', priceCents: 1500 });
  const buyer = await newUser();
  const orderId = await addPaidOrder(db, buyer.id, product);
  await bot.sendText(buyer, '/library');
  await bot.press(buyer, `l.cs:${orderId}`);
  await bot.sendText(buyer, 'Bonjour, le fichier est-il à jour ?');

  const list = shown(await bot.press(seller, 'tk.list'));
  const open = callbackDataOf(list).find((d) => d.startsWith('tk.open:'));
  assert.ok(open);
  const thread = shown(await bot.press(seller, open));
  assert.match(textOf(thread), /<b>Acheteur<\/b>/);
  assert.match(textOf(thread), new RegExp(`commande ${orderId}`));
  const data = callbackDataOf(thread);
  assert.ok(data.some((d) => d.startsWith('tk.re:')));
  assert.ok(!data.some((d) => d.startsWith('tk.ok:') || d.startsWith('tk.cl:')), 'a seller does not resolve');

  await bot.press(seller, open.replace('tk.open', 'tk.re'));
  const calls = await bot.sendText(seller, 'Oui, mis à jour la semaine dernière.');
  const [toBuyer] = sent(calls, buyer.id);
  assert.match(textOf(toBuyer), /De : Vendeur/);
  assert.equal(sent(calls, ADMIN.id).length, 0, 'a buyer-seller thread is not copied to the admins');
  assertCallbacksFit(bot);
});
