// The bot's features are for private chats: in a group, /stats would post a seller's revenue for
// everyone, and a member's press would edit their library into the shared message. So in a group,
// supergroup or channel nothing reaches the features: /start answers with a button that opens the
// bot in private, a press is answered with a short notice and changes nothing, the rest is ignored.
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from './context.ts';
import { parseStartPayload, startLink } from './deep-links.ts';
import { languageFromTelegram, type Translator, translator } from './i18n.ts';
import { keyboard, urlButton } from './ui/keyboard.ts';

/** Runs before the session: a group's update never reads or writes a user's state. */
export function privateChatsOnly(i18n: Translator): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const chat = ctx.chat;
    // Updates without a chat (an inline message's press) and private chats go on.
    if (!chat || chat.type === 'private') return next();
    const t = translator(i18n, languageFromTelegram(ctx.from?.language_code));
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: t('group-press-private') });
      return;
    }
    if (ctx.hasCommand('start') && ctx.me.username) {
      // A product or shop link typed in the group opens the same page in private.
      const link = parseStartPayload(ctx.match);
      const payload = link && link.kind !== 'invalid' ? ctx.match.trim() : null;
      const url = payload ? startLink(ctx.me.username, payload) : `https://t.me/${ctx.me.username}`;
      await ctx.reply(t('group-open-private'), {
        parse_mode: 'HTML',
        reply_markup: keyboard([urlButton(t('group-button-open'), url)]),
      });
    }
  };
}
