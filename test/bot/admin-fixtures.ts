// Facts and readers shared by the admin console's bot tests: admins (one English, one French),
// sellers owed money, and helpers reading what the bot sent.
import assert from 'node:assert/strict';
import type { Database } from '../../src/db/index.ts';
import type { Services } from '../../src/services/index.ts';
import { testServices } from '../support/services.ts';
import { addPaidOrder, addProduct, addSeller, addUser, COINS } from './browse-fixtures.ts';
import { type ApiCall, BotHarness, telegramUser } from './harness.ts';

export const ADMIN = telegramUser(5001, { language_code: 'en', first_name: 'Ada', username: 'ada_admin' });
export const SECOND_ADMIN = telegramUser(5003, { language_code: 'fr', first_name: 'Basile' });
export const ADMIN_IDS = new Set([ADMIN.id, SECOND_ADMIN.id]);

// A Solana transaction signature: 88 base58 characters.
export const TX_HASH = `5${'K'.repeat(43)}${'x'.repeat(44)}`;

/** The admins as users who opened the bot before: the first chose English. */
export async function addAdmins(db: Database): Promise<void> {
  await addUser(db, ADMIN.id, ADMIN.first_name);
  await addUser(db, SECOND_ADMIN.id, SECOND_ADMIN.first_name);
  await db.exec(`UPDATE users SET language = 'en' WHERE id = $1`, [ADMIN.id]);
}

/** Every real service with ADMIN_IDS set; several bots (instances) may share them. */
export function adminServices(db: Database): Promise<Services> {
  return testServices(db, { settings: { adminIds: ADMIN_IDS, payCurrencies: COINS } });
}

export function adminHarness(services: Services): BotHarness {
  return new BotHarness({ services, settings: { payCurrencies: COINS } });
}

/** The screen a call list ended on (the last message sent or edited). */
export function shown(calls: ApiCall[]): ApiCall {
  const call = calls.findLast((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
  assert.ok(call, 'a screen was shown');
  return call;
}

export function sentTo(calls: ApiCall[], chatId: number): ApiCall[] {
  return calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === chatId);
}

export function alertOf(calls: ApiCall[]): string | undefined {
  return calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text as string | undefined;
}

/** The admin actions recorded on a target, oldest first. */
export async function auditActions(db: Database, targetId: string | number): Promise<string[]> {
  const rows = await db.many<{ action: string }>(
    'SELECT action FROM admin_audit_log WHERE target_id = $1 ORDER BY id',
    [String(targetId)],
  );
  return rows.map((r) => r.action);
}

/**
 * A seller (saved language `language`) with `count` paid sales of a product whose payout lines
 * left escrow: owed now. Returns the payout line ids.
 */
export async function sellerOwed(
  db: Database,
  sellerId: number,
  options: { language?: 'fr' | 'en'; count?: number; priceCents?: number; buyerId?: number } = {},
): Promise<number[]> {
  const buyerId = options.buyerId ?? 5002;
  await addUser(db, buyerId);
  await addSeller(db, sellerId, `Shop <${sellerId}>`);
  await db.exec('UPDATE users SET language = $2 WHERE id = $1', [sellerId, options.language ?? 'fr']);
  const product = await addProduct(db, { sellerId, priceCents: options.priceCents ?? 1000 });
  return addOwedLines(db, sellerId, product, buyerId, options.count ?? 2);
}

/** `count` more paid orders of the product, each with its payout line owed now. */
export async function addOwedLines(
  db: Database,
  sellerId: number,
  productId: string,
  buyerId: number,
  count = 1,
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const orderId = await addPaidOrder(db, buyerId, productId);
    const row = await db.one<{ id: number }>(
      `INSERT INTO payouts (order_id, seller_id, amount_cents, status, escrow_until, available_at)
       SELECT o.id, $2, o.price_cents, 'available', now() - interval '1 day', now() FROM orders o WHERE o.id = $1
       RETURNING id::float8 AS id`,
      [orderId, sellerId],
    );
    ids.push(row.id);
  }
  return ids;
}
