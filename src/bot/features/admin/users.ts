// Users in the console: lists by page (newest, top buyers, suspended), a search by id, @username,
// name or email (any case or accent), a user's card, suspension with a reason and an optional end
// (a duration button or a typed date; the end comes by itself through a job), and restore. The
// user is told, in their language, with the reason.
import { InvalidInputError, NotFoundError } from '../../../errors.ts';
import { validateReason } from '../../../services/moderation.ts';
import type { BotContext } from '../../context.ts';
import { ask, clearPrompt, pendingPrompt } from '../../prompts.ts';
import { acknowledge, answerAlert } from '../../refusals.ts';
import { actionPattern } from '../../ui/callback-data.ts';
import { showScreen } from '../../ui/screen.ts';
import { clipped } from '../../ui/text.ts';
import { type AdminArea, cancelKeyboard, clampPage, personName } from './kit.ts';
import { tellRestored, tellSuspended } from './notices.ts';
import {
  ADMIN,
  type AdminPrompt,
  isOneOf,
  numberArg,
  USER_ORDER_CODES,
  type UserOrderCode,
} from './state.ts';
import { suspendUntilScreen, USERS_PAGE_SIZE, userScreen, usersScreen } from './user-screens.ts';

const ORDER_CODES = Object.keys(USER_ORDER_CODES) as UserOrderCode[];
const MAX_SEARCH = 100;
const DAY_MS = 86_400_000;

const DURATION = /^(\d{1,4})\s*([hdj])$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$/;

/**
 * When a typed suspension ends: a duration ("12h", "3d", "3j") from now, or a UTC date with an
 * optional time ("2026-12-31", "2026-12-31 18:00"). InvalidInputError for anything else; a date
 * in the past is the service's to refuse.
 */
export function parseSuspensionEnd(text: string, now: Date): Date {
  const input = text.trim();
  const duration = DURATION.exec(input);
  if (duration) {
    const hours = Number(duration[1]) * ((duration[2] ?? '').toLowerCase() === 'h' ? 1 : 24);
    return new Date(now.getTime() + hours * 3_600_000);
  }
  const date = DATE.exec(input);
  if (date) {
    const [year, month, dayOfMonth, hour, minute] = date.slice(1).map((part) => Number(part ?? 0));
    const at = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, dayOfMonth ?? 0, hour ?? 0, minute ?? 0));
    // Date.UTC rolls 2026-02-31 over to March: such a date was mistyped.
    if (at.getUTCMonth() === (month ?? 1) - 1 && at.getUTCDate() === dayOfMonth && (hour ?? 0) < 24) {
      return at;
    }
  }
  throw new InvalidInputError(
    'suspension_end_unreadable',
    'until',
    'Type a duration such as 12h or 3d, or a date such as 2026-12-31 18:00 (UTC).',
  );
}

export const usersArea: AdminArea = (admin, kit) => {
  const { moderation } = kit.deps.services;

  async function showList(ctx: BotContext, order: UserOrderCode, requested: number): Promise<void> {
    const moderator = kit.moderator(ctx);
    const query = (page: number) =>
      moderation.users(moderator, {
        order: USER_ORDER_CODES[order],
        limit: USERS_PAGE_SIZE,
        offset: page * USERS_PAGE_SIZE,
      });
    let list = await query(requested);
    const page = clampPage(requested, list.total, USERS_PAGE_SIZE);
    if (page !== requested) list = await query(page);
    await showScreen(ctx, usersScreen(ctx, { order }, list, page));
  }

  async function showResults(ctx: BotContext, requested: number): Promise<void> {
    const search = ctx.session.admin?.userSearch;
    if (!search) return showList(ctx, 'n', 0);
    const moderator = kit.moderator(ctx);
    const query = (page: number) =>
      moderation.users(moderator, { search, limit: USERS_PAGE_SIZE, offset: page * USERS_PAGE_SIZE });
    let list = await query(requested);
    const page = clampPage(requested, list.total, USERS_PAGE_SIZE);
    if (page !== requested) list = await query(page);
    await showScreen(ctx, usersScreen(ctx, { search }, list, page));
  }

  async function showUser(ctx: BotContext, userId: number, notice?: string): Promise<void> {
    const moderator = kit.moderator(ctx);
    const [user, activity] = await Promise.all([
      moderation.user(moderator, userId),
      moderation.activity(moderator, userId),
    ]);
    if (!user) return kit.refuse(ctx, notFound(userId));
    await acknowledge(ctx);
    const screen = userScreen(ctx, user, activity);
    await showScreen(ctx, notice ? { ...screen, text: `${notice}\n\n${String(screen.text)}` } : screen);
  }

  admin.callbackQuery(actionPattern(ADMIN.users, 2), async (ctx) => {
    const page = numberArg(ctx.match[2]);
    if (!isOneOf(ORDER_CODES, ctx.match[1]) || page === null) {
      return answerAlert(ctx, ctx.t('button-expired'));
    }
    await acknowledge(ctx);
    await showList(ctx, ctx.match[1], page);
  });

  admin.callbackQuery(actionPattern(ADMIN.userSearch), async (ctx) => {
    await acknowledge(ctx);
    ask(ctx, 'admin', { on: 'user-search' });
    await showScreen(ctx, { text: ctx.t('admin-user-search-prompt'), keyboard: cancelKeyboard(ctx) });
  });

  admin.callbackQuery(actionPattern(ADMIN.userResults, 1), async (ctx) => {
    const page = numberArg(ctx.match[1]);
    if (page === null) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    await showResults(ctx, page);
  });

  admin.callbackQuery(actionPattern(ADMIN.user, 1), async (ctx) => {
    const userId = numberArg(ctx.match[1]);
    if (userId === null) return answerAlert(ctx, ctx.t('button-expired'));
    await showUser(ctx, userId);
  });

  admin.callbackQuery(actionPattern(ADMIN.suspend, 1), async (ctx) => {
    const userId = numberArg(ctx.match[1]);
    if (userId === null) return answerAlert(ctx, ctx.t('button-expired'));
    const user = await moderation.user(kit.moderator(ctx), userId);
    if (!user) return kit.refuse(ctx, notFound(userId));
    await acknowledge(ctx);
    ask(ctx, 'admin', { on: 'suspend', userId });
    await showScreen(ctx, {
      text: ctx.t('admin-suspend-prompt', { name: personName(user, user.id), id: String(user.id) }),
      keyboard: cancelKeyboard(ctx),
    });
  });

  admin.callbackQuery(actionPattern(ADMIN.suspendFor, 2), async (ctx) => {
    const userId = numberArg(ctx.match[1]);
    const days = numberArg(ctx.match[2]);
    const prompt = pendingPrompt(ctx, 'admin');
    if (userId === null || days === null || prompt?.on !== 'suspend-until' || prompt.userId !== userId) {
      return answerAlert(ctx, ctx.t('button-expired'));
    }
    const until = days === 0 ? null : new Date(Date.now() + days * DAY_MS);
    await suspend(ctx, prompt, until);
  });

  admin.callbackQuery(actionPattern(ADMIN.restoreUser, 1), async (ctx) => {
    const userId = numberArg(ctx.match[1]);
    if (userId === null) return answerAlert(ctx, ctx.t('button-expired'));
    try {
      await moderation.restoreUser(kit.moderator(ctx), userId);
    } catch (error) {
      return kit.refuse(ctx, error);
    }
    const told = await tellRestored(kit.deps, userId);
    await showUser(
      ctx,
      userId,
      ctx.t('admin-user-restored', { id: String(userId), told: told ? 'yes' : 'no' }),
    );
  });

  async function suspend(
    ctx: BotContext,
    prompt: Extract<AdminPrompt, { on: 'suspend-until' }>,
    until: Date | null,
  ): Promise<void> {
    try {
      await moderation.suspendUser(kit.moderator(ctx), prompt.userId, { reason: prompt.reason, until });
    } catch (error) {
      // A date in the past keeps the question open; anything else ends it.
      if (!(error instanceof InvalidInputError)) clearPrompt(ctx, 'admin');
      return kit.refuse(ctx, error);
    }
    clearPrompt(ctx, 'admin');
    const told = await tellSuspended(kit.deps, prompt.userId, { reason: prompt.reason, until });
    await showUser(
      ctx,
      prompt.userId,
      ctx.t('admin-user-suspended-done', { id: String(prompt.userId), told: told ? 'yes' : 'no' }),
    );
  }

  // Typed answers of this area; false when the prompt is another area's.
  return async (ctx, prompt, text) => {
    switch (prompt.on) {
      case 'user-search': {
        const search = clipped(text.trim(), MAX_SEARCH);
        clearPrompt(ctx, 'admin');
        ctx.session.admin = { ...ctx.session.admin, userSearch: search };
        await showResults(ctx, 0);
        return true;
      }
      case 'suspend': {
        const reason = validateReason(text);
        const user = await moderation.user(kit.moderator(ctx), prompt.userId);
        if (!user) {
          clearPrompt(ctx, 'admin');
          await kit.refuse(ctx, notFound(prompt.userId));
          return true;
        }
        ask(ctx, 'admin', { on: 'suspend-until', userId: prompt.userId, reason });
        await showScreen(ctx, suspendUntilScreen(ctx, user, reason));
        return true;
      }
      case 'suspend-until':
        await suspend(ctx, prompt, parseSuspensionEnd(text, new Date()));
        return true;
      default:
        return false;
    }
  };
};

function notFound(userId: number) {
  return new NotFoundError('user', userId);
}
