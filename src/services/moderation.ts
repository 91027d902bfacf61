// Admin moderation: suspend and restore users, ban and restore products. Each action and its
// audit record are written in one transaction. Only a `Moderator` can call these, and the only
// way to get one is `Moderator.verify`, which checks the verified Telegram id against ADMIN_IDS.
import type { Queryable } from '../db/index.ts';
import { assertAdminProductMove, TransitionError } from '../domain/index.ts';
import { recordAdminAction } from '../repositories/audit.ts';
import {
  banProduct as banProductRow,
  lockProduct,
  type Product,
  setProductStatus,
} from '../repositories/products.ts';
import {
  lockUser,
  restoreUser as restoreUserRow,
  suspendUser as suspendUserRow,
  type User,
} from '../repositories/users.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotAdminError, NotFoundError } from './errors.ts';

export class Moderator {
  readonly adminId: number;

  private constructor(adminId: number) {
    this.adminId = adminId;
  }

  /** `userId` must come from verified Telegram data; NotAdminError unless it is listed. */
  static verify(adminIds: ReadonlySet<number>, userId: number): Moderator {
    if (!adminIds.has(userId)) throw new NotAdminError();
    return new Moderator(userId);
  }
}

export const REASON_MAX_LENGTH = 500;

function validateReason(input: string): string {
  const reason = input.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (reason.length === 0 || [...reason].length > REASON_MAX_LENGTH) {
    throw new InvalidInputError(
      'reason_invalid',
      'reason',
      `A reason has 1 to ${REASON_MAX_LENGTH} characters.`,
      {
        min: 1,
        max: REASON_MAX_LENGTH,
      },
    );
  }
  return reason;
}

export interface SuspensionRequest {
  reason: string;
  /** When it ends by itself; omitted or null: until an admin restores the user. */
  until?: Date | null;
}

/** The user can neither sell nor buy until `until` (or a restore); their products leave the catalog meanwhile. */
export async function suspendUser(
  q: Queryable,
  moderator: Moderator,
  userId: number,
  request: SuspensionRequest,
  now: Date = new Date(),
): Promise<User> {
  const reason = validateReason(request.reason);
  const until = request.until ?? null;
  if (until !== null && !(until.getTime() > now.getTime())) {
    throw new InvalidInputError('suspension_end_invalid', 'until', 'A suspension ends in the future.');
  }
  if (userId === moderator.adminId)
    throw new ForbiddenError('self_suspension', 'An admin cannot suspend themselves.');
  return q.transaction(async (tx) => {
    if (!(await lockUser(tx, userId))) throw new NotFoundError('user', userId);
    const user = (await suspendUserRow(tx, userId, { reason, until, adminId: moderator.adminId })) as User;
    await recordAdminAction(tx, {
      adminId: moderator.adminId,
      action: 'user.suspend',
      target: { type: 'user', id: userId },
      details: { reason, until: until?.toISOString() ?? null },
    });
    return user;
  });
}

export async function restoreUser(q: Queryable, moderator: Moderator, userId: number): Promise<User> {
  return q.transaction(async (tx) => {
    const before = await lockUser(tx, userId);
    if (!before) throw new NotFoundError('user', userId);
    if (before.suspendedAt === null)
      throw new ConflictError('user_not_suspended', 'This user is not suspended.');
    const user = (await restoreUserRow(tx, userId)) as User;
    await recordAdminAction(tx, {
      adminId: moderator.adminId,
      action: 'user.restore',
      target: { type: 'user', id: userId },
      details: { previousReason: before.suspensionReason },
    });
    return user;
  });
}

/** Off the catalog with a reason the seller sees; the seller cannot re-activate it. */
export async function banProduct(
  q: Queryable,
  moderator: Moderator,
  productId: string,
  reason: string,
): Promise<Product> {
  const text = validateReason(reason);
  return q.transaction(async (tx) => {
    const product = await lockProduct(tx, productId);
    if (!product) throw new NotFoundError('product', productId);
    assertAdminMove(product, 'banned');
    if (product.mainFileId === null) {
      // A draft without its file was never listed and cannot be until it has one.
      throw new ConflictError(
        'product_not_listed',
        'This draft has no file: it was never listed, there is nothing to ban.',
        {
          productId,
        },
      );
    }
    const banned = (await banProductRow(tx, productId, text, moderator.adminId)) as Product;
    await recordAdminAction(tx, {
      adminId: moderator.adminId,
      action: 'product.ban',
      target: { type: 'product', id: productId },
      details: { reason: text, previousStatus: product.status },
    });
    return banned;
  });
}

/** Lifts a ban: back on sale (`active`, the default) or left for the seller to re-list (`inactive`). */
export async function restoreProduct(
  q: Queryable,
  moderator: Moderator,
  productId: string,
  to: 'active' | 'inactive' = 'active',
): Promise<Product> {
  return q.transaction(async (tx) => {
    const product = await lockProduct(tx, productId);
    if (!product) throw new NotFoundError('product', productId);
    assertAdminMove(product, to);
    const restored = (await setProductStatus(tx, productId, to)) as Product;
    await recordAdminAction(tx, {
      adminId: moderator.adminId,
      action: 'product.restore',
      target: { type: 'product', id: productId },
      details: { status: to, previousReason: product.banReason },
    });
    return restored;
  });
}

function assertAdminMove(product: Product, to: Product['status']): void {
  try {
    assertAdminProductMove(product.status, to);
  } catch (error) {
    if (!(error instanceof TransitionError)) throw error;
    throw new ConflictError(error.code, error.message, { productId: product.id, from: product.status, to });
  }
}
