// Admin moderation: suspend and restore users, ban and restore products. Each action and its
// audit record are written in one transaction. Only a `Moderator` can call these, and the only
// way to get one is `Moderator.verify`, which checks the verified Telegram id against ADMIN_IDS.
import type { Database } from '../db/index.ts';
import { assertAdminProductMove, TransitionError } from '../domain/index.ts';
import {
  type AdminProduct,
  type AdminUserDetail,
  getAdminProduct,
  getAdminUserDetail,
  getMarketplaceStats,
  type MarketplaceStats,
} from '../repositories/admin.ts';
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

export type { AdminProduct, AdminUserDetail, MarketplaceStats };

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

export interface ModerationDeps {
  db: Database;
  /** ADMIN_IDS: the only source of admin rights. */
  adminIds: ReadonlySet<number>;
}

export function createModerationService({ db, adminIds }: ModerationDeps) {
  return {
    /** The verified Telegram id as an admin, or NotAdminError. */
    moderator(userId: number): Moderator {
      return Moderator.verify(adminIds, userId);
    },

    isAdmin(userId: number): boolean {
      return adminIds.has(userId);
    },

    /** Who receives support tickets' messages. */
    admins(): number[] {
      return [...adminIds];
    },

    stats(_admin: Moderator): Promise<MarketplaceStats> {
      return getMarketplaceStats(db);
    },

    user(_admin: Moderator, userId: number): Promise<AdminUserDetail | null> {
      return getAdminUserDetail(db, userId);
    },

    /** A product by its id, with its seller, as an admin sees it (any status). */
    product(_admin: Moderator, productId: string): Promise<AdminProduct | null> {
      return getAdminProduct(db, productId);
    },

    /** The user can neither sell nor buy until `until` (or a restore); their products leave the catalog meanwhile. */
    async suspendUser(
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
      return db.transaction(async (tx) => {
        if (!(await lockUser(tx, userId))) throw new NotFoundError('user', userId);
        const user = (await suspendUserRow(tx, userId, {
          reason,
          until,
          adminId: moderator.adminId,
        })) as User;
        await recordAdminAction(tx, {
          adminId: moderator.adminId,
          action: 'user.suspend',
          target: { type: 'user', id: userId },
          details: { reason, until: until?.toISOString() ?? null },
        });
        return user;
      });
    },

    async restoreUser(moderator: Moderator, userId: number): Promise<User> {
      return db.transaction(async (tx) => {
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
    },

    /** Off the catalog with a reason the seller sees; the seller cannot re-activate it. */
    async banProduct(moderator: Moderator, productId: string, reason: string): Promise<Product> {
      const text = validateReason(reason);
      return db.transaction(async (tx) => {
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
    },

    /** Lifts a ban: back on sale (`active`, the default) or left for the seller to re-list (`inactive`). */
    async restoreProduct(
      moderator: Moderator,
      productId: string,
      to: 'active' | 'inactive' = 'active',
    ): Promise<Product> {
      return db.transaction(async (tx) => {
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
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;

function assertAdminMove(product: Product, to: Product['status']): void {
  try {
    assertAdminProductMove(product.status, to);
  } catch (error) {
    if (!(error instanceof TransitionError)) throw error;
    throw new ConflictError(error.code, error.message, { productId: product.id, from: product.status, to });
  }
}
