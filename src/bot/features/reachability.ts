// Telegram tells the bot when a user blocks it or comes back (my_chat_member in their private
// chat). Blocked: recorded on their account. Back: the deliveries that could not reach them
// are queued again. Before the rate limit and the session: these updates answer nothing.
import { Composer } from 'grammy';
import type { OrderService } from '../../services/orders.ts';
import type { BotContext } from '../context.ts';

export function reachabilityFeature(
  orders: Pick<OrderService, 'userBlockedBot' | 'userUnblockedBot'>,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('my_chat_member', async (ctx) => {
    const { chat, from, new_chat_member: member } = ctx.myChatMember;
    if (chat.type !== 'private') return;
    if (member.status === 'kicked') await orders.userBlockedBot(from.id);
    else if (member.status === 'member') await orders.userUnblockedBot(from.id);
  });
  return composer;
}
