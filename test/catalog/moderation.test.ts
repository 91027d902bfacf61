// Admin moderation and views: only verified admins act, each action is audited in its own
// transaction, lists and exports for the admin screens, marketplace statistics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CheckViolationError } from '../../src/db/index.ts';
import { toCsv } from '../../src/domain/index.ts';
import {
  exportProducts,
  exportUsers,
  getAdminUserDetail,
  getMarketplaceStats,
  listAdminProducts,
} from '../../src/repositories/admin.ts';
import { listAdminActions, recordAdminAction } from '../../src/repositories/audit.ts';
import { getProduct, listCatalog } from '../../src/repositories/products.ts';
import { getUser } from '../../src/repositories/users.ts';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotAdminError,
  NotFoundError,
  SuspendedError,
} from '../../src/services/errors.ts';
import { addListedProduct, addPaidOrder, addSeller, addUser, catalogKit, categoryId } from './fixtures.ts';

const ADMIN = 1;
const kit = await catalogKit({ adminIds: new Set([ADMIN]) });
const { db, moderation, products } = kit;
const admin = moderation.moderator(ADMIN);
const SELLER = 500;
const BUYER = 501;
await addUser(kit, ADMIN, 'Admin');
await addSeller(kit, SELLER, '=SUM(A1)');
await addUser(kit, BUYER, 'Bob', 'bob');

test('only an id listed in ADMIN_IDS gets a Moderator', () => {
  assert.throws(
    () => moderation.moderator(BUYER),
    (e: unknown) => e instanceof NotAdminError && e.code === 'not_admin',
  );
  assert.equal(moderation.moderator(ADMIN).adminId, ADMIN);
});

test('suspend and restore a user, each audited with the reason', async () => {
  const until = new Date(Date.now() + 7 * 86_400_000);
  const suspended = await moderation.suspendUser(admin, BUYER, { reason: '  Fraude   répétée ', until });
  assert.equal(suspended.suspended, true);
  assert.equal(suspended.suspensionReason, 'Fraude répétée');
  assert.equal(suspended.suspendedBy, ADMIN);
  assert.equal(suspended.suspendedUntil?.getTime(), until.getTime());
  const restored = await moderation.restoreUser(admin, BUYER);
  assert.equal(restored.suspended, false);
  await assert.rejects(
    moderation.restoreUser(admin, BUYER),
    (e: unknown) => e instanceof ConflictError && e.code === 'user_not_suspended',
  );

  const history = await listAdminActions(db, { target: { type: 'user', id: BUYER } });
  assert.deepEqual(
    history.items.map((a) => [a.action, a.adminId, a.targetId]),
    [
      ['user.restore', ADMIN, String(BUYER)],
      ['user.suspend', ADMIN, String(BUYER)],
    ],
  );
  assert.deepEqual(history.items[1]?.details, { reason: 'Fraude répétée', until: until.toISOString() });
});

test('suspension input is checked before anything is written', async () => {
  const before = (await listAdminActions(db)).total;
  await assert.rejects(moderation.suspendUser(admin, BUYER, { reason: '   ' }), (e: unknown) => {
    return e instanceof InvalidInputError && e.code === 'reason_invalid' && e.field === 'reason';
  });
  await assert.rejects(
    moderation.suspendUser(admin, BUYER, { reason: 'x', until: new Date(Date.now() - 1000) }),
    (e: unknown) => e instanceof InvalidInputError && e.code === 'suspension_end_invalid',
  );
  await assert.rejects(moderation.suspendUser(admin, ADMIN, { reason: 'oops' }), ForbiddenError);
  await assert.rejects(moderation.suspendUser(admin, 999_999, { reason: 'who' }), NotFoundError);
  assert.equal((await listAdminActions(db)).total, before);
  assert.equal((await getUser(db, BUYER))?.suspended, false);
});

test('a suspended seller cannot sell; the suspension ends by itself at its end date', async () => {
  const seller = 510;
  await addSeller(kit, seller);
  await moderation.suspendUser(admin, seller, {
    reason: 'Vérification',
    until: new Date(Date.now() + 60_000),
  });
  const input = {
    title: 'Produit bloqué',
    description: '',
    categoryId: await categoryId(db, 'business'),
    priceCents: 0,
  };
  await assert.rejects(products.create(seller, input), SuspendedError);
  await db.exec(
    "UPDATE users SET suspended_at = now() - interval '2 minutes', suspended_until = now() - interval '1 minute' WHERE id = $1",
    [seller],
  );
  assert.equal((await products.create(seller, input)).status, 'draft');
});

test('ban and restore a product: off the catalog with a reason, audited, back on sale', async () => {
  const product = await addListedProduct(kit, SELLER, { title: 'Produit signalé', category: 'tools-tech' });
  const tools = await categoryId(db, 'tools-tech');
  const banned = await moderation.banProduct(admin, product.id, 'Contenu piraté');
  assert.equal(banned.status, 'banned');
  assert.equal(banned.banReason, 'Contenu piraté');
  assert.equal(banned.bannedBy, ADMIN);
  assert.equal((await listCatalog(db, tools)).total, 0);
  await assert.rejects(moderation.banProduct(admin, product.id, 'again'), (e: unknown) => {
    return e instanceof ConflictError && e.code === 'product_transition_forbidden';
  });

  const restored = await moderation.restoreProduct(admin, product.id);
  assert.equal(restored.status, 'active');
  assert.equal(restored.banReason, null);
  assert.equal((await listCatalog(db, tools)).total, 1);
  const history = await listAdminActions(db, { target: { type: 'product', id: product.id } });
  assert.deepEqual(
    history.items.map((a) => a.action),
    ['product.restore', 'product.ban'],
  );
  assert.deepEqual(history.items[1]?.details, { reason: 'Contenu piraté', previousStatus: 'active' });

  await moderation.banProduct(admin, product.id, 'Encore');
  assert.equal((await moderation.restoreProduct(admin, product.id, 'inactive')).status, 'inactive');
  assert.equal(
    (await products.activate(SELLER, product.id)).status,
    'active',
    'the seller may re-list after a restore',
  );
  await assert.rejects(moderation.restoreProduct(admin, 'P-ZZZZZZZZZZ'), NotFoundError);
});

test('a draft without its file was never listed: banning it is refused clearly, nothing written', async () => {
  const draft = await products.create(SELLER, {
    title: 'Brouillon sans fichier',
    description: '',
    categoryId: await categoryId(db, 'business'),
    priceCents: 0,
  });
  await assert.rejects(
    moderation.banProduct(admin, draft.id, 'Spam'),
    (e: unknown) => e instanceof ConflictError && e.code === 'product_not_listed',
  );
  assert.equal((await getProduct(db, draft.id))?.status, 'draft');
});

test('an action and its audit record commit together or not at all', async () => {
  const product = await addListedProduct(kit, SELLER, { title: 'Produit atomique' });
  const before = (await listAdminActions(db)).total;
  // The audit write fails after the ban itself was written, in the same transaction.
  await db.exec(
    `CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'the audit log refuses writes'; END $$`,
  );
  await db.exec(
    'CREATE TRIGGER refuse_audit BEFORE INSERT ON admin_audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()',
  );
  try {
    await assert.rejects(moderation.banProduct(admin, product.id, 'Test'), /the audit log refuses writes/);
  } finally {
    await db.exec('DROP TRIGGER refuse_audit ON admin_audit_log');
    await db.exec('DROP FUNCTION refuse_audit()');
  }
  assert.equal((await getProduct(db, product.id))?.status, 'active');
  assert.equal((await listAdminActions(db)).total, before);
});

test('the audit log: record, filter by admin, typed error on a malformed action', async () => {
  await recordAdminAction(db, {
    adminId: 2,
    action: 'payout.mark_paid',
    target: { type: 'payout', id: 17 },
    details: { tx: 'abc' },
  });
  const byAdmin = await listAdminActions(db, { adminId: 2 });
  assert.equal(byAdmin.total, 1);
  assert.equal(byAdmin.items[0]?.targetType, 'payout');
  assert.equal(byAdmin.items[0]?.targetId, '17');
  const page = await listAdminActions(db, { limit: 1, offset: 1 });
  assert.equal(page.items.length, 1);
  await assert.rejects(
    recordAdminAction(db, { adminId: 2, action: 'Mark Paid!' }),
    (e: unknown) => e instanceof CheckViolationError && e.constraint === 'admin_audit_log_action_check',
  );
});

test('admin lists and exports: products by status or search, user card, CSV rows', async () => {
  const seller = 520;
  await addSeller(kit, seller);
  const listed = await addListedProduct(kit, seller, { title: 'Formation Crème', priceCents: 2500 });
  const banned = await addListedProduct(kit, seller, { title: 'Formation bannie' });
  await moderation.banProduct(admin, banned.id, 'Spam');
  await addPaidOrder(db, listed, BUYER);

  const bySeller = await listAdminProducts(db, { sellerId: seller });
  assert.equal(bySeller.total, 2);
  assert.deepEqual(
    (await listAdminProducts(db, { sellerId: seller, status: 'banned' })).items.map((p) => [
      p.id,
      p.banReason,
    ]),
    [[banned.id, 'Spam']],
  );
  assert.deepEqual(
    (await listAdminProducts(db, { search: 'creme' })).items.map((p) => p.id),
    [listed.id],
  );
  assert.deepEqual(
    (await listAdminProducts(db, { search: banned.id.toLowerCase() })).items.map((p) => p.id),
    [banned.id],
    'admins find banned products by id too',
  );

  const card = await getAdminUserDetail(db, seller);
  assert.equal(card?.isSeller, true);
  assert.equal(card?.productsCount, 2);
  assert.equal(card?.salesCount, 1);
  assert.equal(card?.revenueCents, 2500);
  assert.equal(card?.storageBytes, 2000);
  const buyerCard = await getAdminUserDetail(db, BUYER);
  assert.equal(buyerCard?.isSeller, false);
  assert.equal(buyerCard?.purchasesCount, 1);
  assert.equal(await getAdminUserDetail(db, 424242), null);

  const users = await exportUsers(db);
  assert.ok(users.some((u) => u.id === SELLER && u.sellerName === '=SUM(A1)'));
  const csv = toCsv(
    ['id', 'seller'],
    users.map((u) => [u.id, u.sellerName]),
  );
  assert.ok(csv.includes("\r\n500,'=SUM(A1)\r\n"), 'a formula in a name is exported as text');
  const products = await exportProducts(db, 2);
  assert.equal(products.length, 2);
});

test('marketplace statistics count users, sellers, products and paid money', async () => {
  const stats = await getMarketplaceStats(db);
  const users = (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM users')).n;
  assert.equal(stats.users, users);
  assert.equal(stats.sellers, 3);
  assert.ok(stats.productsActive >= 2);
  assert.equal(stats.productsBanned, 1);
  assert.equal(stats.paidOrders, 1);
  assert.equal(stats.grossCents, 2500 + 149);
  assert.equal(stats.feesCents, 149);
  assert.equal(stats.paidOrdersLast30Days, 1);
  assert.equal(stats.suspendedUsers, 0);
});
