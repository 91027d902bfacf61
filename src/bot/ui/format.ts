// Numbers, amounts, sizes and dates as the reader's language writes them ("19,99 $US",
// "12 nov. 2026 à 14:05"), through Intl. Translations receive these strings; counts stay numbers
// so Fluent can choose the plural form.
import type { Language } from '../context.ts';

const LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-US' };

/** USD cents as money: $1,234.50 in English, 1 234,50 $US in French. */
export function formatMoney(language: Language, cents: number): string {
  return new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency: 'USD' }).format(cents / 100);
}

/** A count with the language's digit grouping. Ids are not counts: pass them as strings. */
export function formatCount(language: Language, value: number): string {
  return new Intl.NumberFormat(LOCALES[language]).format(value);
}

/** A decimal with a fixed number of digits, as the language writes it: 4.5 / 4,5. */
export function formatDecimal(language: Language, value: number, digits = 1): string {
  return new Intl.NumberFormat(LOCALES[language], {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** A byte count in the largest unit that keeps it readable: 46 KB, 2.5 MB, 3.4 GB (0 B for nothing). */
export function formatSize(language: Language, bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(LOCALES[language], {
    style: 'unit',
    unit: units[unit],
    // "byte" is also the short form in English ("0 byte"): under a kilobyte, the long form.
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/** A calendar day: 12 nov. 2026 / Nov 12, 2026. */
export function formatDate(language: Language, date: Date, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeZone }).format(date);
}

/** A moment: 12 nov. 2026, 14:05 UTC / Nov 12, 2026, 2:05 PM UTC. */
export function formatDateTime(language: Language, date: Date, timeZone = 'UTC'): string {
  const moment = new Intl.DateTimeFormat(LOCALES[language], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  });
  return `${moment.format(date)} ${timeZone}`;
}

/** How far a moment is from now: "dans 58 minutes", "il y a 3 jours", "in 2 hours". */
export function formatRelative(language: Language, date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const format = new Intl.RelativeTimeFormat(LOCALES[language], { numeric: 'auto' });
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(seconds, 'second');
}

/** How long ago a day was, in the largest sensible unit: today, yesterday, 5 days, 3 weeks, 4 months ago. */
export function formatAgo(language: Language, date: Date, now: Date = new Date()): string {
  const days = Math.floor((now.getTime() - date.getTime()) / 86_400_000);
  const format = new Intl.RelativeTimeFormat(LOCALES[language], { numeric: 'auto' });
  if (days < 14) return format.format(-Math.max(0, days), 'day');
  if (days < 60) return format.format(-Math.floor(days / 7), 'week');
  return format.format(-Math.floor(days / 30), 'month');
}

/** A percentage of 100: 12.5 → "12.5%" / "12,5 %"; signed → "+12.5%" / "−3 %" (one decimal at most). */
export function formatPercent(language: Language, percent: number, { signed = false } = {}): string {
  return new Intl.NumberFormat(LOCALES[language], {
    style: 'percent',
    maximumFractionDigits: 1,
    ...(signed ? { signDisplay: 'exceptZero' as const } : {}),
  }).format(percent / 100);
}
