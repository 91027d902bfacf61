import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransitionError, ValidationError } from '../../src/domain/index.ts';
import { ForbiddenError, NotAdminError, NotFoundError } from '../../src/services/errors.ts';
import {
  adminInbox,
  changeTicketStatus,
  contactSeller,
  myTickets,
  openTicket,
  postMessage,
  reportOrderProblem,
  sellerThreads,
  viewTicket,
} from '../../src/services/support.ts';
import { addOrder, addProduct, addSeller, addUser, aftersaleDatabase } from './fixtures.ts';

const db = await aftersaleDatabase();
const seller = await addSeller(db, 10);
const buyer = await addUser(db, 20);
const stranger = await addUser(db, 30);
const admin = await addUser(db, 99);
const asBuyer = { userId: buyer, isAdmin: false };
const asSeller = { userId: seller, isAdmin: false };
const asStranger = { userId: stranger, isAdmin: false };
const asAdmin = { userId: admin, isAdmin: true };

test('a ticket is a thread between its user and the admins; nobody else can read or write it', async () => {
  const opened = await openTicket(db, buyer, {
    subject: 'Paiement',
    message: 'Mon paiement est parti mais rien reçu.',
    email: 'buyer@example.com',
  });
  const id = opened.ticket.id;
  assert.equal(opened.ticket.status, 'open');

  await assert.rejects(viewTicket(db, asStranger, id), NotFoundError);
  await assert.rejects(postMessage(db, asStranger, id, 'Je lis le ticket des autres'), NotFoundError);
  await assert.rejects(viewTicket(db, asSeller, id), NotFoundError);

  const reply = await postMessage(db, asAdmin, id, 'Nous regardons votre paiement.');
  assert.equal(reply.ticket.status, 'pending_user');
  assert.deepEqual(reply.recipients, [buyer]);
  const answer = await postMessage(db, asBuyer, id, 'Merci, voici le hash de la transaction.');
  assert.equal(answer.ticket.status, 'pending_admin');

  const view = await viewTicket(db, asBuyer, id);
  assert.deepEqual(
    view.messages.map((m) => m.authorRole),
    ['user', 'admin', 'user'],
  );
  assert.equal((await myTickets(db, buyer)).items[0]?.id, id);
  assert.equal((await myTickets(db, stranger)).total, 0);
});

test('bad input is refused with a typed error and writes nothing', async () => {
  await assert.rejects(
    openTicket(db, stranger, { subject: 'x', message: 'Un message assez long' }),
    ValidationError,
  );
  await assert.rejects(openTicket(db, stranger, { subject: 'Sujet', message: 'court' }), ValidationError);
  await assert.rejects(
    openTicket(db, stranger, { subject: 'Sujet', message: 'Un message assez long', email: 'pas-un-email' }),
    { code: 'email_invalid' },
  );
  assert.equal((await myTickets(db, stranger)).total, 0);
});

test('reporting a problem on an order: only its buyer, and a double tap reuses the open report', async () => {
  const product = await addProduct(db, seller);
  const order = await addOrder(db, buyer, product);
  await assert.rejects(
    reportOrderProblem(db, stranger, order, { message: 'Ce n’est pas ma commande' }),
    NotFoundError,
  );
  const [a, b] = await Promise.all([
    reportOrderProblem(db, buyer, order, { message: 'Le fichier est corrompu.' }),
    reportOrderProblem(db, buyer, order, { message: 'Le fichier est corrompu.' }),
  ]);
  assert.equal(a.ticket.id, b.ticket.id);
  assert.equal(a.ticket.orderId, order);
  assert.equal(a.ticket.sellerId, null);
  assert.equal((await viewTicket(db, asBuyer, a.ticket.id)).messages.length, 2);
});

test('contacting the seller opens a relayed thread on the order; admins can step in', async () => {
  const product = await addProduct(db, seller);
  const order = await addOrder(db, buyer, product);
  const unpaid = await addOrder(db, buyer, await addProduct(db, seller), 'waiting');
  await assert.rejects(contactSeller(db, buyer, unpaid, 'Bonjour, une question ?'), {
    code: 'order_not_paid',
  });
  await assert.rejects(contactSeller(db, stranger, order, 'Bonjour, une question ?'), NotFoundError);

  const first = await contactSeller(db, buyer, order, 'Bonjour, la version 2 arrive quand ?');
  assert.equal(first.ticket.sellerId, seller);
  assert.deepEqual(first.recipients, [seller]);
  const sellerReply = await postMessage(db, asSeller, first.ticket.id, 'La semaine prochaine.');
  assert.equal(sellerReply.message.authorRole, 'seller');
  assert.deepEqual(sellerReply.recipients, [buyer]);
  const adminNote = await postMessage(db, asAdmin, first.ticket.id, 'Je suis ce fil.');
  assert.deepEqual(adminNote.recipients.sort(), [buyer, seller].sort());

  assert.equal((await sellerThreads(db, seller)).items[0]?.id, first.ticket.id);
  assert.equal((await sellerThreads(db, stranger)).total, 0);
  await assert.rejects(viewTicket(db, asStranger, first.ticket.id), NotFoundError);
});

test('status changes follow the ticket machine and the actor’s rights', async () => {
  const { ticket } = await openTicket(db, buyer, {
    subject: 'Question',
    message: 'Comment devenir vendeur ?',
  });
  await assert.rejects(changeTicketStatus(db, asStranger, ticket.id, 'closed'), NotFoundError);
  await assert.rejects(changeTicketStatus(db, asBuyer, ticket.id, 'pending_user'), ForbiddenError);
  assert.equal((await changeTicketStatus(db, asBuyer, ticket.id, 'resolved')).status, 'resolved');
  // Writing to a resolved ticket reopens it.
  assert.equal(
    (await postMessage(db, asBuyer, ticket.id, 'En fait encore une question.')).ticket.status,
    'pending_admin',
  );
  assert.equal((await changeTicketStatus(db, asAdmin, ticket.id, 'closed')).status, 'closed');
  await assert.rejects(postMessage(db, asBuyer, ticket.id, 'Toujours là ?'), TransitionError);

  const inbox = await adminInbox(db, asAdmin, ['closed']);
  assert.ok(inbox.items.some((t) => t.id === ticket.id));
  assert.throws(() => adminInbox(db, asBuyer), NotAdminError);
});
