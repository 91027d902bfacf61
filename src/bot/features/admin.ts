// /admin and its buttons, all behind the ADMIN_IDS guard. The admin screens (users, products,
// payouts, tickets, statistics) add their rows and handlers here.
import type { Composer } from 'grammy';
import { type AdminCheck, adminComposer } from '../admin.ts';
import type { BotContext } from '../context.ts';
import { callbackData } from '../ui/callback-data.ts';
import { button, keyboard } from '../ui/keyboard.ts';
import { type Screen, showScreen } from '../ui/screen.ts';
import { homeButton } from './menu.ts';

export const ADMIN_ACTIONS = {
  menu: callbackData('adm'),
} as const;

function adminMenu(ctx: BotContext): Screen {
  return {
    text: ctx.t('admin-menu', { id: ctx.from?.id ?? 0 }),
    keyboard: keyboard([button(ctx.t('button-refresh'), ADMIN_ACTIONS.menu)], [homeButton(ctx)]),
  };
}

export function adminFeature(isAdmin: AdminCheck): Composer<BotContext> {
  const { composer, admin } = adminComposer(isAdmin);

  admin.command('admin', (ctx) => showScreen(ctx, adminMenu(ctx)));

  admin.callbackQuery(ADMIN_ACTIONS.menu, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showScreen(ctx, adminMenu(ctx));
  });

  return composer;
}
