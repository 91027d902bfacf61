// Admin moderation: suspend and restore users, ban and restore products, and what admins read to
// decide (user and product lists, a user's activity, the audit log). Each action and its audit
// record are written in one transaction. Only a `Moderator` can call these, and the only way to
// get one is `Moderator.verify`, which checks the verified Telegram id against ADMIN_IDS.
import type { Database } from '../db/index.ts';
import { assertAdminProductMove, TransitionError } from '../domain/index.ts';
import {
  type AdminProduct,
  type AdminProductFilter,
  type AdminUserDetail,
  getAdminProduct,
  getAdminUserDetail,
  getMarketplaceStats,
  listAdminProducts,
  type MarketplaceStats,
} from '../repositories/admin.ts';
import {
  type AuditFilter,
  type AuditListEntry,
  listAdminActions,
  recordAdminAction,
} from '../repositories/audit.ts';
import { listBuyerOrders, listSellerSales, type Order } from '../repositories/orders.ts';
import type { Page } from '../repositories/paging.ts';
import {
  banProduct as banProductRow,
  lockProduct,
  type Product,
  setProductStatus,
} from '../repositories/products.ts';
import { listUserTickets, type Ticket } from '../repositories/tickets.ts';
import {
  listUsers,
  lockUser,
  restoreDueSuspensions,
  restoreUser as restoreUserRow,
  suspendUser as suspendUserRow,
  type User,
  type UserFilter,
  type UserListItem,
} from '../repositories/users.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotAdminError, NotFoundError } from './errors.ts';

export type {
  AdminProduct,
  AdminProductFilter,
  AdminUserDetail,
  AuditFilter,
  AuditListEntry,
  MarketplaceStats,
  Order,
  Page,
  Product,
  User,
  UserFilter,
  UserListItem,
};

/** What the admin user card lists below the profile. */
export interface UserActivity {
  orders: Order[];
  sales: Order[];
  tickets: Ticket[];
}

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

/** The reason as stored: one line, 1 to REASON_MAX_LENGTH characters; InvalidInputError otherwise. */
export function validateReason(input: string): string {
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

    /** Users by page: newest, most spent or suspended, optionally matching a search. */
    users(_admin: Moderator, filter: UserFilter = {}): Promise<Page<UserListItem>> {
      return listUsers(db, filter);
    },

    /** The user's latest orders, sales and tickets. */
    async activity(_admin: Moderator, userId: number, limit = 5): Promise<UserActivity> {
      const [orders, sales, tickets] = await Promise.all([
        listBuyerOrders(db, userId, limit),
        listSellerSales(db, userId, limit),
        listUserTickets(db, userId, { limit }),
      ]);
      return { orders, sales, tickets: tickets.items };
    },

    /** A product by its id, with its seller, as an admin sees it (any status). */
    product(_admin: Moderator, productId: string): Promise<AdminProduct | null> {
      return getAdminProduct(db, productId);
    },

    /** Products of every status by page, optionally one status or matching an id or words. */
    products(_admin: Moderator, filter: AdminProductFilter = {}): Promise<Page<AdminProduct>> {
      return listAdminProducts(db, filter);
    },

    /** Who did what to whom, newest first; optionally one target's history. */
    auditLog(_admin: Moderator, filter: AuditFilter = {}): Promise<Page<AuditListEntry>> {
      return listAdminActions(db, filter);
    },

    /**
     * Restores the users whose timed suspension has ended (a job), in batches. The end date was
     * audited with the suspension; the restore is the date arriving, not an admin's act.
     */
    async endDueSuspensions(batchSize = 200): Promise<User[]> {
      const restored: User[] = [];
      for (;;) {
        const batch = await restoreDueSuspensions(db, batchSize);
        restored.push(...batch);
        if (batch.length < batchSize) return restored;
      }
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
