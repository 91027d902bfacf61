// /admin and its buttons, all behind the ADMIN_IDS guard: the support inbox, users, products,
// payouts, exports, the audit log and statistics. Every action goes through the services, which
// check the Moderator (built from the sender's verified Telegram id on each update) and audit it
// in the action's transaction. A non-admin's update passes by untouched: a forged admin button
// reaches the stale-button fallback and learns nothing.
import type { Composer } from 'grammy';
import { InvalidInputError } from '../../../errors.ts';
import { adminCheck, adminComposer } from '../../admin.ts';
import type { BotContext, FeatureDeps } from '../../context.ts';
import { clearPrompt, pendingPrompt } from '../../prompts.ts';
import { acknowledge } from '../../refusals.ts';
import { actionPattern } from '../../ui/callback-data.ts';
import { showScreen } from '../../ui/screen.ts';
import { auditArea } from './audit.ts';
import { exportsArea } from './exports.ts';
import { inboxArea } from './inbox.ts';
import { adminKit, type PromptAnswer } from './kit.ts';
import { payoutsArea } from './payouts.ts';
import { productsArea } from './products.ts';
import { menuScreen, statsScreen } from './screens.ts';
import { ADMIN } from './state.ts';
import { usersArea } from './users.ts';

export { ownsAdminAction } from './state.ts';

export function adminFeature(deps: FeatureDeps): Composer<BotContext> {
  const { moderation, support } = deps.services;
  const { composer, admin } = adminComposer(adminCheck(moderation));
  const kit = adminKit(deps);

  async function showMenu(ctx: BotContext): Promise<void> {
    const counts = await support.inboxCounts(kit.moderator(ctx));
    await showScreen(ctx, menuScreen(ctx, counts.open + counts.pending_admin));
  }

  admin.command('admin', async (ctx) => {
    clearPrompt(ctx, 'admin');
    await showMenu(ctx);
  });

  admin.callbackQuery(actionPattern(ADMIN.menu), async (ctx) => {
    clearPrompt(ctx, 'admin');
    await acknowledge(ctx);
    await showMenu(ctx);
  });

  admin.callbackQuery(actionPattern(ADMIN.cancel), async (ctx) => {
    clearPrompt(ctx, 'admin');
    await acknowledge(ctx, ctx.t('admin-cancelled'));
    await showMenu(ctx);
  });

  admin.callbackQuery(actionPattern(ADMIN.stats), async (ctx) => {
    await acknowledge(ctx);
    await showScreen(ctx, statsScreen(ctx, await moderation.stats(kit.moderator(ctx))));
  });

  const answers: PromptAnswer[] = [];
  for (const area of [inboxArea, usersArea, productsArea, payoutsArea, exportsArea, auditArea]) {
    const answer = area(admin, kit);
    if (answer) answers.push(answer);
  }

  // The answer to the pending question; anything else goes on (a command, the search…).
  admin.on('message:text', async (ctx, next) => {
    const prompt = pendingPrompt(ctx, 'admin');
    if (!prompt || ctx.message.text.startsWith('/')) return next();
    try {
      for (const answer of answers) if (await answer(ctx, prompt, ctx.message.text)) return;
    } catch (error) {
      // Bad input keeps the question open for another try; a refused action ends it.
      if (!(error instanceof InvalidInputError)) clearPrompt(ctx, 'admin');
      await kit.refuse(ctx, error);
    }
  });

  return composer;
}
