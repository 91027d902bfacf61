// The six-step add-product wizard: title → description → category → price → cover (optional)
// → file, with Back and Cancel at every step. Its state lives in the session (PostgreSQL), so a
// restart in the middle loses nothing. The file comes through the chat (up to 20 MB) or, when
// the marketplace is served over https, through the upload page (up to 10 GB): the page needs the
// product, so the draft is saved as the file step opens, and the wizard ends when its file
// arrives (the bot then says so in the chat). The seller then publishes it.
import { Composer, type MiddlewareFn } from 'grammy';
import type { Message } from 'grammy/types';
import { check, parseListedPrice, validateDescription, validateTitle } from '../../../domain/index.ts';
import { AppError } from '../../../services/errors.ts';
import type { BotContext } from '../../context.ts';
import { ask, clearPrompt } from '../../prompts.ts';
import { attempt, refusalText } from '../../refusals.ts';
import { actionPattern, callbackData } from '../../ui/callback-data.ts';
import { formatMoney } from '../../ui/format.ts';
import { button, keyboard, type MaybeButton, webAppButton } from '../../ui/keyboard.ts';
import { miniAppUrl, uploadPageUrl } from '../../ui/mini-app.ts';
import { type Screen, showScreen } from '../../ui/screen.ts';
import { categoryLabel } from '../buyer-shared.ts';
import { chatImageOf, claimAlbum, imageHeaderProblem, productFileOf } from './chat-media.ts';
import { dashboardButton, showSellerHome, withNotice } from './dashboard.ts';
import {
  SELL,
  SELL_BUTTONS,
  type SellDeps,
  sellSession,
  WIZARD_STEPS,
  type WizardState,
  type WizardStep,
} from './state.ts';
import { type ChatFile, storeChatFile } from './telegram-file.ts';

function stepQuestion(ctx: BotContext, step: WizardStep): string {
  switch (step) {
    case 'title':
      return ctx.t('sell-wizard-title');
    case 'description':
      return ctx.t('sell-wizard-description');
    case 'category':
      return ctx.t('sell-wizard-category');
    case 'price':
      return ctx.t('sell-wizard-price');
    case 'cover':
      return ctx.t('sell-wizard-cover');
    case 'file':
      return ctx.t('sell-wizard-file');
  }
}

/** What the seller already gave for this step (after Back), shown so they may keep it. */
function currentValue(ctx: BotContext, wizard: WizardState): string | null {
  switch (wizard.step) {
    case 'title':
      return wizard.title ?? null;
    case 'description':
      return wizard.description || null;
    case 'price':
      return wizard.priceCents === undefined ? null : formatMoney(ctx.locale.language, wizard.priceCents);
    default:
      return null;
  }
}

/** "Keep" moves on with the value already given; "Skip" leaves an optional step empty. */
function keepOrSkip(ctx: BotContext, wizard: WizardState): MaybeButton {
  const step = wizard.step;
  const has =
    (step === 'title' && wizard.title !== undefined) ||
    (step === 'description' && wizard.description !== undefined) ||
    (step === 'category' && wizard.categoryId !== undefined) ||
    (step === 'price' && wizard.priceCents !== undefined) ||
    (step === 'cover' && Boolean(wizard.cover));
  // The step rides in the data: the same button on an older step's message must not act here.
  const data = callbackData(SELL.wizardSkip, step);
  if (has) return button(ctx.t('sell-button-keep'), data);
  if (step === 'description' || step === 'cover') return button(ctx.t('sell-button-skip'), data);
  return null;
}

async function stepScreen(ctx: BotContext, deps: SellDeps, wizard: WizardState): Promise<Screen> {
  const n = WIZARD_STEPS.indexOf(wizard.step) + 1;
  const current = currentValue(ctx, wizard);
  const page =
    wizard.step === 'file' && wizard.productId ? uploadPageUrl(deps.settings, wizard.productId) : null;
  const lines = [
    ctx.t('sell-wizard-step', { n, total: WIZARD_STEPS.length }),
    stepQuestion(ctx, wizard.step),
    ...(current === null ? [] : [ctx.t('sell-wizard-current', { value: current })]),
    ...(wizard.step !== 'file'
      ? []
      : [page ? ctx.t('sell-wizard-file-page') : ctx.t('sell-upload-page-off')]),
  ];
  const categories: MaybeButton[][] =
    wizard.step === 'category'
      ? (await deps.services.catalog.categories()).map((c) => [
          button(
            `${c.id === wizard.categoryId ? '✅ ' : ''}${categoryLabel(ctx, c)}`,
            callbackData(SELL.wizardCategory, c.id),
          ),
        ])
      : [];
  return {
    text: lines.join('\n\n'),
    keyboard: keyboard(
      ...categories,
      [page !== null && webAppButton(ctx.t('sell-button-upload-page'), page)],
      [keepOrSkip(ctx, wizard)],
      [
        wizard.step !== 'title' &&
          button(ctx.t('sell-button-back'), callbackData(SELL.wizardBack, wizard.step)),
        button(ctx.t('sell-button-cancel'), SELL_BUTTONS.wizardCancel),
      ],
    ),
  };
}

async function goTo(ctx: BotContext, deps: SellDeps, wizard: WizardState, step: WizardStep, notice?: string) {
  wizard.step = step;
  ask(ctx, 'sell', { on: 'wizard' });
  if (step === 'file' && miniAppUrl(deps.settings, '/') !== null) {
    const saved = await saveDraft(ctx, deps, wizard);
    if (!saved.ok) notice = saved.message;
    else if (saved.coverLost) notice = ctx.t('sell-wizard-cover-lost');
  }
  const screen = await stepScreen(ctx, deps, wizard);
  await showScreen(ctx, withNotice(screen, notice));
}

function nextStep(step: WizardStep): WizardStep {
  return WIZARD_STEPS[Math.min(WIZARD_STEPS.indexOf(step) + 1, WIZARD_STEPS.length - 1)] as WizardStep;
}

function previousStep(step: WizardStep): WizardStep {
  return WIZARD_STEPS[Math.max(WIZARD_STEPS.indexOf(step) - 1, 0)] as WizardStep;
}

/** Repeats the current step with what went wrong above it. */
async function again(ctx: BotContext, deps: SellDeps, wizard: WizardState, problem: string): Promise<void> {
  await goTo(ctx, deps, wizard, wizard.step, problem);
}

/** A message sent while the wizard waits: text for steps 1, 2, 4; an image for 5; a file for 6. */
export async function wizardInput(ctx: BotContext, deps: SellDeps, message: Message): Promise<void> {
  const wizard = sellSession(ctx).wizard;
  if (!wizard) {
    clearPrompt(ctx, 'sell');
    return showSellerHome(ctx, deps);
  }
  const text = message.text;
  switch (wizard.step) {
    case 'title': {
      if (text === undefined) return again(ctx, deps, wizard, ctx.t('sell-error-text-expected'));
      const title = check(() => validateTitle(text));
      if (!title.ok) return again(ctx, deps, wizard, refusalText(ctx, title.error) ?? '');
      wizard.title = title.value;
      return goTo(ctx, deps, wizard, 'description');
    }
    case 'description': {
      if (text === undefined) return again(ctx, deps, wizard, ctx.t('sell-error-text-expected'));
      const description = check(() => validateDescription(text));
      if (!description.ok) return again(ctx, deps, wizard, refusalText(ctx, description.error) ?? '');
      wizard.description = description.value;
      return goTo(ctx, deps, wizard, 'category');
    }
    case 'category':
      return again(ctx, deps, wizard, ctx.t('sell-wizard-use-buttons'));
    case 'price': {
      if (text === undefined) return again(ctx, deps, wizard, ctx.t('sell-error-text-expected'));
      const price = check(() => parseListedPrice(text));
      if (!price.ok) return again(ctx, deps, wizard, refusalText(ctx, price.error) ?? '');
      wizard.priceCents = price.value;
      return goTo(ctx, deps, wizard, 'cover');
    }
    case 'cover': {
      const image = chatImageOf(ctx, message, 'cover');
      if (image === null) return again(ctx, deps, wizard, ctx.t('sell-wizard-cover-expected'));
      if (typeof image === 'string') return again(ctx, deps, wizard, image);
      const problem = image.unchecked ? await imageHeaderProblem(ctx, deps, image) : null;
      if (problem !== null) return again(ctx, deps, wizard, problem);
      const { fileId, fileName, contentType } = image.file;
      wizard.cover = { fileId, sizeBytes: image.sizeBytes, fileName, contentType };
      wizard.coverSaved = false;
      const album = claimAlbum(ctx, message);
      return goTo(ctx, deps, wizard, 'file', album ? ctx.t('sell-album-first-only') : undefined);
    }
    case 'file': {
      const file = productFileOf(ctx, message);
      if (typeof file === 'string') return again(ctx, deps, wizard, file);
      return finish(ctx, deps, wizard, file, claimAlbum(ctx, message));
    }
  }
}

/**
 * The draft the answers describe, created once and then kept in step with them (the seller may
 * have gone Back and changed one), with its cover stored once.
 */
async function saveDraft(
  ctx: BotContext,
  deps: SellDeps,
  wizard: WizardState,
): Promise<{ ok: true; productId: string; coverLost: boolean } | { ok: false; message: string }> {
  const sellerId = ctx.from?.id ?? 0;
  const { products } = deps.services;
  const answers = {
    title: wizard.title ?? '',
    description: wizard.description ?? '',
    categoryId: wizard.categoryId ?? 0,
    priceCents: wizard.priceCents ?? 0,
  };
  const existing = wizard.productId;
  const saved = await attempt(ctx, () =>
    existing ? products.edit(sellerId, existing, answers) : products.create(sellerId, answers),
  );
  if (!saved.ok) return saved;
  const productId = saved.value.id;
  wizard.productId = productId;
  let coverLost = false;
  if (wizard.cover && !wizard.coverSaved) {
    const attached = await storeChatFile(ctx, deps, productId, 'cover', {
      fileId: wizard.cover.fileId,
      fileName: wizard.cover.fileName ?? 'cover.jpg',
      contentType: wizard.cover.contentType ?? 'image/jpeg',
    });
    wizard.coverSaved = attached.ok;
    coverLost = !attached.ok;
  }
  return { ok: true, productId, coverLost };
}

/** Step 6 received in the chat: the draft, its cover, its file, then the way to publish it. */
async function finish(
  ctx: BotContext,
  deps: SellDeps,
  wizard: WizardState,
  document: ChatFile,
  fromAlbum: boolean,
): Promise<void> {
  const draft = await saveDraft(ctx, deps, wizard);
  if (!draft.ok) return again(ctx, deps, wizard, draft.message);
  const stored = await storeChatFile(ctx, deps, draft.productId, 'file', document);
  if (!stored.ok) return again(ctx, deps, wizard, stored.message);
  const coverLost = draft.coverLost;

  delete sellSession(ctx).wizard;
  clearPrompt(ctx, 'sell');
  const product = stored.value.product;
  const lines = [
    ctx.t('sell-wizard-done', {
      title: product.title,
      id: product.id,
      price: formatMoney(ctx.locale.language, product.priceCents),
    }),
    ...(coverLost ? [ctx.t('sell-wizard-cover-lost')] : []),
    ...(fromAlbum ? [ctx.t('sell-album-first-only')] : []),
  ];
  await showScreen(ctx, {
    text: lines.join('\n\n'),
    keyboard: keyboard(
      [button(ctx.t('sell-button-publish'), callbackData(SELL.activate, product.id))],
      [button(ctx.t('sell-button-open-product'), callbackData(SELL.product, product.id))],
      [dashboardButton(ctx)],
    ),
  });
}

/**
 * Ends a wizard whose draft got its file through the upload page (the chat was told, with the
 * way to publish): whatever the seller does next starts from the dashboard, not from step 6.
 */
export function endUploadedWizard(deps: SellDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const wizard = ctx.from && ctx.chat?.type === 'private' ? ctx.session.sell?.wizard : undefined;
    if (ctx.from && wizard?.step === 'file' && wizard.productId) {
      const product = await deps.services.products.own(ctx.from.id, wizard.productId);
      if (product && product.mainFileId !== null) {
        delete sellSession(ctx).wizard;
        clearPrompt(ctx, 'sell');
      }
    }
    return next();
  };
}

export function wizardComposer(deps: SellDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.callbackQuery(SELL.wizardNew, async (ctx) => {
    const seller = await attempt(ctx, () => deps.services.accounts.requireActiveSeller(ctx.from.id));
    if (!seller.ok) return ctx.answerCallbackQuery({ text: seller.message, show_alert: true });
    await ctx.answerCallbackQuery();
    const wizard: WizardState = { step: 'title' };
    sellSession(ctx).wizard = wizard;
    await goTo(ctx, deps, wizard, 'title');
  });

  // Every other wizard button needs a wizard in progress: without one it is a stale button.
  const inWizard = composer.filter((ctx) => ctx.from !== undefined && ctx.session.sell?.wizard !== undefined);
  const wizardOf = (ctx: BotContext) => sellSession(ctx).wizard as WizardState;

  inWizard.callbackQuery(SELL.wizardResume, async (ctx) => {
    await ctx.answerCallbackQuery();
    const wizard = wizardOf(ctx);
    await goTo(ctx, deps, wizard, wizard.step);
  });

  /** Back and Skip name the step their message asked; from an older step's message they are refused. */
  const outdated = (ctx: BotContext, step: string | undefined) => step !== wizardOf(ctx).step;

  inWizard.callbackQuery(actionPattern(SELL.wizardBack, 1), async (ctx) => {
    if (outdated(ctx, ctx.match[1]))
      return ctx.answerCallbackQuery({ text: ctx.t('sell-wizard-step-outdated') });
    await ctx.answerCallbackQuery();
    const wizard = wizardOf(ctx);
    await goTo(ctx, deps, wizard, previousStep(wizard.step));
  });

  inWizard.callbackQuery(actionPattern(SELL.wizardSkip, 1), async (ctx) => {
    const wizard = wizardOf(ctx);
    if (outdated(ctx, ctx.match[1]))
      return ctx.answerCallbackQuery({ text: ctx.t('sell-wizard-step-outdated') });
    if (!keepOrSkip(ctx, wizard)) return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    await ctx.answerCallbackQuery();
    if (wizard.step === 'description') wizard.description ??= '';
    if (wizard.step === 'cover') wizard.cover ??= null;
    await goTo(ctx, deps, wizard, nextStep(wizard.step));
  });

  inWizard.callbackQuery(actionPattern(SELL.wizardCategory, 1), async (ctx) => {
    const wizard = wizardOf(ctx);
    const category =
      wizard.step === 'category' ? await deps.services.catalog.category(Number(ctx.match[1])) : null;
    if (!category) return ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
    await ctx.answerCallbackQuery();
    wizard.categoryId = category.id;
    await goTo(ctx, deps, wizard, 'price');
  });

  inWizard.callbackQuery(SELL.wizardCancel, async (ctx) => {
    const state = sellSession(ctx);
    const productId = state.wizard?.productId;
    delete state.wizard;
    clearPrompt(ctx, 'sell');
    await ctx.answerCallbackQuery();
    // A draft created at the file step whose file never arrived goes with the wizard.
    if (productId) {
      try {
        await deps.services.products.delete(ctx.from.id, productId);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
    }
    await showSellerHome(ctx, deps, ctx.t('sell-wizard-cancelled'));
  });

  return composer;
}
