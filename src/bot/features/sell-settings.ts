// Seller settings: name, bio, email and payout address. A new payout address is where the
// seller's money goes, so it is checked, shown back for a yes or no, and only then saved.
import { Composer } from 'grammy';
import { check, validateSolanaAddress } from '../../domain/index.ts';
import { getSellerProfile, type SellerProfile } from '../../repositories/sellers.ts';
import { updateSellerSettings } from '../../services/accounts.ts';
import type { BotContext } from '../context.ts';
import { actionPattern, callbackData } from '../ui/callback-data.ts';
import { button, keyboard } from '../ui/keyboard.ts';
import { type Screen, showScreen } from '../ui/screen.ts';
import { dashboardButton, withNotice } from './sell-dashboard.ts';
import { attempt, refusalText, refuse } from './sell-errors.ts';
import {
  SELL,
  SELL_BUTTONS,
  type SellDeps,
  type SellPrompt,
  type SettingField,
  sellSession,
} from './sell-state.ts';

const FIELDS: readonly SettingField[] = ['name', 'bio', 'email', 'address'];
const BIO_EXCERPT = 100;

function settingsScreen(ctx: BotContext, seller: SellerProfile): Screen {
  const bio = seller.bio.length > BIO_EXCERPT ? `${seller.bio.slice(0, BIO_EXCERPT)}…` : seller.bio;
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
  prompt: Extract<SellPrompt, { on: 'setting' }>,
  text: string,
): Promise<void> {
  const state = sellSession(ctx);
  if (prompt.field === 'address') {
    const address = check(() => validateSolanaAddress(text));
    if (!address.ok) {
      const problem = refusalText(ctx, address.error) ?? '';
      return showScreen(ctx, {
        text: `${problem}\n\n${settingQuestion(ctx, 'address')}`,
        keyboard: cancelKeyboard(ctx),
      });
    }
    delete state.prompt;
    state.pendingAddress = address.value;
    return showScreen(ctx, {
      text: ctx.t('sell-address-confirm', { address: address.value }),
      keyboard: keyboard([
        button(ctx.t('sell-button-address-yes'), SELL_BUTTONS.addressYes),
        button(ctx.t('sell-button-address-no'), SELL_BUTTONS.addressNo),
      ]),
    });
  }
  const patch = { [prompt.field]: text };
  const saved = await attempt(ctx, () => updateSellerSettings(deps.db, ctx.from?.id ?? 0, patch));
  if (!saved.ok) {
    return showScreen(ctx, {
      text: `${saved.message}\n\n${settingQuestion(ctx, prompt.field)}`,
      keyboard: cancelKeyboard(ctx),
    });
  }
  delete state.prompt;
  await showScreen(ctx, withNotice(settingsScreen(ctx, saved.value.profile), ctx.t('sell-setting-saved')));
}

export function settingsComposer(deps: SellDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  /** The presser's seller profile, or a polite no (a stale button from before registration). */
  async function sellerOf(ctx: BotContext): Promise<SellerProfile | null> {
    const seller = ctx.from ? await getSellerProfile(deps.db, ctx.from.id) : null;
    if (!seller) await refuse(ctx, ctx.t('sell-error-not-seller'));
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
    sellSession(ctx).prompt = { on: 'setting', field };
    await showScreen(ctx, { text: settingQuestion(ctx, field), keyboard: cancelKeyboard(ctx) });
  });

  composer.callbackQuery(SELL.addressYes, async (ctx) => {
    const state = sellSession(ctx);
    const address = state.pendingAddress;
    if (!address) return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    delete state.pendingAddress;
    const saved = await attempt(ctx, () =>
      updateSellerSettings(deps.db, ctx.from.id, { payoutAddress: address }),
    );
    if (!saved.ok) return refuse(ctx, saved.message);
    await ctx.answerCallbackQuery();
    const notice = saved.value.payoutAddressChanged
      ? ctx.t('sell-address-changed', { address })
      : ctx.t('sell-address-unchanged');
    await showScreen(ctx, withNotice(settingsScreen(ctx, saved.value.profile), notice));
  });

  composer.callbackQuery(SELL.addressNo, async (ctx) => {
    const state = sellSession(ctx);
    if (!state.pendingAddress) return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    delete state.pendingAddress;
    const seller = await sellerOf(ctx);
    if (!seller) return;
    await ctx.answerCallbackQuery();
    await showScreen(ctx, withNotice(settingsScreen(ctx, seller), ctx.t('sell-address-kept')));
  });

  return composer;
}
