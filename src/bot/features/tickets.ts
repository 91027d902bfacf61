// Support tickets: "Create a ticket" (subject, message, optional email, each step cancellable),
// "My tickets" (the user's tickets and, for a seller, the buyer threads relayed to them), each
// thread with Reply and, for the ticket's author, Mark resolved / Close. Every message posted is
// relayed to the other participants in their own language, and support tickets to the admins
// too, with a Reply button carrying only the ticket id: the service re-checks who may use it.
import { Composer, type MiddlewareFn } from 'grammy';
import type { Database } from '../../db/index.ts';
import {
  canMove,
  TEXT_RULES,
  TICKET_MACHINE,
  type TicketStatus,
  TransitionError,
  ValidationError,
  validateTicketMessage,
  validateTicketSubject,
} from '../../domain/index.ts';
import type { Logger } from '../../log.ts';
import type { Ticket, TicketAuthorRole, TicketMessage } from '../../repositories/tickets.ts';
import { getUser } from '../../repositories/users.ts';
import { registerUser } from '../../services/accounts.ts';
import { ForbiddenError, NotFoundError } from '../../services/errors.ts';
import {
  type Actor,
  changeTicketStatus,
  myTickets,
  openTicket,
  type PostedMessage,
  postMessage,
  sellerThreads,
  viewTicket,
} from '../../services/support.ts';
import { adminCheck } from '../admin.ts';
import { type BotContext, DEFAULT_LANGUAGE, isLanguage, type Language, type Translate } from '../context.ts';
import { promptReset } from '../prompts.ts';
import { actionPattern, callbackData } from '../ui/callback-data.ts';
import { Html } from '../ui/html.ts';
import { button, keyboard, pager } from '../ui/keyboard.ts';
import { showScreen } from '../ui/screen.ts';
import { clearBuyerPrompt } from './buyer-shared.ts';
import { homeButton, MENU_ACTIONS } from './menu.ts';
import { SUPPORT_ACTIONS } from './support.ts';

export interface TicketsDeps {
  db: Database;
  /** Telegram ids from ADMIN_IDS: they receive support tickets' messages and may answer them. */
  adminIds: readonly number[];
  /** Relays are best effort: a failure is logged, the message stays in the thread. */
  log?: Pick<Logger, 'warn'>;
  /** The recipient's language for a relayed message, from the language they saved. */
  translateFor?: (language: Language) => Translate;
}

/** What the user's next message answers. */
export type TicketPrompt =
  | { on: 'subject' }
  | { on: 'message'; subject: string }
  | { on: 'email'; subject: string; message: string }
  | { on: 'reply'; ticketId: number };

export interface TicketsSession {
  prompt?: TicketPrompt;
}

declare module '../context.ts' {
  interface SessionData {
    tickets?: TicketsSession;
  }
}

/** Button actions, all `tk.` (the two of the FAQ screen are SUPPORT_ACTIONS). */
export const TICKET_ACTIONS = {
  page: 'tk.pg',
  open: 'tk.open',
  reply: 'tk.re',
  resolve: 'tk.ok',
  close: 'tk.cl',
  skipEmail: 'tk.skip',
  cancel: 'tk.x',
} as const;

const PAGE_SIZE = 5;
/** The list merges two sources fetched from their start, so it stops at the repository's maximum. */
const MAX_LISTED = 100;
/** Telegram allows 4096 characters: the thread shows its latest messages within this budget. */
const THREAD_BUDGET = 3500;
const ID_ARG = /^\d{1,15}$/;

/** Installed ahead of every feature, like sellPromptReset: a later search is not read as a ticket message. */
export function ticketsPromptReset(): MiddlewareFn<BotContext> {
  return promptReset(
    'tk.',
    (ctx) => ctx.session.tickets?.prompt !== undefined,
    (ctx) => {
      delete ctx.session.tickets;
    },
  );
}

function setPrompt(ctx: BotContext, prompt: TicketPrompt): void {
  // One question at a time: a half-typed library message does not catch this answer.
  clearBuyerPrompt(ctx);
  ctx.session.tickets = { prompt };
}

function clearPrompt(ctx: BotContext): void {
  delete ctx.session.tickets;
}

function ticketIdArg(text: string | undefined): number | null {
  return text !== undefined && ID_ARG.test(text) ? Number(text) : null;
}

function statusLabel(t: Translate, status: TicketStatus): string {
  switch (status) {
    case 'open':
      return t('tickets-status-open');
    case 'pending_user':
      return t('tickets-status-pending-user');
    case 'pending_admin':
      return t('tickets-status-pending-admin');
    case 'resolved':
      return t('tickets-status-resolved');
    case 'closed':
      return t('tickets-status-closed');
  }
}

const STATUS_ICONS: Record<TicketStatus, string> = {
  open: '🟢',
  pending_user: '💬',
  pending_admin: '⏳',
  resolved: '✅',
  closed: '🔒',
};

/** Who wrote, as the reader sees it: themselves, the buyer or user, the seller, or support. */
function authorLabel(t: Translate, author: TicketAuthorRole, reader: TicketAuthorRole): string {
  if (author === reader) return t('tickets-role-you');
  if (author === 'admin') return t('tickets-role-support');
  if (author === 'seller') return t('tickets-role-seller');
  return reader === 'seller' ? t('tickets-role-buyer') : t('tickets-role-user');
}

/** The status a message from this role moves the ticket to (see postMessage). */
function canReply(ticket: Ticket, role: TicketAuthorRole): boolean {
  const next: TicketStatus = role === 'user' ? 'pending_admin' : 'pending_user';
  return ticket.status === next || canMove(TICKET_MACHINE, ticket.status, next);
}

/** Resolving and closing by hand: the ticket's author or an admin (the service decides). */
function canChangeStatus(ticket: Ticket, role: TicketAuthorRole, to: TicketStatus): boolean {
  return role !== 'seller' && canMove(TICKET_MACHINE, ticket.status, to);
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function ticketsFeature(deps: TicketsDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const isAdmin = adminCheck(deps.adminIds);

  function actor(ctx: BotContext): Actor {
    if (!ctx.from) throw new Error('an update without a sender reached the tickets feature');
    return { userId: ctx.from.id, isAdmin: isAdmin(ctx) };
  }

  async function answerAlert(ctx: BotContext, text: string): Promise<void> {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
    else await ctx.reply(text, { parse_mode: 'HTML' });
  }

  async function acknowledge(ctx: BotContext, text?: string): Promise<void> {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery(text ? { text } : {}).catch(() => undefined);
  }

  function listButton(ctx: BotContext) {
    return button(ctx.t('button-my-tickets'), SUPPORT_ACTIONS.myTickets);
  }

  function cancelKeyboard(ctx: BotContext, ...extra: ReturnType<typeof button>[]) {
    return keyboard(extra, [button(ctx.t('tickets-button-cancel'), callbackData(TICKET_ACTIONS.cancel))]);
  }

  // --- Create a ticket -------------------------------------------------------------------------

  async function askSubject(ctx: BotContext): Promise<void> {
    setPrompt(ctx, { on: 'subject' });
    const rule = TEXT_RULES.ticket_subject;
    await showScreen(ctx, {
      text: ctx.t('tickets-subject-prompt', { min: rule.min, max: rule.max }),
      keyboard: cancelKeyboard(ctx),
    });
  }

  async function create(ctx: BotContext, subject: string, message: string, email: string | null) {
    if (!ctx.from) return;
    await registerUser(deps.db, ctx.from);
    const posted = await openTicket(deps.db, ctx.from.id, { subject, message, email });
    clearPrompt(ctx);
    await ctx.reply(ctx.t('tickets-created', { ticket: posted.ticket.id }), {
      parse_mode: 'HTML',
      reply_markup: keyboard([openButton(ctx, posted.ticket.id)], [listButton(ctx), homeButton(ctx)]),
    });
    await relay(ctx, posted, 'user');
  }

  function openButton(ctx: BotContext, ticketId: number) {
    return button(ctx.t('tickets-button-open'), callbackData(TICKET_ACTIONS.open, ticketId));
  }

  composer.callbackQuery(SUPPORT_ACTIONS.newTicket, async (ctx) => {
    await acknowledge(ctx);
    await askSubject(ctx);
  });

  composer.callbackQuery(TICKET_ACTIONS.skipEmail, async (ctx) => {
    const prompt = ctx.session.tickets?.prompt;
    if (prompt?.on !== 'email') return answerAlert(ctx, ctx.t('button-expired'));
    await acknowledge(ctx);
    await create(ctx, prompt.subject, prompt.message, null);
  });

  composer.callbackQuery(TICKET_ACTIONS.cancel, async (ctx) => {
    clearPrompt(ctx);
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
      myTickets(deps.db, userId, { limit }),
      sellerThreads(deps.db, userId, { limit }),
    ]);
    const merged = [...own.items, ...threads.items].sort(
      (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.id - a.id,
    );
    const total = Math.min(MAX_LISTED, own.total + threads.total);
    return { items: merged.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), total };
  }

  async function showList(ctx: BotContext, requested: number): Promise<void> {
    clearPrompt(ctx);
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

  function threadText(t: Translate, ticket: Ticket, messages: TicketMessage[], reader: TicketAuthorRole) {
    const lines: string[] = [];
    let used = 0;
    for (const message of [...messages].reverse()) {
      const line = t('tickets-message-line', {
        author: authorLabel(t, message.authorRole, reader),
        date: formatTime(message.createdAt),
        text: message.body,
      });
      if (lines.length > 0 && used + line.length > THREAD_BUDGET) {
        lines.push(t('tickets-thread-earlier'));
        break;
      }
      lines.push(line);
      used += line.length;
    }
    return t('tickets-thread', {
      ticket: ticket.id,
      subject: ticket.subject,
      status: statusLabel(t, ticket.status),
      order: ticket.orderId ? Html.raw(t('tickets-thread-order', { order: ticket.orderId })) : '',
      messages: Html.raw(lines.reverse().join('\n\n')),
    });
  }

  /** Shows the thread, or answers politely when it is not the presser's (or does not exist). */
  async function showThread(ctx: BotContext, ticketId: number | null, notice?: string): Promise<void> {
    let view: Awaited<ReturnType<typeof viewTicket>>;
    try {
      if (ticketId === null) throw new NotFoundError('ticket', 0);
      view = await viewTicket(deps.db, actor(ctx), ticketId);
    } catch (error) {
      if (error instanceof NotFoundError) return answerAlert(ctx, ctx.t('tickets-not-available'));
      throw error;
    }
    clearPrompt(ctx);
    await acknowledge(ctx, notice);
    const { ticket, messages, role } = view;
    await showScreen(ctx, {
      text: threadText(ctx.t, ticket, messages, role),
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
        await changeTicketStatus(deps.db, actor(ctx), ticketId, status);
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
    let view: Awaited<ReturnType<typeof viewTicket>>;
    try {
      if (ticketId === null) throw new NotFoundError('ticket', 0);
      view = await viewTicket(deps.db, actor(ctx), ticketId);
    } catch (error) {
      if (error instanceof NotFoundError) return answerAlert(ctx, ctx.t('tickets-not-available'));
      throw error;
    }
    if (!canReply(view.ticket, view.role)) return answerAlert(ctx, ctx.t('tickets-closed-for-replies'));
    await acknowledge(ctx);
    setPrompt(ctx, { on: 'reply', ticketId: view.ticket.id });
    const rule = TEXT_RULES.ticket_message;
    await ctx.reply(
      ctx.t('tickets-reply-prompt', {
        ticket: view.ticket.id,
        subject: view.ticket.subject,
        min: rule.min,
        max: rule.max,
      }),
      { parse_mode: 'HTML', reply_markup: cancelKeyboard(ctx) },
    );
  });

  // --- Relays ----------------------------------------------------------------------------------

  /** The recipient's translator: their saved language, else the default one. */
  async function translatorFor(ctx: BotContext, userId: number): Promise<Translate> {
    if (!deps.translateFor) return ctx.t;
    const saved = (await getUser(deps.db, userId))?.language;
    return deps.translateFor(isLanguage(saved) ? saved : DEFAULT_LANGUAGE);
  }

  /**
   * Sends the new message to the ticket's other participants and, for a support ticket written
   * by its user, to the admins. Neither side learns the other's Telegram identity.
   */
  async function relay(ctx: BotContext, posted: PostedMessage, author: TicketAuthorRole): Promise<void> {
    const { ticket, message } = posted;
    const admins =
      ticket.sellerId === null && author !== 'admin'
        ? deps.adminIds.filter((id) => id !== message.authorId)
        : [];
    const targets: { id: number; role: TicketAuthorRole }[] = [
      ...posted.recipients.map((id) => ({
        id,
        role: id === ticket.userId ? ('user' as const) : ('seller' as const),
      })),
      ...admins.filter((id) => !posted.recipients.includes(id)).map((id) => ({ id, role: 'admin' as const })),
    ];
    for (const target of targets) {
      try {
        const t = await translatorFor(ctx, target.id);
        await ctx.api.sendMessage(
          target.id,
          t('tickets-relay', {
            ticket: ticket.id,
            subject: ticket.subject,
            author: authorLabel(t, author, target.role),
            text: message.body,
          }),
          {
            parse_mode: 'HTML',
            reply_markup: keyboard([
              button(t('tickets-button-reply'), callbackData(TICKET_ACTIONS.reply, ticket.id)),
              button(t('tickets-button-open'), callbackData(TICKET_ACTIONS.open, ticket.id)),
            ]),
          },
        );
      } catch (error) {
        deps.log?.warn({ err: error, ticketId: ticket.id }, 'ticket message could not be relayed');
      }
    }
  }

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
        setPrompt(ctx, { on: 'message', subject });
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
        setPrompt(ctx, { on: 'email', subject: prompt.subject, message });
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
      if (ctx.from) await registerUser(deps.db, ctx.from);
      posted = await postMessage(deps.db, who, ticketId, text);
    } catch (error) {
      if (error instanceof ValidationError) {
        await ctx.reply(ctx.t('tickets-message-invalid', { min: rule.min, max: rule.max }), {
          parse_mode: 'HTML',
          reply_markup: cancelKeyboard(ctx),
        });
        return;
      }
      if (error instanceof NotFoundError || error instanceof TransitionError) {
        clearPrompt(ctx);
        const refusal =
          error instanceof NotFoundError
            ? ctx.t('tickets-not-available')
            : ctx.t('tickets-closed-for-replies');
        await ctx.reply(refusal, { parse_mode: 'HTML', reply_markup: keyboard([listButton(ctx)]) });
        return;
      }
      throw error;
    }
    clearPrompt(ctx);
    await ctx.reply(ctx.t('tickets-reply-sent', { ticket: ticketId }), {
      parse_mode: 'HTML',
      reply_markup: keyboard([openButton(ctx, ticketId)], [listButton(ctx), homeButton(ctx)]),
    });
    await relay(ctx, posted, posted.message.authorRole);
  }

  // The answer to the pending question; anything else goes on (to the library, the search…).
  composer.on('message:text', async (ctx, next) => {
    const prompt = ctx.session.tickets?.prompt;
    if (!prompt || ctx.message.text.startsWith('/')) return next();
    await answerPrompt(ctx, prompt, ctx.message.text);
  });

  return composer;
}

function limits(rule: 'ticket_subject' | 'ticket_message'): { min: number; max: number } {
  const { min, max } = TEXT_RULES[rule];
  return { min, max };
}
