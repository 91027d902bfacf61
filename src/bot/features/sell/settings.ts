// Seller settings: name, bio, email and payout address. A new payout address is where the
// seller's money goes, so it is checked, shown back for a yes or no, and only then saved.
import { Composer } from 'grammy';
import { check, validateSolanaAddress } from '../../../domain/index.ts';
import type { SellerProfile } from '../../../services/accounts.ts';
import type { BotContext } from '../../context.ts';
import { ask, clearPrompt, pendingPrompt } from '../../prompts.ts';
import { answerAlert, attempt, refusalText } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { button, keyboard } from '../../ui/keyboard.ts';
import { type Screen, showScreen } from '../../ui/screen.ts';
import { truncate } from '../../ui/text.ts';
import { dashboardButton, withNotice } from './dashboard.ts';
import { SELL, SELL_BUTTONS, type SellDeps, type SellPrompt, type SettingField } from './state.ts';

const FIELDS: readonly SettingField[] = ['name', 'bio', 'email', 'address'];
const BIO_EXCERPT = 100;

function settingsScreen(ctx: BotContext, seller: SellerProfile): Screen {
  const bio = truncate(seller.bio, BIO_EXCERPT);
  return {
    text: ctx.t('sell-settings', {
      name: seller.name,
      bio: bio || '—',
      email: seller.email,
      address: seller.payoutAddress,
    }),
    keyboard: keyboard(
      [
        button(ctx.t('sell-button-setting-name'), callbackData(SELL.setting, 'name')),
        button(ctx.t('sell-button-setting-bio'), callbackData(SELL.setting, 'bio')),
      ],
      [
        button(ctx.t('sell-button-setting-email'), callbackData(SELL.setting, 'email')),
        button(ctx.t('sell-button-setting-address'), callbackData(SELL.setting, 'address')),
      ],
      [dashboardButton(ctx)],
    ),
  };
}

function settingQuestion(ctx: BotContext, field: SettingField): string {
  switch (field) {
    case 'name':
      return ctx.t('sell-setting-name');
    case 'bio':
      return ctx.t('sell-setting-bio');
    case 'email':
      return ctx.t('sell-setting-email');
    case 'address':
      return ctx.t('sell-setting-address');
  }
}

function cancelKeyboard(ctx: BotContext) {
  return keyboard([button(ctx.t('sell-button-cancel'), SELL_BUTTONS.cancelPrompt)]);
}

/** The new name, bio, email or payout address the seller typed. */
export async function settingInput(
  ctx: BotContext,
  deps: SellDeps,
  prompt: Extract<SellPrompt, { on: 'setting' | 'address-confirm' }>,
  text: string,
): Promise<void> {
  if (prompt.on === 'address-confirm' || prompt.field === 'address') {
    const address = check(() => validateSolanaAddress(text));
    if (!address.ok) {
      const problem = refusalText(ctx, address.error) ?? '';
      return showScreen(ctx, {
        text: `${problem}\n\n${settingQuestion(ctx, 'address')}`,
        keyboard: cancelKeyboard(ctx),
      });
    }
    ask(ctx, 'sell', { on: 'address-confirm', address: address.value });
    return showScreen(ctx, {
      text: ctx.t('sell-address-confirm', { address: address.value }),
      keyboard: keyboard([
        button(ctx.t('sell-button-address-yes'), SELL_BUTTONS.addressYes),
        button(ctx.t('sell-button-address-no'), SELL_BUTTONS.addressNo),
      ]),
    });
  }
  const patch = { [prompt.field]: text };
  const saved = await attempt(ctx, () =>
    deps.services.accounts.updateSellerSettings(ctx.from?.id ?? 0, patch),
  );
  if (!saved.ok) {
    return showScreen(ctx, {
      text: `${saved.message}\n\n${settingQuestion(ctx, prompt.field)}`,
      keyboard: cancelKeyboard(ctx),
    });
  }
  clearPrompt(ctx, 'sell');
  await showScreen(ctx, withNotice(settingsScreen(ctx, saved.value.profile), ctx.t('sell-setting-saved')));
}

export function settingsComposer(deps: SellDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  /** The presser's seller profile, or a polite no (a stale button from before registration). */
  async function sellerOf(ctx: BotContext): Promise<SellerProfile | null> {
    const seller = ctx.from ? await deps.services.accounts.sellerProfile(ctx.from.id) : null;
    if (!seller) await answerAlert(ctx, ctx.t('error-not-seller'));
    return seller;
  }

  composer.callbackQuery(SELL.settings, async (ctx) => {
    const seller = await sellerOf(ctx);
    if (!seller) return;
    await ctx.answerCallbackQuery();
    await showScreen(ctx, settingsScreen(ctx, seller));
  });

  composer.callbackQuery(actionPattern(SELL.setting, 1), async (ctx) => {
    const field = FIELDS.find((f) => f === ctx.match[1]);
    if (!field) return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    if (!(await sellerOf(ctx))) return;
    await ctx.answerCallbackQuery();
    ask(ctx, 'sell', { on: 'setting', field });
    await showScreen(ctx, { text: settingQuestion(ctx, field), keyboard: cancelKeyboard(ctx) });
  });

  // Only the address shown last can be confirmed, and only once: an older Yes is a stale button.
  composer.callbackQuery(SELL.addressYes, async (ctx) => {
    const pending = pendingPrompt(ctx, 'sell');
    if (pending?.on !== 'address-confirm') return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    clearPrompt(ctx, 'sell');
    const { address } = pending;
    const saved = await attempt(ctx, () =>
      deps.services.accounts.updateSellerSettings(ctx.from.id, { payoutAddress: address }),
    );
    if (!saved.ok) return answerAlert(ctx, saved.message);
    await ctx.answerCallbackQuery();
    const notice = saved.value.payoutAddressChanged
      ? ctx.t('sell-address-changed', { address })
      : ctx.t('sell-address-unchanged');
    await showScreen(ctx, withNotice(settingsScreen(ctx, saved.value.profile), notice));
  });

  composer.callbackQuery(SELL.addressNo, async (ctx) => {
    if (pendingPrompt(ctx, 'sell')?.on !== 'address-confirm') {
      return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    }
    clearPrompt(ctx, 'sell');
    const seller = await sellerOf(ctx);
    if (!seller) return;
    await ctx.answerCallbackQuery();
    await showScreen(ctx, withNotice(settingsScreen(ctx, seller), ctx.t('sell-address-kept')));
  });

  return composer;
}
