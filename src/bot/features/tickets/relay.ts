// A message posted in a ticket goes to the ticket's other participants and, for a support ticket
// written by its user, to the admins, each in their own language, with a Reply button carrying
// only the ticket id (the support service re-checks who may use it). Neither side learns the
// other's Telegram identity. Relays are best effort: the message stays in the thread.
import type { PostedMessage, TicketAuthorRole } from '../../../services/support.ts';
import type { FeatureDeps } from '../../context.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import { authorLabel } from './render.ts';
import { TICKET_ACTIONS } from './state.ts';

export async function relayTicketMessage(
  deps: Pick<FeatureDeps, 'messenger' | 'services'>,
  posted: PostedMessage,
  author: TicketAuthorRole,
): Promise<void> {
  const { ticket, message } = posted;
  const admins =
    ticket.sellerId === null && author !== 'admin'
      ? deps.services.moderation.admins().filter((id) => id !== message.authorId)
      : [];
  const targets: { id: number; role: TicketAuthorRole }[] = [
    ...posted.recipients.map((id) => ({
      id,
      role: id === ticket.userId ? ('user' as const) : ('seller' as const),
    })),
    ...admins.filter((id) => !posted.recipients.includes(id)).map((id) => ({ id, role: 'admin' as const })),
  ];
  for (const target of targets) {
    await deps.messenger.trySend(
      target.id,
      (t) => ({
        text: t('tickets-relay', {
          ticket: ticket.id,
          subject: ticket.subject,
          author: authorLabel(t, author, target.role),
          text: message.body,
        }),
        options: {
          reply_markup: keyboard([
            button(t('tickets-button-reply'), callbackData(TICKET_ACTIONS.reply, ticket.id)),
            button(t('tickets-button-open'), callbackData(TICKET_ACTIONS.open, ticket.id)),
          ]),
        },
      }),
      'Ticket message relay',
    );
  }
}
