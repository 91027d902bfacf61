// Everything a chart writes, in the seller's language: amounts, counts and dates come from Intl
// (so "$1,234.50" / "1 234,50 $US", "Nov 12" / "12 nov."), the few words from the table below.

export type ChartLocale = 'fr' | 'en';

const INTL_LOCALE: Record<ChartLocale, string> = { fr: 'fr-FR', en: 'en-US' };

const WORDS = {
  fr: { noSales: 'Aucune vente sur cette période', total: 'total', sale: 'vente', sales: 'ventes' },
  en: { noSales: 'No sales in this period', total: 'total', sale: 'sale', sales: 'sales' },
} as const;

export interface ChartFormat {
  readonly noSales: string;
  /** The caption under the period's total: "total", or "sale"/"sales" by plural rule. */
  totalCaption(kind: 'revenue' | 'sales', total: number): string;
  /** Cents as a full amount: 123450 → "$1,234.50". */
  money(cents: number): string;
  /** A y-axis amount in dollars, with cents only when the axis needs them. */
  axisMoney(dollars: number, withCents: boolean): string;
  count(value: number): string;
  /** A tick under the x-axis: "Nov 12" / "12 nov.". */
  day(utc: number): string;
  /** The period: "Oct 12 – Nov 10, 2025" / "12 oct. – 10 nov. 2025". */
  range(fromUtc: number, toUtc: number): string;
}

export function chartFormat(locale: ChartLocale): ChartFormat {
  if (!Object.hasOwn(WORDS, locale)) throw new RangeError(`chart locale must be fr or en, got ${locale}`);
  const tag = INTL_LOCALE[locale];
  const words = WORDS[locale];
  const money = new Intl.NumberFormat(tag, { style: 'currency', currency: 'USD' });
  const wholeMoney = new Intl.NumberFormat(tag, {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
  });
  const count = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  // Days are UTC midnights: formatting them in UTC keeps the day whatever the server's zone.
  const day = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const range = new Intl.DateTimeFormat(tag, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const plural = new Intl.PluralRules(tag);
  return {
    noSales: words.noSales,
    totalCaption: (kind, total) =>
      kind === 'revenue' ? words.total : plural.select(total) === 'one' ? words.sale : words.sales,
    money: (cents) => money.format(cents / 100),
    axisMoney: (dollars, withCents) => (withCents ? money : wholeMoney).format(dollars),
    count: (value) => count.format(value),
    day: (utc) => day.format(utc),
    range: (fromUtc, toUtc) =>
      fromUtc === toUtc ? range.format(fromUtc) : range.formatRange(fromUtc, toUtc),
  };
}
