// The audit log: who did what to whom and when, newest first, by page; or one user's, product's or
// ticket's history from its card. Every admin action writes its record in the action's own
// transaction (the services do), so what is listed here happened.
import type { TicketStatus } from '../../../domain/index.ts';
import { EXPORT_KINDS } from '../../../services/exports.ts';
import type { AuditListEntry } from '../../../services/moderation.ts';
import type { BotContext } from '../../context.ts';
import { acknowledge, answerAlert } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { Html, html } from '../../ui/html.ts';
import { button, keyboard, pager } from '../../ui/keyboard.ts';
import { type Screen, showScreen } from '../../ui/screen.ts';
import { kindLabel } from './exports.ts';
import { adminStatusLabel } from './inbox.ts';
import { type AdminArea, backButton, clampPage, clip, moment, money } from './kit.ts';
import { statusLabel } from './products.ts';
import { ADMIN, isOneOf, numberArg } from './state.ts';

const PAGE_SIZE = 6;
/** Targets whose history a card links to, and the card to go back to. */
const TARGETS = ['user', 'product', 'ticket'] as const;
type Target = (typeof TARGETS)[number];
const PRODUCT_ID = /^P-[A-Z0-9]{10}$/;

function detail(entry: AuditListEntry, name: string): string {
  const value = entry.details[name];
  return typeof value === 'string' ? clip(value, 120) : '';
}

function targetLabel(entry: AuditListEntry): Html {
  if (entry.targetType === null || entry.targetId === null) return html``;
  const name = entry.targetName ? clip(entry.targetName, 40) : '';
  return html`${name ? html`<b>${name}</b> ` : ''}(<code>${entry.targetId}</code>)`;
}

function actionText(ctx: BotContext, entry: AuditListEntry): string {
  const target = targetLabel(entry);
  switch (entry.action) {
    case 'user.suspend': {
      const until = detail(entry, 'until');
      return ctx.t('admin-audit-user-suspend', {
        target,
        reason: detail(entry, 'reason'),
        until: until ? moment(ctx, new Date(until)) : '',
        timed: until ? 'yes' : 'no',
      });
    }
    case 'user.restore':
      return ctx.t('admin-audit-user-restore', { target });
    case 'product.ban':
      return ctx.t('admin-audit-product-ban', { target, reason: detail(entry, 'reason') });
    case 'product.restore': {
      const to = detail(entry, 'status');
      return ctx.t('admin-audit-product-restore', {
        target,
        status: to === 'active' || to === 'inactive' ? statusLabel(ctx, to) : to,
      });
    }
    case 'payout.mark_paid':
    case 'payout.mark_all_paid': {
      const cents = entry.details.amountCents;
      const ids = entry.details.payoutIds;
      return ctx.t('admin-audit-payout-paid', {
        target,
        amount: typeof cents === 'number' ? money(ctx, cents) : detail(entry, 'amount'),
        count: Array.isArray(ids) ? ids.length : 1,
        tx: clip(detail(entry, 'txHash'), 12),
      });
    }
    case 'ticket.reply':
      return ctx.t('admin-audit-ticket-reply', { target });
    case 'ticket.status': {
      const to = detail(entry, 'to') as TicketStatus;
      return ctx.t('admin-audit-ticket-status', { target, status: adminStatusLabel(ctx, to) });
    }
  }
  const kind = entry.action.slice('export.'.length);
  if (entry.action.startsWith('export.') && isOneOf(EXPORT_KINDS, kind)) {
    const rows = entry.details.rows;
    return ctx.t('admin-audit-export', {
      kind: kindLabel(ctx, kind),
      rows: typeof rows === 'number' ? rows : 0,
    });
  }
  return ctx.t('admin-audit-other', { action: entry.action, target });
}

function entryText(ctx: BotContext, entry: AuditListEntry): string {
  return ctx.t('admin-audit-entry', {
    date: moment(ctx, entry.createdAt),
    admin: entry.adminName ? clip(entry.adminName, 30) : '',
    adminId: String(entry.adminId),
    what: Html.raw(actionText(ctx, entry)),
  });
}

function auditScreen(
  ctx: BotContext,
  target: { type: Target; id: string } | null,
  entries: AuditListEntry[],
  total: number,
  page: number,
): Screen {
  const title = target
    ? ctx.t('admin-audit-history', { type: target.type, id: target.id, count: total })
    : ctx.t('admin-audit', { count: total });
  const body =
    entries.length > 0 ? entries.map((e) => entryText(ctx, e)).join('\n\n') : ctx.t('admin-audit-empty');
  const pages = Math.ceil(total / PAGE_SIZE);
  return {
    text: `${title}\n\n${body}`,
    keyboard: keyboard(
      target ? pager(ADMIN.auditOf, page, pages, target.type, target.id) : pager(ADMIN.audit, page, pages),
      [target ? backToTarget(ctx, target) : backButton(ctx)],
    ),
  };
}

function backToTarget(ctx: BotContext, target: { type: Target; id: string }) {
  const label = ctx.t('admin-button-back-to-card');
  if (target.type === 'product') return button(label, callbackData(ADMIN.product, target.id));
  if (target.type === 'ticket') return button(label, callbackData(ADMIN.ticket, target.id));
  return button(label, callbackData(ADMIN.user, target.id));
}

export const auditArea: AdminArea = (admin, kit) => {
  const { moderation } = kit.deps.services;

  async function show(ctx: BotContext, target: { type: Target; id: string } | null, requested: number) {
    const moderator = kit.moderator(ctx);
    const query = (page: number) =>
      moderation.auditLog(moderator, {
        ...(target ? { target } : {}),
        limit: PAGE_SIZE,
        offset: page * PAGE_SIZE,
      });
    let list = await query(requested);
    const page = clampPage(requested, list.total, PAGE_SIZE);
    if (page !== requested) list = await query(page);
    await showScreen(ctx, auditScreen(ctx, target, list.items, list.total, page));
  }

  admin.callbackQuery(actionPattern(ADMIN.audit, 1), async (ctx) => {
    const page = numberArg(ctx.match[1]);
    if (page === null) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    await show(ctx, null, page);
  });

  admin.callbackQuery(actionPattern(ADMIN.auditOf, 3), async (ctx) => {
    const [, type, id, pageArg] = ctx.match;
    const page = numberArg(pageArg);
    const valid =
      isOneOf(TARGETS, type) &&
      id !== undefined &&
      (type === 'product' ? PRODUCT_ID.test(id) : numberArg(id) !== null);
    if (!valid || page === null) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    await show(ctx, { type, id }, page);
  });

  return undefined;
};
