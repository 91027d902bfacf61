// `npm start` without a Telegram token, on this machine: the real bot talks to the local Telegram
// double, and /dev/chat is a Telegram-like chat page where a person plays the buyer, the seller
// and the admin (see ./identities.ts). Loaded by the composition root only when chosen.
import type { FastifyPluginAsync } from 'fastify';
import type { TelegramDouble } from '../../app.ts';
import { publishCommands } from '../../bot/commands.ts';
import type { Logger } from '../../log.ts';
import { FAKE_BOT_INFO, FAKE_BOT_TOKEN, FakeTelegram, type Role } from '../telegram/fake-telegram.ts';
import { IDENTITIES } from './identities.ts';
import { type ChatRoutesOptions, chatRoutes } from './routes.ts';

export interface DevChat {
  /** The double the bot is attached to (startApp's `doubles.telegram`). */
  telegram: TelegramDouble;
  /** Admins for this session, besides ADMIN_IDS. */
  adminIds: number[];
  /** The page and its API, to register on the public server. */
  routes: FastifyPluginAsync<Omit<ChatRoutesOptions, 'telegram' | 'menusPublished'>>;
  close(): Promise<void>;
}

export async function startDevChat(options: { publicUrl: string; log: Logger }): Promise<DevChat> {
  const { publicUrl } = options;
  const log = options.log.child({ component: 'dev-chat' });
  // Not strict: its Mini App buttons open our pages over http on this machine, which the real
  // Telegram (and so the strict double) refuses; the bot tests keep the Bot API's rules.
  const telegram = new FakeTelegram({ strict: false });
  const fileBaseUrl = await telegram.start();
  const { promise: menusPublished, resolve: menusDone } = Promise.withResolvers<void>();
  const adminIds = IDENTITIES.filter((i) => i.role === 'admin').map((i) => i.user.id);
  log.warn(
    { chat: new URL('/dev/chat', publicUrl).href, admins: adminIds },
    'No TELEGRAM_BOT_TOKEN: the bot talks to a LOCAL TELEGRAM; open the chat page to use the marketplace',
  );
  const roles = new Map<number, Role>(
    IDENTITIES.map((i) => [i.user.id, i.role === 'seller' ? 'seller' : 'buyer']),
  );
  return {
    telegram: {
      token: FAKE_BOT_TOKEN,
      botInfo: FAKE_BOT_INFO,
      fileBaseUrl,
      attach: (bot) => {
        telegram.attach(bot, roles);
        // As the bot does when it starts against Telegram: the command menus, per scope and language.
        publishCommands(bot.api, { adminIds: new Set(adminIds), log })
          .catch((error: unknown) =>
            log.warn({ err: error }, 'Local chat: the command menu was not published'),
          )
          .finally(menusDone);
      },
    },
    adminIds,
    routes: async (app, options) => app.register(chatRoutes, { ...options, telegram, menusPublished }),
    close: () => telegram.close(),
  };
}
