// The seller side's shared pieces: what it keeps in the session (PostgreSQL, so a half-done
// registration or wizard survives a restart), its button actions and its dependencies.
import type { BotContext, FeatureDeps } from '../../context.ts';
import { callbackData } from '../../ui/callback-data.ts';
import { MENU_ACTIONS } from '../menu.ts';

export interface SellDeps extends FeatureDeps {
  /** The bot token: files sent in the chat are fetched from `<fileBaseUrl>/file/bot<token>/<path>`. */
  token: string;
  /** Default https://api.telegram.org (tests point it at a local server). */
  fileBaseUrl?: string;
}

export type WizardStep = 'title' | 'description' | 'category' | 'price' | 'cover' | 'file';
export const WIZARD_STEPS: readonly WizardStep[] = [
  'title',
  'description',
  'category',
  'price',
  'cover',
  'file',
];

/** A cover chosen in step 5 (a photo, or an image sent as a file), fetched from Telegram once the product exists. */
export interface PendingCover {
  fileId: string;
  sizeBytes: number;
  /** An image sent as a file keeps its name and type (a photo is Telegram's JPEG). */
  fileName?: string;
  contentType?: string;
}

export interface WizardState {
  step: WizardStep;
  title?: string;
  description?: string;
  categoryId?: number;
  priceCents?: number;
  cover?: PendingCover | null;
  /** The cover above is stored on the draft already (the upload page path stores it early). */
  coverSaved?: boolean;
  /**
   * The draft, once created at the file step (when the upload page needs it, or when storing a
   * chat file failed, so a retry reuses it); it follows later answers until its file arrives.
   */
  productId?: string;
}

export type ProductField = 'title' | 'description' | 'price';
/** What a product's owner may send to replace: a new file version, the cover, the preview. */
export type ProductMedia = 'file' | 'cover' | 'preview';
export type SettingField = 'name' | 'bio' | 'email' | 'address';

/** What the next message the seller types (or sends) answers. */
export type SellPrompt =
  | { on: 'register-email' }
  | { on: 'register-address'; email: string }
  | { on: 'wizard' }
  | { on: 'product'; productId: string; field: ProductField }
  | { on: 'media'; productId: string; kind: ProductMedia }
  | { on: 'setting'; field: SettingField }
  /** A new payout address shown back, waiting for Yes or No (typing another one replaces it). */
  | { on: 'address-confirm'; address: string };

/** The analytics messages last shown (two charts, then the summary), edited in place by the period buttons. */
export interface AnalyticsMessages {
  chartIds: number[];
  summaryId: number;
}

export interface SellSession {
  wizard?: WizardState;
  /** The album (media group) whose first item the seller's last answer took: its other items are let go. */
  album?: string;
  analytics?: AnalyticsMessages;
}

declare module '../../context.ts' {
  interface SessionData {
    sell?: SellSession;
  }
}

declare module '../../prompts.ts' {
  interface Prompts {
    sell: SellPrompt;
  }
}

export function sellSession(ctx: BotContext): SellSession {
  ctx.session.sell ??= {};
  return ctx.session.sell;
}

/** Button actions of the seller side: all start with "s" and a short name. */
export const SELL = {
  dashboard: 'sd',
  shopLink: 'sl',
  cancelPrompt: 'sx',
  registerCancel: 'sr.x',
  wizardNew: 'sw.new',
  wizardResume: 'sw.go',
  wizardBack: 'sw.back',
  wizardCancel: 'sw.x',
  wizardSkip: 'sw.skip',
  wizardCategory: 'sw.cat',
  products: 'sp.list',
  product: 'sp.open',
  edit: 'sp.edit',
  activate: 'sp.on',
  deactivate: 'sp.off',
  remove: 'sp.del',
  removeConfirmed: 'sp.delok',
  share: 'sp.share',
  category: 'sp.cat',
  setCategory: 'sp.setcat',
  media: 'sp.media',
  publishVersion: 'sp.pub',
  discardVersion: 'sp.drop',
  productAnalytics: 'sp.stats',
  analytics: 'sa',
  exportSales: 'sa.sales',
  exportProducts: 'sa.prods',
  settings: 'ss',
  setting: 'ss.edit',
  addressYes: 'ss.yes',
  addressNo: 'ss.no',
} as const;

export const SELL_BUTTONS = {
  dashboard: callbackData(SELL.dashboard),
  shopLink: callbackData(SELL.shopLink),
  exportSales: callbackData(SELL.exportSales),
  exportProducts: callbackData(SELL.exportProducts),
  cancelPrompt: callbackData(SELL.cancelPrompt),
  registerCancel: callbackData(SELL.registerCancel),
  wizardNew: callbackData(SELL.wizardNew),
  wizardResume: callbackData(SELL.wizardResume),
  wizardCancel: callbackData(SELL.wizardCancel),
  settings: callbackData(SELL.settings),
  addressYes: callbackData(SELL.addressYes),
  addressNo: callbackData(SELL.addressNo),
} as const;

/** A page of "my products" (0-based). */
export function productsPageData(page: number) {
  return callbackData(SELL.products, page);
}

const SELL_ACTION_NAMES = new Set<string>(Object.values(SELL));

/** True for data of one of our buttons (any arguments): pressing them keeps the seller's question. */
export function ownsSellAction(data: string): boolean {
  return SELL_ACTION_NAMES.has(data.split(':')[0] ?? '') || data === MENU_ACTIONS.sell;
}
