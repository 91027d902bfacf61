// Support tickets in the bot: creating one step by step, the list and its thread, replies relayed
// to the admins and back, resolving, a forged button with someone else's ticket refused; and the
// admins' side: every ticket (support, problem report, buyer–seller thread) reaches every admin in
// their language with who wrote it and what it is about, the inbox by status, an admin's answer
// told to the buyer and the seller, and admin status moves audited and told.
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
const SECOND_ADMIN = telegramUser(5003, { language_code: 'fr' });
// The first admin saved English: relays reach them in their language, whatever the sender's.
await addUser(db, ADMIN.id, ADMIN.first_name);
await addUser(db, SECOND_ADMIN.id, SECOND_ADMIN.first_name);
await db.exec(`UPDATE users SET language = 'en' WHERE id = $1`, [ADMIN.id]);
const harness = () => buyerHarness(db, { settings: { adminIds: new Set([ADMIN.id, SECOND_ADMIN.id]) } });

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
  assert.match(textOf(relayed), /💬 support/);
  assert.match(textOf(relayed), new RegExp(`<b>User${user.id}</b> · id <code>${user.id}</code>`));
  assert.match(textOf(relayed), /✍️ <b>User<\/b>:/);
  assert.match(textOf(relayed), /Paiement &lt;b&gt;&amp;&lt;\/b&gt; non reçu/);
  assert.ok(relayed && callbackDataOf(relayed).some((d) => /^tk\.re:\d+$/.test(d)));
  assert.ok(relayed && callbackDataOf(relayed).some((d) => /^adm\.t:\d+$/.test(d)), 'and the inbox');
  assert.equal(sent(calls, SECOND_ADMIN.id).length, 1, 'every admin hears of it');

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
  assert.equal(sent(answer, SECOND_ADMIN.id).length, 1, 'the other admin sees the answer');
  assert.equal(sent(answer, ADMIN.id).filter((c) => textOf(c).includes('retrouvé')).length, 0);
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
  // The admins follow the thread, silently: a thread does not ring like a support ticket.
  const [copy] = sent(calls, ADMIN.id);
  assert.ok(copy, 'the admins get a copy');
  assert.match(textOf(copy), /buyer–seller thread/);
  assert.equal(copy.payload.disable_notification, true);
  assertCallbacksFit(bot);
});

async function auditOf(ticketId: number): Promise<string[]> {
  const rows = await db.many<{ action: string }>(
    `SELECT action FROM admin_audit_log WHERE target_type = 'ticket' AND target_id = $1 ORDER BY id`,
    [String(ticketId)],
  );
  return rows.map((r) => r.action);
}

test("a problem report reaches every admin with who and what; an admin's reply reaches the buyer", async () => {
  const bot = await harness();
  const seller = telegramUser(nextUser++);
  await addSeller(db, seller.id, 'Atelier Nord');
  const product = await addProduct(db, { sellerId: seller.id, title: 'Guide <Nord>' });
  const buyer = telegramUser(nextUser++, { first_name: 'Élodie', last_name: 'Marchand', username: 'elo_m' });
  await bot.sendText(buyer, '/start');
  const orderId = await addPaidOrder(db, buyer.id, product);
  await bot.sendText(buyer, '/library');
  await bot.press(buyer, `l.rp:${orderId}`);
  const calls = await bot.sendText(buyer, 'Le fichier reçu ne s’ouvre pas.');
  assert.match(textOf(sent(calls, buyer.id)[0]), /Problème signalé/);

  const [toAdmin] = sent(calls, ADMIN.id);
  const [toSecond] = sent(calls, SECOND_ADMIN.id);
  assert.ok(toAdmin && toSecond, 'both admins are told');
  assert.match(textOf(toAdmin), /⚠️ problem report/);
  assert.match(textOf(toSecond), /⚠️ signalement de problème/, 'each in their language');
  for (const text of [textOf(toAdmin), textOf(toSecond)]) {
    assert.ok(text.includes(`<b>Élodie Marchand</b> @elo_m · id <code>${buyer.id}</code>`), text);
    assert.ok(text.includes(`<code>${orderId}</code>`), 'the order');
    assert.ok(text.includes(`Guide &lt;Nord&gt; (<code>${product}</code>)`), 'the product');
  }
  assert.equal(sent(calls, seller.id).length, 0, 'a problem report is for the admins, not the seller');
  assert.equal(toAdmin.payload.disable_notification, false);

  // The admin opens it from the relayed message, sees the thread, and answers.
  const ticketId = Number(/#(\d+)/.exec(textOf(toAdmin))?.[1]);
  const view = shown(await bot.press(ADMIN, `adm.t:${ticketId}`));
  assert.match(textOf(view), /new, not answered yet/);
  assert.match(textOf(view), /ne s’ouvre pas/);
  assert.ok(callbackDataOf(view).includes(`adm.u:${buyer.id}`));
  assert.ok(callbackDataOf(view).includes(`adm.p:${product}`));
  await bot.press(ADMIN, `tk.re:${ticketId}`);
  const answer = await bot.sendText(ADMIN, 'Voici un nouveau lien, il fonctionne sur mobile.');
  const [toBuyer] = sent(answer, buyer.id);
  assert.ok(toBuyer, 'the buyer is told');
  assert.match(textOf(toBuyer), /De : Support/);
  assert.match(textOf(toBuyer), /nouveau lien/);
  assert.ok(callbackDataOf(toBuyer).includes(`tk.re:${ticketId}`), 'the buyer can answer back');
  assert.equal(sent(answer, SECOND_ADMIN.id).length, 1, 'the other admin follows');
  assert.deepEqual(await auditOf(ticketId), ['ticket.reply']);
  assertCallbacksFit(bot);
});

test('the inbox lists tickets by status with paging; status moves are audited and told', async () => {
  const bot = await harness();
  const users = [await newUser(), await newUser(), await newUser()];
  const ids: number[] = [];
  for (const user of users) ids.push(await createTicket(bot, user));
  await bot.sendText(ADMIN, '/admin');
  const menu = shown(await bot.press(ADMIN, 'adm'));
  assert.ok(callbackDataOf(menu).includes('adm.tk:a:0'));
  const inbox = shown(await bot.press(ADMIN, 'adm.tk:o:0'));
  assert.match(textOf(inbox), /Support inbox<\/b> · 🟢 New \(\d+\)/);
  // The newest activity comes first: the three new tickets are on the first page.
  for (const id of ids) assert.ok(callbackDataOf(inbox).includes(`adm.t:${id}`), String(id));
  const [first] = ids;
  // Resolved by support: the user is told, the move is audited, the ticket leaves "New".
  const resolved = await bot.press(ADMIN, `adm.tst:${first}:resolved`);
  assert.match(String(alertOf(resolved)), /Now: ✅ resolved/);
  assert.match(textOf(sent(resolved, users[0]?.id ?? 0)[0]), /marqué votre ticket n°\d+ .* comme résolu/);
  assert.deepEqual(await auditOf(first ?? 0), ['ticket.status']);
  const after = shown(await bot.press(ADMIN, 'adm.tk:r:0'));
  assert.ok(callbackDataOf(after).includes(`adm.t:${first}`));
  // A move the ticket machine forbids is refused and changes nothing.
  await bot.press(ADMIN, `adm.tst:${first}:closed`);
  const refused = await bot.press(ADMIN, `adm.tst:${first}:pending_user`);
  assert.match(String(alertOf(refused)), /not possible/);
  const row = await db.one<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [first]);
  assert.equal(row.status, 'closed');
  assert.match(String(alertOf(await bot.press(ADMIN, 'adm.t:99999999'))), /does not exist/);
  assertCallbacksFit(bot);
});

test('an admin steps into a buyer–seller thread: both the buyer and the seller are told', async () => {
  const bot = await harness();
  const seller = telegramUser(nextUser++);
  await addSeller(db, seller.id, 'Atelier Est');
  const product = await addProduct(db, { sellerId: seller.id, title: 'Guide Est' });
  const buyer = await newUser();
  const orderId = await addPaidOrder(db, buyer.id, product);
  await bot.sendText(buyer, '/library');
  await bot.press(buyer, `l.cs:${orderId}`);
  const first = await bot.sendText(buyer, 'Bonjour, la mise à jour arrive quand ?');
  const ticketId = Number(/#(\d+)/.exec(textOf(sent(first, ADMIN.id)[0]))?.[1]);
  const view = shown(await bot.press(ADMIN, `adm.t:${ticketId}`));
  assert.match(textOf(view), /buyer–seller thread/);
  assert.match(textOf(view), /Atelier Est/);
  await bot.press(ADMIN, `tk.re:${ticketId}`);
  const calls = await bot.sendText(ADMIN, 'Le vendeur a confirmé la mise à jour pour lundi.');
  assert.match(textOf(sent(calls, buyer.id)[0]), /De : Support/);
  assert.match(textOf(sent(calls, seller.id)[0]), /De : Support/);
  const thread = shown(await bot.press(seller, `tk.open:${ticketId}`));
  assert.match(textOf(thread), /<b>Support<\/b>/);
});
