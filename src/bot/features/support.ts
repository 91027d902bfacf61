// Support: the FAQ carousel (one entry per screen, previous / next edited in place) with the
// way to a ticket. /support and the menu's Support button open it.
import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { actionPattern, callbackData } from '../ui/callback-data.ts';
import { Html } from '../ui/html.ts';
import { button, keyboard, pager } from '../ui/keyboard.ts';
import { type Screen, showScreen } from '../ui/screen.ts';
import { homeButton, MENU_ACTIONS } from './menu.ts';

/** Entries `faq-q-1` … `faq-q-16` and `faq-a-…` in each locale file. */
export const FAQ_ENTRIES = 16;

/** The tickets feature answers these. */
export const SUPPORT_ACTIONS = {
  newTicket: callbackData('tk.new'),
  myTickets: callbackData('tk.list'),
} as const;

const FAQ_ACTION = 'faq';

export function faqScreen(ctx: BotContext, entry: number): Screen {
  const n = entry + 1;
  return {
    // The entry's own texts are trusted translations: inserted as markup, not escaped again.
    text: ctx.t('faq-entry', {
      question: Html.raw(ctx.t(`faq-q-${n}`)),
      answer: Html.raw(ctx.t(`faq-a-${n}`)),
      n,
      total: FAQ_ENTRIES,
    }),
    keyboard: keyboard(
      pager(FAQ_ACTION, entry, FAQ_ENTRIES),
      [
        button(ctx.t('button-new-ticket'), SUPPORT_ACTIONS.newTicket),
        button(ctx.t('button-my-tickets'), SUPPORT_ACTIONS.myTickets),
      ],
      [homeButton(ctx)],
    ),
  };
}

export function supportFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('support', (ctx) => showScreen(ctx, faqScreen(ctx, 0)));

  composer.callbackQuery(MENU_ACTIONS.support, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showScreen(ctx, faqScreen(ctx, 0));
  });

  composer.callbackQuery(actionPattern(FAQ_ACTION, 1), async (ctx) => {
    const entry = Number(ctx.match[1]);
    if (!Number.isInteger(entry) || entry < 0 || entry >= FAQ_ENTRIES) {
      return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    }
    await ctx.answerCallbackQuery();
    await showScreen(ctx, faqScreen(ctx, entry));
  });

  return composer;
}
