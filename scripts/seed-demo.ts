// `npm run seed:demo`: fills the database with a small marketplace (sellers, products in every
// category, paid orders over the last 30 days with payouts in escrow, available and paid,
// reviews and tickets) so every screen and chart has something to show. Idempotent: it does
// nothing when the demo sellers already exist. Everything is written in one transaction, so a
// failed run leaves nothing half-seeded; the services run their own transactions, so this
// script writes through the repositories (checking the same rules) and plain SQL for the
// history (orders, payouts, reviews, tickets), their counters moved in the same transaction.
import { migrate, type Queryable, type Transaction } from '../src/db/index.ts';
import {
  BASE58_ALPHABET,
  newOrderId,
  newProductId,
  priceBreakdown,
  validateBio,
  validateDescription,
  validateEmail,
  validatePrice,
  validateSellerName,
  validateSolanaAddress,
  validateTitle,
} from '../src/domain/index.ts';
import { getCategoryBySlug } from '../src/repositories/categories.ts';
import { insertStoredFile, type StoredFile } from '../src/repositories/files.ts';
import { insertProduct, setProductFile, setProductStatus } from '../src/repositories/products.ts';
import { createSellerProfile } from '../src/repositories/sellers.ts';
import { upsertUser } from '../src/repositories/users.ts';
import { buildProductKey, createStorage, type FileStorage } from '../src/storage/index.ts';
import { openScriptDatabase } from './script-database.ts';

/** Ids far from real Telegram accounts of the people trying the demo. */
export const DEMO_ADMIN_ID = 900_000_000;
export const DEMO_SELLERS = [
  {
    id: 900_000_001,
    firstName: 'Camille',
    name: 'Atelier Camille',
    bio: 'Guides de finance et de crypto, testés.',
  },
  {
    id: 900_000_002,
    firstName: 'Yanis',
    name: 'Yanis Dev',
    bio: 'Code, outils et modèles pour développeurs.',
  },
  { id: 900_000_003, firstName: 'Léa', name: 'Studio Léa', bio: 'Design, marketing et formations.' },
] as const;
const BUYER_IDS = [
  900_000_101, 900_000_102, 900_000_103, 900_000_104, 900_000_105, 900_000_106, 900_000_107, 900_000_108,
];
const PAYOUT_ADDRESS = 'So11111111111111111111111111111111111111112';

interface DemoProduct {
  seller: 0 | 1 | 2;
  category: string;
  title: string;
  description: string;
  priceCents: number;
  /** How many paid orders it gets over 30 days. */
  sales: number;
  status?: 'draft' | 'inactive';
}

const PRODUCTS: DemoProduct[] = [
  {
    seller: 0,
    category: 'finance-crypto',
    title: 'Guide complet du DCA en crypto',
    description: 'Investir chaque mois sans stress : méthode, outils et tableaux.',
    priceCents: 2900,
    sales: 14,
  },
  {
    seller: 0,
    category: 'finance-crypto',
    title: 'Fiscalité crypto en France',
    description: 'Déclarer ses plus-values : exemples chiffrés et modèles.',
    priceCents: 4900,
    sales: 8,
  },
  {
    seller: 0,
    category: 'business',
    title: 'Créer son budget prévisionnel',
    description: 'Un tableur prêt à remplir pour lancer son activité.',
    priceCents: 1500,
    sales: 6,
  },
  {
    seller: 0,
    category: 'professional-training',
    title: 'Formation Excel pour analystes',
    description: 'Tableaux croisés, Power Query et modèles financiers.',
    priceCents: 9900,
    sales: 3,
  },
  {
    seller: 0,
    category: 'finance-crypto',
    title: 'Checklist sécurité wallet',
    description: 'Les 30 points à vérifier avant de stocker ses cryptos.',
    priceCents: 0,
    sales: 9,
  },
  {
    seller: 1,
    category: 'development',
    title: 'Starter kit API TypeScript',
    description: 'Fastify, PostgreSQL, tests et déploiement en une heure.',
    priceCents: 3900,
    sales: 11,
  },
  {
    seller: 1,
    category: 'development',
    title: 'Bot Telegram clé en main',
    description: 'Code source commenté d’un bot avec paiements.',
    priceCents: 7900,
    sales: 5,
  },
  {
    seller: 1,
    category: 'tools-tech',
    title: 'Scripts d’automatisation Linux',
    description: 'Sauvegardes, supervision et mises à jour automatiques.',
    priceCents: 1999,
    sales: 7,
  },
  {
    seller: 1,
    category: 'tools-tech',
    title: 'Pack de prompts pour développeurs',
    description: 'Deux cents prompts classés par tâche.',
    priceCents: 999,
    sales: 10,
  },
  {
    seller: 1,
    category: 'development',
    title: 'Cours SQL avancé',
    description: 'Fenêtres, CTE récursives et index : exercices corrigés.',
    priceCents: 5900,
    sales: 2,
    status: 'inactive',
  },
  {
    seller: 2,
    category: 'design-creative',
    title: 'Pack de 120 icônes minimalistes',
    description: 'SVG et PNG, licence commerciale incluse.',
    priceCents: 1200,
    sales: 12,
  },
  {
    seller: 2,
    category: 'design-creative',
    title: 'Modèles Canva pour Instagram',
    description: 'Cinquante gabarits éditables aux couleurs de votre marque.',
    priceCents: 1900,
    sales: 8,
  },
  {
    seller: 2,
    category: 'digital-marketing',
    title: 'Stratégie newsletter en 30 jours',
    description: 'Un plan jour par jour pour atteindre 1000 abonnés.',
    priceCents: 2400,
    sales: 6,
  },
  {
    seller: 2,
    category: 'digital-marketing',
    title: 'Audit SEO : la méthode complète',
    description: 'Grille d’audit, outils gratuits et exemples réels.',
    priceCents: 3500,
    sales: 4,
  },
  {
    seller: 2,
    category: 'professional-training',
    title: 'Masterclass prise de parole',
    description: 'Vidéos et exercices pour présenter avec aisance.',
    priceCents: 14900,
    sales: 0,
    status: 'draft',
  },
];

const REVIEW_TEXTS = [
  'Très clair et bien structuré, je recommande.',
  'Exactement ce que je cherchais, merci !',
  'Bon contenu, quelques parties un peu rapides.',
  'Excellent rapport qualité-prix.',
  null,
  null,
];

const COINS = [
  { code: 'usdtsol', usd: 1 },
  { code: 'usdcsol', usd: 1 },
  { code: 'sol', usd: 150 },
  { code: 'btc', usd: 60_000 },
  { code: 'eth', usd: 3_000 },
];

interface PlannedProduct extends DemoProduct {
  id: string;
  sellerId: number;
  key: string;
  fileName: string;
  size: number;
  sha256: string;
}

export interface SeedSummary {
  sellers: number;
  buyers: number;
  products: number;
  orders: number;
  payouts: number;
  reviews: number;
  tickets: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run draws the same marketplace. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function demoExists(q: Queryable): Promise<boolean> {
  const row = await q.one<{ found: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM seller_profiles WHERE user_id = ANY($1::bigint[])) AS found',
    [DEMO_SELLERS.map((s) => s.id)],
  );
  return row.found;
}

/** Fills the database; null when the demo data is already there. */
export async function seedDemo(db: Queryable, storage: FileStorage): Promise<SeedSummary | null> {
  if (await demoExists(db)) return null;
  // Objects first, outside any transaction: a failure later leaves only unreferenced objects.
  const planned: PlannedProduct[] = [];
  for (const product of PRODUCTS) {
    const id = newProductId();
    const sellerId = DEMO_SELLERS[product.seller].id;
    const fileName = `${product.title
      .normalize('NFKD')
      .replace(/[^\w]+/g, '-')
      .toLowerCase()}.txt`;
    const key = buildProductKey({ sellerId, productId: id, kind: 'file', fileName });
    const body = Buffer.from(`${product.title}\n\n${product.description}\n\n(Agora demo file)\n`);
    const put = await storage.put(key, body, { contentType: 'text/plain' });
    planned.push({ ...product, id, sellerId, key, fileName, size: put.size, sha256: put.sha256 });
  }
  return db.transaction(async (tx) => {
    // Two seeds at once: the second waits, then finds the demo and stops.
    await tx.exec("SELECT pg_advisory_xact_lock(hashtext('agora.seed_demo'))");
    if (await demoExists(tx)) return null;
    const random = randomSource(20_240_601);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

    await upsertUser(tx, { id: DEMO_ADMIN_ID, firstName: 'Admin démo', username: 'agora_admin' }, 'fr');
    for (const [i, seller] of DEMO_SELLERS.entries()) {
      await upsertUser(
        tx,
        { id: seller.id, firstName: seller.firstName, username: `demo_seller_${i + 1}` },
        'fr',
      );
      await createSellerProfile(tx, {
        userId: seller.id,
        name: validateSellerName(seller.name),
        bio: validateBio(seller.bio),
        email: validateEmail(`seller${i + 1}@demo.agora.example`),
        payoutAddress: validateSolanaAddress(PAYOUT_ADDRESS),
      });
    }
    for (const [i, id] of BUYER_IDS.entries()) {
      await upsertUser(
        tx,
        { id, firstName: `Acheteur ${i + 1}`, username: `demo_buyer_${i + 1}` },
        i % 3 ? 'fr' : 'en',
      );
    }

    const counts = { orders: 0, payouts: 0, reviews: 0, tickets: 0 };
    const orders: { id: string; buyerId: number; sellerId: number }[] = [];
    for (const [index, product] of planned.entries()) {
      const category = await getCategoryBySlug(tx, product.category);
      if (!category) throw new Error(`Unknown category ${product.category}: run the migrations first.`);
      await insertProduct(tx, {
        id: product.id,
        sellerId: product.sellerId,
        categoryId: category.id,
        title: validateTitle(product.title),
        description: validateDescription(product.description),
        priceCents: validatePrice(product.priceCents),
      });
      const file: StoredFile = await insertStoredFile(tx, {
        ownerId: product.sellerId,
        kind: 'file',
        storageKey: product.key,
        originalName: product.fileName,
        sizeBytes: product.size,
        contentType: 'text/plain',
        sha256: product.sha256,
      });
      await setProductFile(tx, product.id, 'file', file.id);
      // Listed between 2 and 45 days ago, so some cards get the "new" badge.
      const listedDaysAgo = index % 4 === 0 ? 2 + (index % 3) : 31 + index;
      const views = product.sales * 6 + Math.floor(random() * 40);
      await tx.exec(
        `UPDATE products SET created_at = now() - make_interval(days => $2), views_count = $3 WHERE id = $1`,
        [product.id, listedDaysAgo, views],
      );
      // The same views by day over the last month, so the seller's analytics has a curve to draw.
      const viewsByDay = new Map<number, number>();
      for (let n = 0; n < views; n++) {
        const daysAgo = Math.floor(random() * Math.min(listedDaysAgo, 30));
        viewsByDay.set(daysAgo, (viewsByDay.get(daysAgo) ?? 0) + 1);
      }
      await tx.exec(
        `INSERT INTO product_daily_views (product_id, day, views)
         SELECT $1, (now() AT TIME ZONE 'UTC')::date - days_ago, views
         FROM unnest($2::int[], $3::int[]) AS v(days_ago, views)`,
        [product.id, [...viewsByDay.keys()], [...viewsByDay.values()]],
      );
      if (product.status === 'draft') continue;
      await setProductStatus(tx, product.id, 'active');

      const reviewers = new Set<number>();
      for (let n = 0; n < product.sales; n++) {
        const buyerId = pick(BUYER_IDS);
        const hoursAgo = Math.floor(random() * 29 * 24) + (n === 0 ? 0 : 2);
        const orderId = await insertPaidOrder(tx, product, buyerId, hoursAgo, pick(COINS), random);
        orders.push({ id: orderId, buyerId, sellerId: product.sellerId });
        counts.orders++;
        if (product.priceCents > 0) {
          await insertPayout(tx, orderId, product, hoursAgo, random);
          counts.payouts++;
        }
        if (!reviewers.has(buyerId) && random() < 0.6) {
          reviewers.add(buyerId);
          const stars = random() < 0.7 ? 5 : random() < 0.7 ? 4 : 3;
          await tx.exec(
            `INSERT INTO reviews (product_id, buyer_id, rating, body, created_at)
             VALUES ($1, $2, $3, $4, now() - make_interval(hours => $5))`,
            [product.id, buyerId, stars, pick(REVIEW_TEXTS), Math.max(hoursAgo - 1, 0)],
          );
          await tx.exec(
            'UPDATE products SET reviews_count = reviews_count + 1, rating_sum = rating_sum + $2 WHERE id = $1',
            [product.id, stars],
          );
          counts.reviews++;
        }
      }
      if (product.status === 'inactive') await setProductStatus(tx, product.id, 'inactive');
    }
    // One checkout that was never paid, for the order history screens.
    const unpaid = planned[0];
    if (unpaid) {
      const price = priceBreakdown(unpaid.priceCents);
      await tx.exec(
        `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'expired', now() - interval '3 days')`,
        [
          newOrderId(),
          BUYER_IDS[0],
          unpaid.id,
          unpaid.sellerId,
          unpaid.title,
          price.priceCents,
          price.feeCents,
          price.totalCents,
        ],
      );
    }
    counts.tickets = await insertTickets(tx, orders);
    return {
      sellers: DEMO_SELLERS.length,
      buyers: BUYER_IDS.length,
      products: planned.length,
      ...counts,
    };
  });
}

async function insertPaidOrder(
  tx: Transaction,
  product: { id: string; sellerId: number; title: string; priceCents: number },
  buyerId: number,
  hoursAgo: number,
  coin: { code: string; usd: number },
  random: () => number,
): Promise<string> {
  const id = newOrderId();
  const price = priceBreakdown(product.priceCents);
  await tx.exec(
    `INSERT INTO orders (id, buyer_id, product_id, seller_id, product_title, price_cents, fee_cents, total_cents,
       status, paid_at, delivered_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'paid', now() - make_interval(hours => $9),
       now() - make_interval(hours => $9) + interval '1 minute', now() - make_interval(hours => $9) - interval '12 minutes')`,
    [
      id,
      buyerId,
      product.id,
      product.sellerId,
      product.title,
      price.priceCents,
      price.feeCents,
      price.totalCents,
      hoursAgo,
    ],
  );
  if (!price.free) {
    const amount = (price.totalCents / 100 / coin.usd).toFixed(coin.usd === 1 ? 2 : 8);
    const payment = await tx.one<{ id: string }>(
      `INSERT INTO payments (provider_payment_id, order_id, pay_currency, pay_address, pay_amount, actually_paid,
         price_cents, status, expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6, 'finished', now() - make_interval(hours => $7) + interval '48 minutes',
         now() - make_interval(hours => $7) - interval '12 minutes', now() - make_interval(hours => $7))
       RETURNING id::text`,
      [
        `demo-${Math.floor(random() * 1e12)}`,
        id,
        coin.code,
        `demo-address-${coin.code}`,
        amount,
        price.totalCents,
        hoursAgo,
      ],
    );
    await tx.exec('UPDATE orders SET paid_payment_id = $2 WHERE id = $1', [id, payment.id]);
  }
  await tx.exec('UPDATE products SET sales_count = sales_count + 1 WHERE id = $1', [product.id]);
  return id;
}

/** Escrow for 24 h after the sale, then available; older sales were paid out by the demo admin. */
async function insertPayout(
  tx: Transaction,
  orderId: string,
  product: { sellerId: number; priceCents: number },
  hoursAgo: number,
  random: () => number,
): Promise<void> {
  const status = hoursAgo < 24 ? 'escrow' : hoursAgo > 10 * 24 ? 'paid' : 'available';
  let txHash = '';
  for (let i = 0; i < 88; i++) txHash += BASE58_ALPHABET[Math.floor(random() * BASE58_ALPHABET.length)];
  await tx.exec(
    `INSERT INTO payouts (order_id, seller_id, amount_cents, status, escrow_until, available_at, paid_at, paid_by,
       tx_hash, paid_to_address, created_at)
     VALUES ($1, $2, $3, $4, now() - make_interval(hours => $5) + interval '24 hours',
       CASE WHEN $4 <> 'escrow' THEN now() - make_interval(hours => $5) + interval '24 hours' END,
       CASE WHEN $4 = 'paid' THEN now() - make_interval(hours => $5) + interval '3 days' END,
       CASE WHEN $4 = 'paid' THEN $6::bigint END, CASE WHEN $4 = 'paid' THEN $7 END,
       CASE WHEN $4 = 'paid' THEN $8 END, now() - make_interval(hours => $5))`,
    [orderId, product.sellerId, product.priceCents, status, hoursAgo, DEMO_ADMIN_ID, txHash, PAYOUT_ADDRESS],
  );
}

async function insertTickets(
  tx: Transaction,
  orders: { id: string; buyerId: number; sellerId: number }[],
): Promise<number> {
  const [reported, relayed] = orders;
  const tickets: {
    userId: number;
    subject: string;
    status: string;
    sellerId?: number;
    orderId?: string;
    messages: { authorId: number; role: 'user' | 'seller' | 'admin'; body: string }[];
  }[] = [
    {
      userId: BUYER_IDS[1] as number,
      subject: 'Quelles cryptos acceptez-vous ?',
      status: 'open',
      messages: [
        {
          authorId: BUYER_IDS[1] as number,
          role: 'user',
          body: 'Bonjour, puis-je payer en USDC sur Solana ?',
        },
      ],
    },
    {
      userId: BUYER_IDS[2] as number,
      subject: 'Problème de remboursement',
      status: 'resolved',
      messages: [
        {
          authorId: BUYER_IDS[2] as number,
          role: 'user',
          body: 'J’ai payé deux fois la même commande par erreur.',
        },
        {
          authorId: DEMO_ADMIN_ID,
          role: 'admin',
          body: 'Le second paiement a été remboursé, bonne journée.',
        },
      ],
    },
  ];
  if (reported) {
    tickets.push({
      userId: reported.buyerId,
      subject: 'Fichier illisible',
      status: 'pending_admin',
      orderId: reported.id,
      messages: [
        {
          authorId: reported.buyerId,
          role: 'user',
          body: 'Le fichier reçu ne s’ouvre pas sur mon téléphone.',
        },
      ],
    });
  }
  if (relayed && relayed.buyerId !== relayed.sellerId) {
    tickets.push({
      userId: relayed.buyerId,
      subject: 'Question sur le produit',
      status: 'pending_user',
      sellerId: relayed.sellerId,
      orderId: relayed.id,
      messages: [
        {
          authorId: relayed.buyerId,
          role: 'user',
          body: 'Y aura-t-il une mise à jour du guide cette année ?',
        },
        {
          authorId: relayed.sellerId,
          role: 'seller',
          body: 'Oui, une nouvelle version arrive le mois prochain.',
        },
      ],
    });
  }
  for (const ticket of tickets) {
    const row = await tx.one<{ id: string }>(
      `INSERT INTO tickets (user_id, seller_id, order_id, subject, status) VALUES ($1, $2, $3, $4, $5) RETURNING id::text`,
      [ticket.userId, ticket.sellerId ?? null, ticket.orderId ?? null, ticket.subject, ticket.status],
    );
    for (const message of ticket.messages) {
      await tx.exec(
        'INSERT INTO ticket_messages (ticket_id, author_id, author_role, body) VALUES ($1, $2, $3, $4)',
        [row.id, message.authorId, message.role, message.body],
      );
    }
  }
  return tickets.length;
}

if (import.meta.main) {
  const { config, log, database } = await openScriptDatabase();
  const storage = createStorage(config.storage, { log });
  try {
    await migrate(database.db, log);
    const summary = await seedDemo(database.db, storage);
    if (summary) log.info({ database: database.describe, ...summary }, 'Demo data added');
    else log.info({ database: database.describe }, 'Demo data already present: nothing to do');
  } finally {
    await storage.close();
    await database.close();
  }
}
