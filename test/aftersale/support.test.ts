import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransitionError, ValidationError } from '../../src/domain/index.ts';
import { ForbiddenError, NotFoundError } from '../../src/services/errors.ts';
import { Moderator } from '../../src/services/moderation.ts';
import { createSupportService } from '../../src/services/support.ts';
import { addOrder, addProduct, addSeller, addUser, aftersaleDatabase } from './fixtures.ts';

const db = await aftersaleDatabase();
const support = createSupportService({ db });
const seller = await addSeller(db, 10);
const buyer = await addUser(db, 20);
const stranger = await addUser(db, 30);
const admin = await addUser(db, 99);
const moderator = Moderator.verify(new Set([admin]), admin);
const asBuyer = { userId: buyer };
const asSeller = { userId: seller };
const asStranger = { userId: stranger };
const asAdmin = { userId: admin, admin: moderator };

async function audited(ticketId: number): Promise<unknown[]> {
  return db.many(
    `SELECT action, admin_id::float8 AS "adminId", details->>'to' AS "to" FROM admin_audit_log
     WHERE target_type = 'ticket' AND target_id = $1 ORDER BY id`,
    [String(ticketId)],
  );
}

test('a ticket is a thread between its user and the admins; nobody else can read or write it', async () => {
  const opened = await support.open(buyer, {
    subject: 'Paiement',
    message: 'Mon paiement est parti mais rien reçu.',
    email: 'buyer@example.com',
  });
  const id = opened.ticket.id;
  assert.equal(opened.ticket.status, 'open');

  await assert.rejects(support.view(asStranger, id), NotFoundError);
  await assert.rejects(support.postMessage(asStranger, id, 'Je lis le ticket des autres'), NotFoundError);
  await assert.rejects(support.view(asSeller, id), NotFoundError);

  const reply = await support.postMessage(asAdmin, id, 'Nous regardons votre paiement.');
  assert.equal(reply.ticket.status, 'pending_user');
  assert.deepEqual(reply.recipients, [buyer]);
  const answer = await support.postMessage(asBuyer, id, 'Merci, voici le hash de la transaction.');
  assert.equal(answer.ticket.status, 'pending_admin');

  const view = await support.view(asBuyer, id);
  assert.deepEqual(
    view.messages.map((m) => m.authorRole),
    ['user', 'admin', 'user'],
  );
  assert.equal((await support.myTickets(buyer)).items[0]?.id, id);
  assert.equal((await support.myTickets(stranger)).total, 0);
});

test('bad input is refused with a typed error and writes nothing', async () => {
  await assert.rejects(
    support.open(stranger, { subject: 'x', message: 'Un message assez long' }),
    ValidationError,
  );
  await assert.rejects(support.open(stranger, { subject: 'Sujet', message: 'court' }), ValidationError);
  await assert.rejects(
    support.open(stranger, { subject: 'Sujet', message: 'Un message assez long', email: 'pas-un-email' }),
    { code: 'email_invalid' },
  );
  assert.equal((await support.myTickets(stranger)).total, 0);
});

test('reporting a problem on an order: only its buyer, and a double tap reuses the open report', async () => {
  const product = await addProduct(db, seller);
  const order = await addOrder(db, buyer, product);
  await assert.rejects(
    support.reportProblem(stranger, order, { message: 'Ce n’est pas ma commande' }),
    NotFoundError,
  );
  const [a, b] = await Promise.all([
    support.reportProblem(buyer, order, { message: 'Le fichier est corrompu.' }),
    support.reportProblem(buyer, order, { message: 'Le fichier est corrompu.' }),
  ]);
  assert.equal(a.ticket.id, b.ticket.id);
  assert.equal(a.ticket.orderId, order);
  assert.equal(a.ticket.sellerId, null);
  assert.equal((await support.view(asBuyer, a.ticket.id)).messages.length, 2);
});

test('contacting the seller opens a relayed thread on the order; admins can step in', async () => {
  const product = await addProduct(db, seller);
  const order = await addOrder(db, buyer, product);
  const unpaid = await addOrder(db, buyer, await addProduct(db, seller), 'waiting');
  await assert.rejects(support.contactSeller(buyer, unpaid, 'Bonjour, une question ?'), {
    code: 'order_not_paid',
  });
  await assert.rejects(support.contactSeller(stranger, order, 'Bonjour, une question ?'), NotFoundError);

  const first = await support.contactSeller(buyer, order, 'Bonjour, la version 2 arrive quand ?');
  assert.equal(first.ticket.sellerId, seller);
  assert.deepEqual(first.recipients, [seller]);
  const sellerReply = await support.postMessage(asSeller, first.ticket.id, 'La semaine prochaine.');
  assert.equal(sellerReply.message.authorRole, 'seller');
  assert.deepEqual(sellerReply.recipients, [buyer]);
  const adminNote = await support.postMessage(asAdmin, first.ticket.id, 'Je suis ce fil.');
  assert.deepEqual(adminNote.recipients.sort(), [buyer, seller].sort());

  assert.equal((await support.sellerThreads(seller)).items[0]?.id, first.ticket.id);
  assert.equal((await support.sellerThreads(stranger)).total, 0);
  await assert.rejects(support.view(asStranger, first.ticket.id), NotFoundError);
});

test('status changes follow the ticket machine and the actor’s rights', async () => {
  const { ticket } = await support.open(buyer, {
    subject: 'Question',
    message: 'Comment devenir vendeur ?',
  });
  await assert.rejects(support.changeStatus(asStranger, ticket.id, 'closed'), NotFoundError);
  await assert.rejects(support.changeStatus(asBuyer, ticket.id, 'pending_user'), ForbiddenError);
  assert.equal((await support.changeStatus(asBuyer, ticket.id, 'resolved')).status, 'resolved');
  // Writing to a resolved ticket reopens it.
  assert.equal(
    (await support.postMessage(asBuyer, ticket.id, 'En fait encore une question.')).ticket.status,
    'pending_admin',
  );
  assert.equal((await support.changeStatus(asAdmin, ticket.id, 'closed')).status, 'closed');
  await assert.rejects(support.postMessage(asBuyer, ticket.id, 'Toujours là ?'), TransitionError);

  // The user's own moves are theirs; the admin's are audited with the ticket.
  assert.deepEqual(await audited(ticket.id), [{ action: 'ticket.status', adminId: admin, to: 'closed' }]);
});

test('the admin inbox: filters by status with counts, the author and the order it is about', async () => {
  const product = await addProduct(db, seller);
  const order = await addOrder(db, buyer, product);
  const report = await support.reportProblem(buyer, order, {
    message: 'Le fichier ne s’ouvre pas.',
    email: 'acheteur@example.com',
  });
  const before = await support.inboxCounts(moderator);
  const open = await support.inbox(moderator, 'open', { limit: 50 });
  const listed = open.items.find((t) => t.id === report.ticket.id);
  assert.ok(listed, 'a new report is open');
  assert.equal(listed.authorEmail, 'acheteur@example.com');
  assert.equal(listed.orderSellerId, seller);
  assert.equal(listed.productId, product.id);
  assert.equal(listed.lastAuthorRole, 'user');

  const answer = await support.postMessage(asAdmin, report.ticket.id, 'Voici un nouveau lien.');
  assert.equal(answer.ticket.status, 'pending_user');
  const after = await support.inboxCounts(moderator);
  assert.equal(after.open, before.open - 1);
  assert.equal(after.pending_user, before.pending_user + 1);
  assert.ok((await support.inbox(moderator, 'pending_user')).items.some((t) => t.id === report.ticket.id));
  const view = await support.adminView(moderator, report.ticket.id);
  assert.deepEqual(
    view.messages.map((m) => m.authorRole),
    ['user', 'admin'],
  );
  assert.deepEqual(await audited(report.ticket.id), [{ action: 'ticket.reply', adminId: admin, to: null }]);
  await assert.rejects(support.adminView(moderator, 987654), NotFoundError);
});
