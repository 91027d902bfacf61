// Exports for the accountant: users, products, orders and payout lines, each sent as a CSV
// document (cells a spreadsheet would run as formulas are escaped). Every export is audited.
import { EXPORT_KINDS, type ExportKind } from '../../../services/exports.ts';
import type { BotContext } from '../../context.ts';
import { acknowledge, answerAlert } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { replyWithCsv } from '../../ui/documents.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import { showScreen } from '../../ui/screen.ts';
import { type AdminArea, backButton } from './kit.ts';
import { ADMIN, isOneOf } from './state.ts';

export function kindLabel(ctx: BotContext, kind: ExportKind): string {
  switch (kind) {
    case 'users':
      return ctx.t('admin-export-users');
    case 'products':
      return ctx.t('admin-export-products');
    case 'orders':
      return ctx.t('admin-export-orders');
    case 'payouts':
      return ctx.t('admin-export-payouts');
  }
}

export const exportsArea: AdminArea = (admin, kit) => {
  admin.callbackQuery(actionPattern(ADMIN.exports), async (ctx) => {
    await acknowledge(ctx);
    await showScreen(ctx, {
      text: ctx.t('admin-exports'),
      keyboard: keyboard(
        [
          button(kindLabel(ctx, 'users'), callbackData(ADMIN.exportFile, 'users')),
          button(kindLabel(ctx, 'products'), callbackData(ADMIN.exportFile, 'products')),
        ],
        [
          button(kindLabel(ctx, 'orders'), callbackData(ADMIN.exportFile, 'orders')),
          button(kindLabel(ctx, 'payouts'), callbackData(ADMIN.exportFile, 'payouts')),
        ],
        [backButton(ctx)],
      ),
    });
  });

  admin.callbackQuery(actionPattern(ADMIN.exportFile, 1), async (ctx) => {
    const kind = ctx.match[1];
    if (!isOneOf(EXPORT_KINDS, kind)) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx, ctx.t('admin-export-preparing'));
    await ctx.replyWithChatAction('upload_document');
    const table = await kit.deps.services.exports.table(kit.moderator(ctx), kind);
    const date = new Date().toISOString().slice(0, 10);
    await replyWithCsv(
      ctx,
      `agora-${kind}-${date}.csv`,
      table,
      ctx.t('admin-export-caption', {
        kind: kindLabel(ctx, kind),
        rows: table.rows.length,
        truncated: table.truncated ? 'yes' : 'no',
      }),
    );
  });

  return undefined;
};
