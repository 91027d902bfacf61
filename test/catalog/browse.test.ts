// What buyers and sellers look at: catalog pages, search, storefront, detail, "my products",
// the seller dashboard and the period analytics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dailyActivity, getSellerDashboard, topProducts } from '../../src/repositories/analytics.ts';
import {
  getProductDetail,
  listCatalog,
  listSellerProducts,
  listStorefront,
  searchProducts,
} from '../../src/repositories/products.ts';
import { restoreUser, suspendUser } from '../../src/repositories/users.ts';
import { NotFoundError } from '../../src/services/errors.ts';
import { addListedProduct, addPaidOrder, addSeller, addUser, catalogKit, categoryId } from './fixtures.ts';

const kit = await catalogKit();
const { db, catalog, products } = kit;
const SELLER = 50;
const OTHER = 51;
const BUYER = 52;
await addSeller(kit, SELLER, 'Atelier Zoé');
await addSeller(kit, OTHER);
await addUser(kit, BUYER);

test('catalog pages: active products of the category, best sellers first then newest', async () => {
  const slug = 'design-creative';
  const made = [];
  for (let i = 0; i < 5; i++) {
    made.push(
      await addListedProduct(kit, SELLER, {
        title: `Pack design ${i}`,
        category: slug,
        createdDaysAgo: 10 - i,
      }),
    );
  }
  await addPaidOrder(db, made[0] as (typeof made)[0], BUYER);
  await addPaidOrder(db, made[0] as (typeof made)[0], BUYER);
  await addPaidOrder(db, made[1] as (typeof made)[0], BUYER);
  await products.deactivate(SELLER, (made[2] as (typeof made)[0]).id);
  await products.create(SELLER, {
    title: 'Brouillon design',
    description: '',
    categoryId: await categoryId(db, slug),
    priceCents: 0,
  });
  const category = await categoryId(db, slug);
  const first = await listCatalog(db, category, { limit: 3 });
  assert.equal(first.total, 4, 'drafts and inactive products are not listed');
  assert.deepEqual(
    first.items.map((p) => p.title),
    ['Pack design 0', 'Pack design 1', 'Pack design 4'],
  );
  assert.equal(first.items[0]?.salesCount, 2);
  assert.equal(first.items[0]?.sellerName, 'Atelier Zoé');
  assert.equal(first.items[0]?.fileSizeBytes, 1000);
  const second = await listCatalog(db, category, { limit: 3, offset: 3 });
  assert.deepEqual(
    second.items.map((p) => p.title),
    ['Pack design 3'],
  );
  assert.equal((await listCatalog(db, category, { limit: 3, offset: 9 })).items.length, 0);
  assert.equal((await listCatalog(db, await categoryId(db, 'business'))).total, 0);
});

test('search finds words with any case or accent, ranks title hits first, ignores non-active', async () => {
  const creer = await addListedProduct(kit, OTHER, {
    title: 'Créer une boutique en ligne',
    description: 'Pas à pas.',
    category: 'business',
  });
  const inDescription = await addListedProduct(kit, OTHER, {
    title: 'Marketing pour débutants',
    description: 'Comment créer sa première campagne.',
    category: 'digital-marketing',
  });
  const hidden = await addListedProduct(kit, OTHER, { title: 'Créer un site caché', category: 'business' });
  await products.deactivate(OTHER, hidden.id);

  assert.deepEqual(
    (await searchProducts(db, 'creer')).map((p) => p.id),
    [creer.id, inDescription.id],
  );
  assert.deepEqual(
    (await searchProducts(db, 'CRÉER Boutique')).map((p) => p.id),
    [creer.id],
    'every word must match',
  );
  assert.deepEqual(await searchProducts(db, '   '), []);
  assert.deepEqual(await searchProducts(db, '%'), [], 'wildcards are literal');
});

test('search by product id typed in lower case, with spaces, or without the prefix', async () => {
  const product = await addListedProduct(kit, OTHER, { title: 'Produit à trouver par id' });
  const body = product.id.slice(2);
  for (const typed of [
    product.id.toLowerCase(),
    `p-${body.slice(0, 4)} ${body.slice(4)}`.toLowerCase(),
    body,
  ]) {
    assert.deepEqual(
      (await searchProducts(db, typed)).map((p) => p.id),
      [product.id],
      typed,
    );
  }
  await products.deactivate(OTHER, product.id);
  assert.deepEqual(
    await searchProducts(db, product.id.toLowerCase()),
    [],
    'an inactive product is not found',
  );
});

test("a seller's storefront lists active products, newest first, and disappears while suspended", async () => {
  const seller = 60;
  await addSeller(kit, seller);
  const older = await addListedProduct(kit, seller, { title: 'Ancien produit', createdDaysAgo: 3 });
  const newer = await addListedProduct(kit, seller, { title: 'Nouveau produit' });
  const page = await listStorefront(db, seller);
  assert.deepEqual(
    page.items.map((p) => p.id),
    [newer.id, older.id],
  );
  await suspendUser(db, seller, { reason: 'check', until: null, adminId: 1 });
  assert.equal((await listStorefront(db, seller)).total, 0);
  assert.deepEqual(await searchProducts(db, 'nouveau produit'), []);
  await assert.rejects(catalog.viewProduct(BUYER, newer.id), NotFoundError);
  await restoreUser(db, seller);
  assert.equal((await listStorefront(db, seller)).total, 2);
});

test('the detail view: seller and category, a view counted for buyers only, hidden when not active', async () => {
  const product = await addListedProduct(kit, SELLER, { title: 'Détail du produit', category: 'tools-tech' });
  const detail = await catalog.viewProduct(BUYER, product.id);
  assert.equal(detail.sellerName, 'Atelier Zoé');
  assert.equal(detail.categorySlug, 'tools-tech');
  assert.equal(detail.categoryNameFr, 'Outils & Tech');
  assert.equal(detail.fileName, 'guide.pdf');
  assert.equal(detail.viewsCount, 1);
  await catalog.viewProduct(SELLER, product.id);
  assert.equal((await getProductDetail(db, product.id))?.viewsCount, 1, "the owner's own views do not count");
  await products.deactivate(SELLER, product.id);
  await assert.rejects(catalog.viewProduct(BUYER, product.id), NotFoundError);
  assert.equal((await catalog.viewProduct(SELLER, product.id)).status, 'inactive', 'the owner still sees it');
  assert.equal(await getProductDetail(db, 'P-ZZZZZZZZZZ'), null);
});

test('my products: every status but deleted with views, sales and conversion', async () => {
  const seller = 70;
  await addSeller(kit, seller);
  const product = await addListedProduct(kit, seller, { title: 'Produit suivi' });
  for (let i = 0; i < 4; i++) await catalog.viewProduct(BUYER, product.id);
  await addPaidOrder(db, product, BUYER);
  await products.create(seller, {
    title: 'Brouillon suivi',
    description: '',
    categoryId: await categoryId(db, 'business'),
    priceCents: 0,
  });
  const page = await listSellerProducts(db, seller);
  assert.equal(page.total, 2);
  const tracked = page.items.find((p) => p.id === product.id);
  assert.equal(tracked?.viewsCount, 4);
  assert.equal(tracked?.salesCount, 1);
  assert.equal(tracked?.conversionPercent, 25);
  assert.equal(page.items.find((p) => p.status === 'draft')?.conversionPercent, null);
});

test('dashboard and analytics: 30 days with empty days filled, top 5, per product', async () => {
  const seller = 80;
  await addSeller(kit, seller);
  const cheap = await addListedProduct(kit, seller, { title: 'Petit guide', priceCents: 999 });
  const dear = await addListedProduct(kit, seller, { title: 'Grand guide', priceCents: 4900 });
  await addPaidOrder(db, cheap, BUYER, 0);
  await addPaidOrder(db, cheap, BUYER, 2);
  await addPaidOrder(db, dear, BUYER, 2);
  await addPaidOrder(db, dear, BUYER, 40); // outside the window, inside the totals
  await addPaidOrder(db, cheap, BUYER, 1, 'refunded');
  await addPaidOrder(db, dear, BUYER, 0, 'pending');

  const series = await dailyActivity(db, { sellerId: seller }, 30);
  assert.equal(series.length, 30);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(series.at(-1)?.day, today);
  assert.equal(series[0]?.day, new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10));
  const byDay = new Map(series.map((d) => [d.day, d]));
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const quiet = { views: 0, reviews: 0, stars: 0 };
  assert.deepEqual(byDay.get(today), { day: today, revenueCents: 999, sales: 1, ...quiet });
  assert.deepEqual(byDay.get(twoDaysAgo), { day: twoDaysAgo, revenueCents: 5899, sales: 2, ...quiet });
  assert.equal(
    series.filter((d) => d.sales === 0).length,
    28,
    'refunded and unpaid orders count nowhere; other days are zeros',
  );
  assert.equal(
    series.reduce((sum, d) => sum + d.revenueCents, 0),
    999 + 999 + 4900,
  );

  const perProduct = await dailyActivity(db, { productId: dear.id }, 7);
  assert.equal(perProduct.length, 7);
  assert.equal(
    perProduct.reduce((sum, d) => sum + d.sales, 0),
    1,
  );

  assert.deepEqual(await topProducts(db, seller), [
    { id: dear.id, title: 'Grand guide', status: 'active', sales: 2, revenueCents: 9800 },
    { id: cheap.id, title: 'Petit guide', status: 'active', sales: 2, revenueCents: 1998 },
  ]);
  assert.deepEqual(
    await topProducts(db, seller, 5, 30),
    [
      { id: dear.id, title: 'Grand guide', status: 'active', sales: 1, revenueCents: 4900 },
      { id: cheap.id, title: 'Petit guide', status: 'active', sales: 2, revenueCents: 1998 },
    ],
    'within 30 days, the order of 40 days ago is left out',
  );

  const dashboard = await getSellerDashboard(db, seller);
  assert.deepEqual(dashboard, {
    productsTotal: 2,
    productsActive: 2,
    productsDraft: 0,
    productsInactive: 0,
    productsBanned: 0,
    viewsCount: 0,
    salesCount: 4,
    revenueCents: 999 * 2 + 4900 * 2,
    storageBytes: 2000,
  });
  const empty = await getSellerDashboard(db, 424242);
  assert.equal(empty.productsTotal, 0);
  assert.equal(empty.revenueCents, 0);
});
