import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { type Database, migrate } from '../../src/db/index.ts';
import {
  type NowPaymentsSimulator,
  type SimCoin,
  startNowPaymentsSimulator,
} from '../../src/dev/nowpayments-simulator/index.ts';
import { newProductId } from '../../src/domain/index.ts';
import { type IpnOutcome, ipnRoutes } from '../../src/http/ipn.ts';
import { createNowPaymentsClient, type NowPaymentsClient } from '../../src/integrations/nowpayments/index.ts';
import { type JobQueue, type JobServices, type JobSettings, startJobQueue } from '../../src/jobs/index.ts';
import type { Logger } from '../../src/log.ts';
import { type CheckoutService, createCheckoutService } from '../../src/services/checkout.ts';
import { type CompletionService, createCompletionService } from '../../src/services/completion.ts';
import { createDownloadService, type DownloadService } from '../../src/services/downloads.ts';
import { createModerationService, type ModerationService } from '../../src/services/moderation.ts';
import { createOrderService, type OrderService } from '../../src/services/orders.ts';
import { createPayoutService, type PayoutNotifier, type PayoutService } from '../../src/services/payouts.ts';
import type { FileStorage } from '../../src/storage/index.ts';
import { localStorage } from '../aftersale/fixtures.ts';
import { beforePoolsClose, freshDatabase, testDatabase } from '../support/database.ts';
import { testServices } from '../support/services.ts';

export const API_KEY = 'commerce-sim-api-key';
export const IPN_SECRET = 'commerce-sim-ipn-secret';
export const PAYOUT_ADDRESS = 'So11111111111111111111111111111111111111112';
export const COINS = ['btc', 'eth', 'sol', 'usdtsol', 'usdcsol'] as const;

export const silentLog: Logger = pino({ level: 'silent' });

/** A migrated database of its own. Call at the top level of a test file. */
export async function commerceDatabase(max = 10): Promise<Database> {
  const db = testDatabase(await freshDatabase(), { min: 0, max });
  await migrate(db);
  return db;
}

export async function addUser(db: Database, id: number): Promise<void> {
  await db.exec(`INSERT INTO users (id, first_name) VALUES ($1, $2)`, [id, `User ${id}`]);
}

export async function suspendUser(db: Database, id: number): Promise<void> {
  await db.exec(`UPDATE users SET suspended_at = now(), suspension_reason = 'fraud' WHERE id = $1`, [id]);
}

export async function addSeller(db: Database, id: number): Promise<void> {
  await addUser(db, id);
  await db.exec(
    `INSERT INTO seller_profiles (user_id, name, email, payout_address) VALUES ($1, $2, $3, $4)`,
    [id, `Shop ${id}`, `seller${id}@example.com`, PAYOUT_ADDRESS],
  );
}

let fileSeq = 0;

/** An active product (with its file) of `sellerId` at `priceCents`. */
export async function addProduct(
  db: Database,
  sellerId: number,
  priceCents: number,
  status: 'active' | 'inactive' | 'draft' = 'active',
): Promise<string> {
  const id = newProductId();
  const file = await db.one<{ id: string }>(
    `INSERT INTO stored_files (owner_id, kind, storage_key, original_name, size_bytes, content_type)
     VALUES ($1, 'file', $2, 'guide.pdf', 1000, 'application/pdf') RETURNING id::text`,
    [sellerId, `products/${sellerId}/${id}/file/f${++fileSeq}-guide.pdf`],
  );
  const category = await db.one<{ id: number }>('SELECT id FROM categories ORDER BY position, id LIMIT 1');
  await db.exec(
    `INSERT INTO products (id, seller_id, category_id, title, price_cents, status, main_file_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, sellerId, category.id, `Guide ${id}`, priceCents, status, file.id],
  );
  return id;
}

export async function salesCount(db: Database, productId: string): Promise<number> {
  return (await db.one<{ n: number }>('SELECT sales_count AS n FROM products WHERE id = $1', [productId])).n;
}

export async function countRows(db: Database, sql: string, values: unknown[] = []): Promise<number> {
  return (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) AS t`, values)).n;
}

/** Delivery jobs queued for an order (pg-boss rows, any state). */
export function deliveryJobs(db: Database, orderId: string): Promise<number> {
  return countRows(db, `SELECT 1 FROM pgboss.job WHERE name = 'deliver_order' AND data->>'orderId' = $1`, [
    orderId,
  ]);
}

export interface Harness {
  db: Database;
  sim: NowPaymentsSimulator;
  client: NowPaymentsClient;
  app: FastifyInstance;
  jobs: JobQueue;
  /** A local folder removed when the file ends. */
  storage: FileStorage;
  checkout: CheckoutService;
  completion: CompletionService;
  orders: OrderService;
  payouts: PayoutService;
  downloads: DownloadService;
  moderation: ModerationService;
  /** Order ids the recording channel delivered, in order. */
  delivered: string[];
  /** When each delivery reached the channel (performance.now()), by order id. */
  deliveredAt: Map<string, number>;
  /** Makes the next `n` deliveries throw (a Telegram outage). */
  failNextDeliveries(n: number): void;
  /** Order ids whose sale notice the recording channel sent, in order. */
  saleNotices: string[];
  /** Makes the next `n` sale notices throw. */
  failNextSaleNotices(n: number): void;
  /** Users the recording channel cannot reach (they blocked the bot): add and remove freely. */
  blockedUsers: Set<number>;
  notices: Parameters<PayoutNotifier>[0][];
  /** Users told that their suspension ended, in order. */
  suspensionNotices: number[];
  /** How each notification the route received ended, in order. */
  ipnOutcomes: IpnOutcome[];
}

/** Everything wired; closed when the test file ends. */
export async function startHarness(
  db: Database,
  options: {
    jobs?: Partial<JobSettings>;
    escrowSeconds?: number;
    simCoins?: Record<string, SimCoin>;
    /** What the backup and purge jobs run. */
    maintenance?: Pick<JobServices, 'backups' | 'purge'>;
  } = {},
): Promise<Harness> {
  const sim = await startNowPaymentsSimulator({
    apiKey: API_KEY,
    ipnSecret: IPN_SECRET,
    coins: options.simCoins,
    // These tests are about what IPNs do, not how fast: a loaded machine answering 50 copies
    // after the provider's 3 s would fail them for nothing (bench:http measures the latency).
    ipnTimeoutMs: 20_000,
  });
  const client = createNowPaymentsClient({ baseUrl: sim.baseUrl, apiKey: API_KEY, retries: 0 });
  const delivered: string[] = [];
  const deliveredAt = new Map<string, number>();
  const notices: Harness['notices'] = [];
  const suspensionNotices: number[] = [];
  let failures = 0;
  let saleNoticeFailures = 0;
  const saleNotices: string[] = [];
  const blockedUsers = new Set<number>();
  const jobs = await startJobQueue({
    db,
    log: silentLog,
    settings: {
      schedule: false,
      pollingIntervalSeconds: 0.5,
      deliveryRetryDelaySeconds: 1,
      deliveryRetryBackoff: false,
      ...options.jobs,
    },
  });
  const completion = createCompletionService({
    db,
    nowPayments: client,
    enqueueDelivery: jobs.enqueueDelivery,
    log: silentLog,
    escrowSeconds: options.escrowSeconds,
  });
  const app = Fastify();
  const ipnOutcomes: IpnOutcome[] = [];
  await app.register(ipnRoutes, {
    completion,
    ipnSecret: IPN_SECRET,
    log: silentLog,
    onOutcome: (result) => ipnOutcomes.push(result),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const checkout = createCheckoutService({
    db,
    nowPayments: client,
    enqueueDelivery: jobs.enqueueDelivery,
    log: silentLog,
    ipnCallbackUrl: `http://127.0.0.1:${address.port}/ipn/nowpayments`,
    payCurrencies: COINS,
    escrowSeconds: options.escrowSeconds,
  });
  const storage = await localStorage();
  const orders = createOrderService({ db, log: silentLog, enqueueDelivery: jobs.enqueueDelivery });
  const payouts = createPayoutService({ db, log: silentLog });
  const downloads = createDownloadService({ db, storage });
  const moderation = createModerationService({ db, adminIds: new Set() });
  beforePoolsClose(async () => {
    await app.close();
    await jobs.stop({ timeoutMs: 1_000 });
    await sim.close();
  });
  await jobs.startWorkers({
    services: {
      orders,
      payouts,
      downloads,
      moderation,
      uploads: (await testServices(db, { storage })).uploads,
      ...options.maintenance,
    },
    channel: {
      deliverOrder: async (order) => {
        if (blockedUsers.has(order.buyerId)) return 'unreachable';
        if (failures > 0) {
          failures--;
          throw new Error('Telegram is down');
        }
        delivered.push(order.id);
        deliveredAt.set(order.id, performance.now());
        return 'sent';
      },
      notifySale: async (order) => {
        if (blockedUsers.has(order.sellerId)) return 'unreachable';
        if (saleNoticeFailures > 0) {
          saleNoticeFailures--;
          throw new Error('Telegram is down');
        }
        saleNotices.push(order.id);
        return 'sent';
      },
      payoutsAvailable: async (notice) => {
        notices.push(notice);
      },
      suspensionEnded: async (userId) => {
        suspensionNotices.push(userId);
      },
    },
  });
  return {
    ipnOutcomes,
    db,
    sim,
    client,
    app,
    jobs,
    storage,
    checkout,
    completion,
    orders,
    payouts,
    downloads,
    moderation,
    delivered,
    deliveredAt,
    saleNotices,
    blockedUsers,
    failNextSaleNotices: (n) => {
      saleNoticeFailures = n;
    },
    notices,
    suspensionNotices,
    failNextDeliveries: (n) => {
      failures = n;
    },
  };
}

/** Polls `check` until it holds (jobs run asynchronously), failing after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
