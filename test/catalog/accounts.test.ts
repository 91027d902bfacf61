// Users, sellers and categories: registration from Telegram identities, seller profiles,
// settings, suspension state, and the category list a buyer starts from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CheckViolationError, UniqueViolationError } from '../../src/db/index.ts';
import { ValidationError } from '../../src/domain/index.ts';
import {
  createCategory,
  getCategoryById,
  getCategoryBySlug,
  listCategories,
} from '../../src/repositories/categories.ts';
import {
  createSellerProfile,
  getSellerProfile,
  getStorefrontHeader,
} from '../../src/repositories/sellers.ts';
import {
  getUser,
  isUserSuspended,
  listUsers,
  restoreUser,
  setUserLanguage,
  suspendUser,
  upsertUser,
} from '../../src/repositories/users.ts';
import { languageFromTelegram } from '../../src/services/accounts.ts';
import {
  AlreadySellerError,
  EmailTakenError,
  InvalidInputError,
  NotFoundError,
  NotSellerError,
  SuspendedError,
} from '../../src/services/errors.ts';
import { ADDRESS, addListedProduct, addSeller, addUser, catalogKit, OTHER_ADDRESS } from './fixtures.ts';

const kit = await catalogKit();
const { db, accounts } = kit;

test('registerUser creates the user once and refreshes the Telegram names, never the chosen language', async () => {
  const first = await accounts.registerUser({
    id: 7_000_000_001,
    username: 'zoe',
    first_name: 'Zoé',
    language_code: 'en-GB',
  });
  assert.equal(first.id, 7_000_000_001, 'ids above 2^31 come back as exact numbers');
  assert.equal(first.language, 'en');
  assert.equal(first.suspended, false);
  assert.equal(await setUserLanguage(db, first.id, 'fr'), true);
  const again = await accounts.registerUser({
    id: first.id,
    username: 'zoe_new',
    first_name: 'Zoé B',
    language_code: 'en',
  });
  assert.equal(again.username, 'zoe_new');
  assert.equal(again.firstName, 'Zoé B');
  assert.equal(again.language, 'fr', 'the user picked French: a new update does not undo it');
  assert.equal(again.createdAt.getTime(), first.createdAt.getTime());
  assert.equal((await getUser(db, first.id))?.username, 'zoe_new');
  assert.equal(await getUser(db, 999), null);
});

test('languageFromTelegram: French by default, English for any other client language', () => {
  assert.equal(languageFromTelegram(undefined), 'fr');
  assert.equal(languageFromTelegram('fr-CA'), 'fr');
  assert.equal(languageFromTelegram('de'), 'en');
});

test('registerUser refuses an id that is not a Telegram id', async () => {
  await assert.rejects(accounts.registerUser({ id: -5, first_name: 'x' }), InvalidInputError);
});

test('suspension: indefinite, timed, expired and restored', async () => {
  await addUser(kit, 101);
  assert.equal(await isUserSuspended(db, 101), false);
  await suspendUser(db, 101, { reason: 'spam', until: null, adminId: 1 });
  assert.equal(await isUserSuspended(db, 101), true);
  const restored = await restoreUser(db, 101);
  assert.equal(restored?.suspended, false);
  assert.equal(restored?.suspensionReason, null);

  await suspendUser(db, 101, { reason: 'fraud', until: new Date(Date.now() + 3_600_000), adminId: 1 });
  assert.equal((await getUser(db, 101))?.suspended, true);
  // A suspension whose end has passed no longer counts.
  await db.exec(
    "UPDATE users SET suspended_at = now() - interval '2 days', suspended_until = now() - interval '1 day' WHERE id = 101",
  );
  assert.equal(await isUserSuspended(db, 101), false);
  assert.equal(await isUserSuspended(db, 424242), false, 'an unknown user has nothing to refuse');
});

test('the suspension rule of the schema surfaces as a typed error naming the constraint', async () => {
  await addUser(kit, 102);
  await assert.rejects(suspendUser(db, 102, { reason: '', until: null, adminId: 1 }), (error: unknown) => {
    assert.ok(error instanceof CheckViolationError);
    assert.equal(error.constraint, 'users_suspension_reason_check');
    assert.match(error.message, /users_suspension_reason_check/);
    return true;
  });
});

test('listUsers pages newest first and searches by id, @username or name without accents', async () => {
  for (let i = 0; i < 5; i++)
    await upsertUser(db, { id: 200 + i, username: `buyer${i}`, firstName: `Hélène ${i}` }, 'fr');
  const page = await listUsers(db, { search: 'helene', limit: 2, offset: 0 });
  assert.equal(page.total, 5);
  assert.deepEqual(
    page.items.map((u) => u.id),
    [204, 203],
  );
  assert.deepEqual(
    (await listUsers(db, { search: 'helene', limit: 2, offset: 4 })).items.map((u) => u.id),
    [200],
  );
  assert.deepEqual(
    (await listUsers(db, { search: '@BUYER3' })).items.map((u) => u.id),
    [203],
  );
  assert.deepEqual(
    (await listUsers(db, { search: '202' })).items.map((u) => u.id),
    [202],
  );
  assert.equal((await listUsers(db, { search: '100%' })).total, 0, 'LIKE wildcards are taken literally');
  await suspendUser(db, 201, { reason: 'abuse', until: null, adminId: 1 });
  assert.deepEqual(
    (await listUsers(db, { search: 'helene', order: 'suspended' })).items.map((u) => u.id),
    [201],
  );
});

test('registerSeller validates the email, then the address, and names the shop after the user', async () => {
  await addUser(kit, 300, 'Marie');
  await assert.rejects(
    accounts.registerSeller(300, { email: 'not-an-email', payoutAddress: 'bad' }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.code, 'email_invalid', 'the email is checked first');
      return true;
    },
  );
  await assert.rejects(
    accounts.registerSeller(300, { email: 'marie@example.com', payoutAddress: '0OIl' }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.field, 'solana_address');
      return true;
    },
  );
  assert.equal(await getSellerProfile(db, 300), null, 'nothing is written on bad input');
  const seller = await accounts.registerSeller(300, { email: ' Marie@Example.COM ', payoutAddress: ADDRESS });
  assert.equal(seller.name, 'Marie');
  assert.equal(seller.email, 'Marie@example.com');
  assert.equal(seller.payoutAddress, ADDRESS);
  await assert.rejects(
    accounts.registerSeller(300, { email: 'other@example.com', payoutAddress: ADDRESS }),
    AlreadySellerError,
  );
});

test('one seller account per email, whatever the case', async () => {
  await addSeller(kit, 310);
  await addUser(kit, 311);
  await assert.rejects(
    accounts.registerSeller(311, { email: 'SELLER310@example.com', payoutAddress: ADDRESS }),
    (error: unknown) => error instanceof EmailTakenError && error.code === 'email_taken',
  );
  // The repository alone surfaces the database's typed error.
  await assert.rejects(
    createSellerProfile(db, {
      userId: 311,
      name: 'X',
      email: 'seller310@EXAMPLE.com',
      payoutAddress: ADDRESS,
    }),
    (error: unknown) =>
      error instanceof UniqueViolationError && error.constraint === 'seller_profiles_email_key',
  );
});

test('a suspended or unknown user cannot become a seller', async () => {
  await addUser(kit, 320);
  await suspendUser(db, 320, { reason: 'spam', until: null, adminId: 1 });
  await assert.rejects(
    accounts.registerSeller(320, { email: 'a320@example.com', payoutAddress: ADDRESS }),
    SuspendedError,
  );
  await assert.rejects(
    accounts.registerSeller(321, { email: 'a321@example.com', payoutAddress: ADDRESS }),
    NotFoundError,
  );
});

test('updateSellerSettings validates each field and reports a payout address change', async () => {
  await addSeller(kit, 330);
  const same = await accounts.updateSellerSettings(330, {
    bio: 'Je vends des guides.\nDepuis 2020.',
    payoutAddress: ADDRESS,
  });
  assert.equal(same.profile.bio, 'Je vends des guides.\nDepuis 2020.');
  assert.equal(same.payoutAddressChanged, false);
  assert.equal(same.profile.payoutAddressChangedAt, null);
  const changed = await accounts.updateSellerSettings(330, {
    name: '  Le Shop  ',
    payoutAddress: OTHER_ADDRESS,
  });
  assert.equal(changed.profile.name, 'Le Shop');
  assert.equal(changed.payoutAddressChanged, true);
  assert.ok(changed.profile.payoutAddressChangedAt instanceof Date);
  assert.equal(changed.profile.bio, 'Je vends des guides.\nDepuis 2020.', 'fields not given are kept');
  await assert.rejects(accounts.updateSellerSettings(330, { name: 'x'.repeat(51) }), ValidationError);
  await assert.rejects(
    accounts.updateSellerSettings(330, { email: 'seller310@example.com' }),
    EmailTakenError,
  );
  await addUser(kit, 331);
  await assert.rejects(accounts.updateSellerSettings(331, { bio: 'hello' }), NotSellerError);
  await assert.rejects(accounts.requireActiveSeller(331), NotSellerError);
});

test('categories: the seven defaults by position with counts of what a buyer can see', async () => {
  const seller = await addSeller(kit, 340);
  await addListedProduct(kit, seller.userId, { category: 'development' });
  const categories = await listCategories(db);
  assert.deepEqual(
    categories.map((c) => c.slug),
    [
      'finance-crypto',
      'digital-marketing',
      'development',
      'design-creative',
      'business',
      'professional-training',
      'tools-tech',
    ],
  );
  const development = categories.find((c) => c.slug === 'development');
  assert.equal(development?.activeProducts, 1);
  assert.equal(development?.nameFr, 'Développement');
  assert.equal((await getCategoryBySlug(db, 'development'))?.id, development?.id);
  assert.equal((await getCategoryById(db, development?.id ?? 0))?.nameEn, 'Development');
  assert.equal(await getCategoryBySlug(db, 'nope'), null);

  const added = await createCategory(db, { slug: 'ebooks', nameFr: 'Livres', nameEn: 'Books', emoji: '📚' });
  assert.equal(added.position, 8);
  await assert.rejects(
    createCategory(db, { slug: 'ebooks', nameFr: 'x', nameEn: 'y' }),
    (error: unknown) => error instanceof UniqueViolationError && error.constraint === 'categories_slug_key',
  );
  await assert.rejects(
    createCategory(db, { slug: 'Bad Slug', nameFr: 'x', nameEn: 'y' }),
    (error: unknown) => error instanceof CheckViolationError && error.constraint === 'categories_slug_check',
  );

  // A suspended seller's products leave the counts and the storefront until the suspension ends.
  await suspendUser(db, 340, { reason: 'review', until: null, adminId: 1 });
  assert.equal((await listCategories(db)).find((c) => c.slug === 'development')?.activeProducts, 0);
  assert.equal(await getStorefrontHeader(db, 340), null);
  await restoreUser(db, 340);
  const header = await getStorefrontHeader(db, 340);
  assert.equal(header?.activeProducts, 1);
  assert.equal(header?.name, 'Shop 340');
  assert.equal(header?.rating, null);
});
