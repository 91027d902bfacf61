// Support tickets: "Create a ticket" (subject, message, optional email, each step cancellable),
// "My tickets" (the user's tickets and, for a seller, the buyer threads relayed to them), each
// thread with Reply and, for the ticket's author, Mark resolved / Close. Every message posted is
// relayed (relay.ts); how tickets read is in render.ts.
import { Composer } from 'grammy';
import {
  TEXT_RULES,
  TransitionError,
  ValidationError,
  validateTicketMessage,
  validateTicketSubject,
} from '../../../domain/index.ts';
import { ForbiddenError, NotFoundError } from '../../../services/errors.ts';
import type { Actor, PostedMessage, TicketView } from '../../../services/support.ts';
import { adminCheck } from '../../admin.ts';
import type { BotContext, FeatureDeps } from '../../context.ts';
import { ask, clearPrompt, pendingPrompt } from '../../prompts.ts';
import { acknowledge, answerAlert } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { button, keyboard, pager } from '../../ui/keyboard.ts';
import { showScreen } from '../../ui/screen.ts';
import { oneLine } from '../../ui/text.ts';
import { ADMIN } from '../admin/state.ts';
import { homeButton, MENU_ACTIONS } from '../menu.ts';
import { SUPPORT_ACTIONS } from '../support.ts';
import { relayTicketMessage } from './relay.ts';
import { canChangeStatus, canReply, STATUS_ICONS, statusLabel, threadText } from './render.ts';
import { TICKET_ACTIONS, type TicketPrompt, ticketIdArg } from './state.ts';

export { ownsTicketAction, TICKET_ACTIONS } from './state.ts';

const PAGE_SIZE = 5;
/** The list merges two sources fetched from their start, so it stops at the repository's maximum. */
const MAX_LISTED = 100;

export function ticketsFeature(deps: FeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  // The author is a user already: every sender is recorded on their first update (create-bot.ts).
  const { support, moderation } = deps.services;
  const isAdmin = adminCheck(moderation);

  /** The sender; with a Moderator when their verified id is in ADMIN_IDS. */
  function actor(ctx: BotContext): Actor {
    if (!ctx.from) throw new Error('an update without a sender reached the tickets feature');
    return { userId: ctx.from.id, admin: isAdmin(ctx) ? moderation.moderator(ctx.from.id) : undefined };
  }

  function listButton(ctx: BotContext) {
    return button(ctx.t('button-my-tickets'), SUPPORT_ACTIONS.myTickets);
  }

  function cancelKeyboard(ctx: BotContext, ...extra: ReturnType<typeof button>[]) {
    return keyboard(extra, [button(ctx.t('tickets-button-cancel'), callbackData(TICKET_ACTIONS.cancel))]);
  }

  // --- Create a ticket -------------------------------------------------------------------------

  async function askSubject(ctx: BotContext): Promise<void> {
    ask(ctx, 'tickets', { on: 'subject' });
    const rule = TEXT_RULES.ticket_subject;
    await showScreen(ctx, {
      text: ctx.t('tickets-subject-prompt', { min: rule.min, max: rule.max }),
      keyboard: cancelKeyboard(ctx),
    });
  }

  async function create(ctx: BotContext, subject: string, message: string, email: string | null) {
    if (!ctx.from) return;
    const posted = await support.open(ctx.from.id, { subject, message, email });
    clearPrompt(ctx, 'tickets');
    await ctx.reply(ctx.t('tickets-created', { ticket: String(posted.ticket.id) }), {
      parse_mode: 'HTML',
      reply_markup: keyboard([openButton(ctx, posted.ticket.id)], [listButton(ctx), homeButton(ctx)]),
    });
    await relayTicketMessage(deps, posted, 'user');
  }

  /** The thread; for an admin, the ticket in the inbox (author, order, status buttons). */
  function openButton(ctx: BotContext, ticketId: number) {
    return isAdmin(ctx)
      ? button(ctx.t('tickets-button-inbox'), callbackData(ADMIN.ticket, ticketId))
      : button(ctx.t('tickets-button-open'), callbackData(TICKET_ACTIONS.open, ticketId));
  }

  composer.callbackQuery(SUPPORT_ACTIONS.newTicket, async (ctx) => {
    await acknowledge(ctx);
    await askSubject(ctx);
  });

  composer.callbackQuery(TICKET_ACTIONS.skipEmail, async (ctx) => {
    const prompt = pendingPrompt(ctx, 'tickets');
    if (prompt?.on !== 'email') return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    await create(ctx, prompt.subject, prompt.message, null);
  });

  composer.callbackQuery(TICKET_ACTIONS.cancel, async (ctx) => {
    clearPrompt(ctx, 'tickets');
    await acknowledge(ctx);
    await showScreen(ctx, {
      text: ctx.t('tickets-cancelled'),
      keyboard: keyboard(
        [listButton(ctx), button(ctx.t('button-support'), MENU_ACTIONS.support)],
        [homeButton(ctx)],
      ),
    });
  });

  // --- My tickets ------------------------------------------------------------------------------

  /** The user's tickets and their seller threads merged, latest activity first. */
  async function listPage(userId: number, page: number) {
    const limit = Math.min(MAX_LISTED, (page + 1) * PAGE_SIZE);
    const [own, threads] = await Promise.all([
      support.myTickets(userId, { limit }),
      support.sellerThreads(userId, { limit }),
    ]);
    const merged = [...own.items, ...threads.items].sort(
      (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.id - a.id,
    );
    const total = Math.min(MAX_LISTED, own.total + threads.total);
    return { items: merged.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), total };
  }

  async function showList(ctx: BotContext, requested: number): Promise<void> {
    clearPrompt(ctx, 'tickets');
    const userId = actor(ctx).userId;
    let list = await listPage(userId, requested);
    const pages = Math.ceil(list.total / PAGE_SIZE);
    const page = pages === 0 ? 0 : Math.min(requested, pages - 1);
    if (page !== requested) list = await listPage(userId, page);
    const back = [button(ctx.t('button-support'), MENU_ACTIONS.support), homeButton(ctx)];
    if (list.items.length === 0) {
      await showScreen(ctx, {
        text: ctx.t('tickets-list-empty'),
        keyboard: keyboard([button(ctx.t('button-new-ticket'), SUPPORT_ACTIONS.newTicket)], back),
      });
      return;
    }
    await showScreen(ctx, {
      text: ctx.t('tickets-list-title', { total: list.total }),
      keyboard: keyboard(
        // Button labels are plain text: the subject needs no escaping there.
        ...list.items.map((ticket) => [
          button(
            `${STATUS_ICONS[ticket.status]} #${ticket.id} · ${oneLine(ticket.subject, 40)}`,
            callbackData(TICKET_ACTIONS.open, ticket.id),
          ),
        ]),
        pager(TICKET_ACTIONS.page, page, pages),
        [button(ctx.t('button-new-ticket'), SUPPORT_ACTIONS.newTicket)],
        back,
      ),
    });
  }

  composer.callbackQuery(SUPPORT_ACTIONS.myTickets, async (ctx) => {
    await acknowledge(ctx);
    await showList(ctx, 0);
  });

  composer.callbackQuery(actionPattern(TICKET_ACTIONS.page, 1), async (ctx) => {
    const page = ticketIdArg(ctx.match[1]);
    if (page === null) return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    await showList(ctx, page);
  });

  // --- A thread --------------------------------------------------------------------------------

  /** Shows the thread, or answers politely when it is not the presser's (or does not exist). */
  async function showThread(ctx: BotContext, ticketId: number | null, notice?: string): Promise<void> {
    let view: TicketView;
    try {
      if (ticketId === null) throw new NotFoundError('ticket', 0);
      view = await support.view(actor(ctx), ticketId);
    } catch (error) {
      if (error instanceof NotFoundError) return answerAlert(ctx, ctx.t('tickets-not-available'));
      throw error;
    }
    clearPrompt(ctx, 'tickets');
    await acknowledge(ctx, notice);
    const { ticket, messages, role } = view;
    await showScreen(ctx, {
      text: threadText(ctx.t, ctx.locale.language, ticket, messages, role),
      keyboard: keyboard(
        [
          canReply(ticket, role) &&
            button(ctx.t('tickets-button-reply'), callbackData(TICKET_ACTIONS.reply, ticket.id)),
        ],
        [
          canChangeStatus(ticket, role, 'resolved') &&
            button(ctx.t('tickets-button-resolve'), callbackData(TICKET_ACTIONS.resolve, ticket.id)),
          canChangeStatus(ticket, role, 'closed') &&
            button(ctx.t('tickets-button-close'), callbackData(TICKET_ACTIONS.close, ticket.id)),
        ],
        [button(ctx.t('tickets-button-back'), SUPPORT_ACTIONS.myTickets), homeButton(ctx)],
      ),
    });
  }

  composer.callbackQuery(actionPattern(TICKET_ACTIONS.open, 1), (ctx) =>
    showThread(ctx, ticketIdArg(ctx.match[1])),
  );

  for (const [action, status] of [
    [TICKET_ACTIONS.resolve, 'resolved'],
    [TICKET_ACTIONS.close, 'closed'],
  ] as const) {
    composer.callbackQuery(actionPattern(action, 1), async (ctx) => {
      const ticketId = ticketIdArg(ctx.match[1]);
      if (ticketId === null) return answerAlert(ctx, ctx.t('tickets-not-available'));
      try {
        await support.changeStatus(actor(ctx), ticketId, status);
      } catch (error) {
        if (error instanceof NotFoundError) return answerAlert(ctx, ctx.t('tickets-not-available'));
        if (error instanceof ForbiddenError || error instanceof TransitionError) {
          return answerAlert(ctx, ctx.t('tickets-status-refused'));
        }
        throw error;
      }
      await showThread(
        ctx,
        ticketId,
        ctx.t('tickets-status-changed', { status: statusLabel(ctx.t, status) }),
      );
    });
  }

  // Reply is also pressed by admins on a relayed message: the prompt comes as a new message so
  // the relayed text stays on screen.
  composer.callbackQuery(actionPattern(TICKET_ACTIONS.reply, 1), async (ctx) => {
    const ticketId = ticketIdArg(ctx.match[1]);
    let view: TicketView;
    try {
      if (ticketId === null) throw new NotFoundError('ticket', 0);
      view = await support.view(actor(ctx), ticketId);
    } catch (error) {
      if (error instanceof NotFoundError) return answerAlert(ctx, ctx.t('tickets-not-available'));
      throw error;
    }
    if (!canReply(view.ticket, view.role)) return answerAlert(ctx, ctx.t('tickets-closed-for-replies'));
    await acknowledge(ctx);
    ask(ctx, 'tickets', { on: 'reply', ticketId: view.ticket.id });
    const rule = TEXT_RULES.ticket_message;
    await ctx.reply(
      ctx.t('tickets-reply-prompt', {
        ticket: String(view.ticket.id),
        subject: view.ticket.subject,
        min: rule.min,
        max: rule.max,
      }),
      { parse_mode: 'HTML', reply_markup: cancelKeyboard(ctx) },
    );
  });

  // --- Typed answers ---------------------------------------------------------------------------

  async function answerPrompt(ctx: BotContext, prompt: TicketPrompt, text: string): Promise<void> {
    switch (prompt.on) {
      case 'subject': {
        const subject = await validAnswer(
          ctx,
          text,
          validateTicketSubject,
          ctx.t('tickets-subject-invalid', limits('ticket_subject')),
        );
        if (subject === null) return;
        ask(ctx, 'tickets', { on: 'message', subject });
        const rule = TEXT_RULES.ticket_message;
        await ctx.reply(ctx.t('tickets-message-prompt', { subject, min: rule.min, max: rule.max }), {
          parse_mode: 'HTML',
          reply_markup: cancelKeyboard(ctx),
        });
        return;
      }
      case 'message': {
        const message = await validAnswer(
          ctx,
          text,
          validateTicketMessage,
          ctx.t('tickets-message-invalid', limits('ticket_message')),
        );
        if (message === null) return;
        ask(ctx, 'tickets', { on: 'email', subject: prompt.subject, message });
        await ctx.reply(ctx.t('tickets-email-prompt'), {
          parse_mode: 'HTML',
          reply_markup: cancelKeyboard(
            ctx,
            button(ctx.t('tickets-button-skip'), callbackData(TICKET_ACTIONS.skipEmail)),
          ),
        });
        return;
      }
      case 'email':
        return createWithChecks(ctx, prompt, text);
      case 'reply':
        return reply(ctx, prompt.ticketId, text);
    }
  }

  /** The answer if it passes `validate`; otherwise says why, keeps the question, and returns null. */
  async function validAnswer(
    ctx: BotContext,
    text: string,
    validate: (text: string) => string,
    refusal: string,
  ): Promise<string | null> {
    try {
      return validate(text);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await ctx.reply(refusal, { parse_mode: 'HTML', reply_markup: cancelKeyboard(ctx) });
      return null;
    }
  }

  /** The service validates everything again; a refused draft keeps the prompt, nothing is lost. */
  async function createWithChecks(
    ctx: BotContext,
    prompt: Extract<TicketPrompt, { on: 'email' }>,
    email: string,
  ): Promise<void> {
    try {
      await create(ctx, prompt.subject, prompt.message, email);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const retry =
        error.field === 'email'
          ? ctx.t('tickets-email-invalid')
          : ctx.t('tickets-message-invalid', {
              min: TEXT_RULES.ticket_message.min,
              max: TEXT_RULES.ticket_message.max,
            });
      await ctx.reply(retry, {
        parse_mode: 'HTML',
        reply_markup: cancelKeyboard(
          ctx,
          button(ctx.t('tickets-button-skip'), callbackData(TICKET_ACTIONS.skipEmail)),
        ),
      });
    }
  }

  async function reply(ctx: BotContext, ticketId: number, text: string): Promise<void> {
    const who = actor(ctx);
    const rule = TEXT_RULES.ticket_message;
    let posted: PostedMessage;
    try {
      posted = await support.postMessage(who, ticketId, text);
    } catch (error) {
      if (error instanceof ValidationError) {
        await ctx.reply(ctx.t('tickets-message-invalid', { min: rule.min, max: rule.max }), {
          parse_mode: 'HTML',
          reply_markup: cancelKeyboard(ctx),
        });
        return;
      }
      if (error instanceof NotFoundError || error instanceof TransitionError) {
        clearPrompt(ctx, 'tickets');
        const refusal =
          error instanceof NotFoundError
            ? ctx.t('tickets-not-available')
            : ctx.t('tickets-closed-for-replies');
        await ctx.reply(refusal, { parse_mode: 'HTML', reply_markup: keyboard([listButton(ctx)]) });
        return;
      }
      throw error;
    }
    clearPrompt(ctx, 'tickets');
    await ctx.reply(ctx.t('tickets-reply-sent', { ticket: String(ticketId) }), {
      parse_mode: 'HTML',
      reply_markup: keyboard([openButton(ctx, ticketId)], [listButton(ctx), homeButton(ctx)]),
    });
    await relayTicketMessage(deps, posted, posted.message.authorRole);
  }

  // The answer to the pending question; anything else goes on (to the library, the search…).
  composer.on('message:text', async (ctx, next) => {
    const prompt = pendingPrompt(ctx, 'tickets');
    if (!prompt || ctx.message.text.startsWith('/')) return next();
    await answerPrompt(ctx, prompt, ctx.message.text);
  });

  return composer;
}

function limits(rule: 'ticket_subject' | 'ticket_message'): { min: number; max: number } {
  const { min, max } = TEXT_RULES[rule];
  return { min, max };
}
