// Admin rights come from ADMIN_IDS (the moderation service) and the sender's id as Telegram
// reports it in the update, never from anything the client put in a message or in callback
// data. Every admin command and every admin button goes through the same guard.
import { Composer } from 'grammy';
import type { ModerationService } from '../services/moderation.ts';
import type { BotContext } from './context.ts';

export type AdminCheck = (ctx: BotContext) => boolean;

export function adminCheck(moderation: Pick<ModerationService, 'isAdmin'>): AdminCheck {
  return (ctx) => ctx.from !== undefined && !ctx.from.is_bot && moderation.isAdmin(ctx.from.id);
}

/**
 * A Composer whose handlers only ever see admins' updates. Anyone else's update passes by
 * untouched, so a non-admin pressing an admin button reaches the stale-button fallback and
 * learns nothing about what the button would have done.
 */
export function adminComposer(isAdmin: AdminCheck): {
  composer: Composer<BotContext>;
  admin: Composer<BotContext>;
} {
  const composer = new Composer<BotContext>();
  const admin = composer.filter(isAdmin);
  return { composer, admin };
}
