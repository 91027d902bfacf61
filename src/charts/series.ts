// A daily series as the analytics code hands it over: one point per calendar day, in order,
// with no gap (a day without sales is a zero, not a missing point). Checked here so that a
// bug upstream shows as a clear error instead of a chart that silently skips days.

export interface DailyPoint {
  /** A calendar day, 'YYYY-MM-DD'. */
  readonly day: string;
  /** Revenue in integer US cents, or a number of sales. */
  readonly value: number;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' → milliseconds at UTC midnight; throws on anything that is not a real day. */
export function dayToUtc(day: string): number {
  const match = DAY.exec(day);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  // Date.UTC rolls 2025-02-30 over to March: reading the day back catches it.
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`chart day must be a calendar day 'YYYY-MM-DD', got ${JSON.stringify(day)}`);
  }
  return time;
}

/** Throws a RangeError unless the days follow each other and every value is a whole number ≥ 0. */
export function assertDailySeries(series: readonly DailyPoint[]): void {
  let previous: number | undefined;
  for (const { day, value } of series) {
    const time = dayToUtc(day);
    if (previous !== undefined && time !== previous + DAY_MS) {
      throw new RangeError(`chart days must be consecutive: ${day} does not follow the day before it`);
    }
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`chart value for ${day} must be a whole number ≥ 0, got ${value}`);
    }
    previous = time;
  }
}
