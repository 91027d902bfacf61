// Accounts: users come from verified Telegram identities; a user becomes a seller by giving an
// email and a Solana payout address. The user id always comes from verified data (initData,
// the update's `from`), never from a field a client typed.
import { type Database, type Queryable, UniqueViolationError } from '../db/index.ts';
import { validateBio, validateEmail, validateSellerName, validateSolanaAddress } from '../domain/index.ts';
import { type BusinessEvents, NO_EVENTS } from '../events.ts';
import {
  createSellerProfile,
  getSellerProfile,
  type SellerProfile,
  type SellerProfilePatch,
  updateSellerProfile,
} from '../repositories/sellers.ts';
import {
  getUser,
  type Language,
  lockUser,
  setUserLanguage,
  type User,
  upsertUser,
} from '../repositories/users.ts';
import {
  AlreadySellerError,
  EmailTakenError,
  InvalidInputError,
  NotFoundError,
  NotSellerError,
  SuspendedError,
} from './errors.ts';

/** What Telegram tells us about the sender (`from` of an update, or verified initData). */
export interface VerifiedTelegramUser {
  id: number;
  username?: string | null;
  first_name?: string;
  last_name?: string | null;
  language_code?: string | null;
}

/** French is the default; a Telegram client set to any other language gets English. */
export function languageFromTelegram(code: string | null | undefined): Language {
  if (!code || code.toLowerCase().startsWith('fr')) return 'fr';
  return 'en';
}

export type { Language, SellerProfile, User };

export interface SellerRegistration {
  email: string;
  payoutAddress: string;
  /** Shop name; defaults to the Telegram first name, then the username. */
  name?: string;
}

export interface SellerSettingsResult {
  profile: SellerProfile;
  /** The caller confirms and notifies a payout address change (SPEC: Sellers, Settings). */
  payoutAddressChanged: boolean;
}

export function createAccountService({ db, events = NO_EVENTS }: { db: Database; events?: BusinessEvents }) {
  return {
    /**
     * Creates the user on first contact and keeps username and names current. A new user's
     * language is `language` (what the bot speaks to them), else their Telegram client's.
     */
    async registerUser(from: VerifiedTelegramUser, language?: Language): Promise<User> {
      if (!Number.isSafeInteger(from.id) || from.id <= 0) {
        throw new InvalidInputError('user_id_invalid', 'id', 'A Telegram user id is a positive integer.');
      }
      const { created, ...user } = await upsertUser(
        db,
        {
          id: from.id,
          username: from.username || null,
          firstName: (from.first_name ?? '').slice(0, 255),
          lastName: (from.last_name ?? '').slice(0, 255),
        },
        language ?? languageFromTelegram(from.language_code),
      );
      if (created) events.userJoined();
      return user;
    },

    /** Records the user's chosen language, where messages sent outside a conversation find it. */
    async setLanguage(userId: number, language: Language): Promise<void> {
      await setUserLanguage(db, userId, language);
    },

    /** The language to write to this user in: the one they saved, French by default. */
    async languageOf(userId: number): Promise<Language> {
      return (await getUser(db, userId))?.language ?? 'fr';
    },

    user(userId: number): Promise<User | null> {
      return getUser(db, userId);
    },

    /** The user's seller profile, or null when they are not a seller. */
    sellerProfile(userId: number): Promise<SellerProfile | null> {
      return getSellerProfile(db, userId);
    },

    /** A user allowed to sell now: registered, a seller, not suspended. SuspendedError, NotSellerError. */
    requireActiveSeller(userId: number): Promise<SellerProfile> {
      return requireActiveSeller(db, userId);
    },

    /**
     * Email first, then the Solana address (the wizard's order, so the first mistake is reported).
     * ValidationError for bad input, SuspendedError, AlreadySellerError, EmailTakenError.
     */
    async registerSeller(userId: number, registration: SellerRegistration): Promise<SellerProfile> {
      const email = validateEmail(registration.email);
      const payoutAddress = validateSolanaAddress(registration.payoutAddress);
      return db.transaction(async (tx) => {
        const user = assertActive(await lockUser(tx, userId), userId);
        if (await getSellerProfile(tx, userId)) throw new AlreadySellerError();
        const name = validateSellerName(
          registration.name ?? (user.firstName.trim() || user.username || `Seller ${userId}`).slice(0, 50),
        );
        return withEmailCheck(() => createSellerProfile(tx, { userId, name, email, payoutAddress }));
      });
    },

    /** Name (≤ 50), bio (≤ 500), email, payout address: each validated, only the given ones changed. */
    async updateSellerSettings(userId: number, settings: SellerProfilePatch): Promise<SellerSettingsResult> {
      const patch: SellerProfilePatch = {};
      if (settings.name !== undefined) patch.name = validateSellerName(settings.name);
      if (settings.bio !== undefined) patch.bio = validateBio(settings.bio);
      if (settings.email !== undefined) patch.email = validateEmail(settings.email);
      if (settings.payoutAddress !== undefined)
        patch.payoutAddress = validateSolanaAddress(settings.payoutAddress);
      return db.transaction(async (tx) => {
        const before = await requireActiveSeller(tx, userId);
        const profile = await withEmailCheck(() => updateSellerProfile(tx, userId, patch));
        if (!profile) throw new NotSellerError();
        return { profile, payoutAddressChanged: profile.payoutAddress !== before.payoutAddress };
      });
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;

/** Throws unless the user exists and is not suspended now. */
export function assertActive(user: User | null, userId: number): User {
  if (!user) throw new NotFoundError('user', userId);
  if (user.suspended) throw new SuspendedError(user.suspendedUntil);
  return user;
}

/** A user allowed to sell now, checked inside the caller's transaction (other services). */
export async function requireActiveSeller(q: Queryable, userId: number): Promise<SellerProfile> {
  assertActive(await getUser(q, userId), userId);
  const seller = await getSellerProfile(q, userId);
  if (!seller) throw new NotSellerError();
  return seller;
}

async function withEmailCheck<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueViolationError && error.constraint === 'seller_profiles_email_key') {
      throw new EmailTakenError();
    }
    if (error instanceof UniqueViolationError && error.constraint === 'seller_profiles_pkey') {
      throw new AlreadySellerError();
    }
    throw error;
  }
}
