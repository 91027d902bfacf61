// A product's rating blends reviews carried over from another shop (only their average and count
// are known) with local reviews, each review weighing the same.

export interface RatingInputs {
  /** Average of the imported reviews, 0–5 (ignored when importedCount is 0). */
  readonly importedAverage: number;
  readonly importedCount: number;
  /** Sum of the local reviews' stars. */
  readonly localSum: number;
  readonly localCount: number;
}

export interface RatingSummary {
  /** Weighted average rounded half-up to one decimal, or null without any review. */
  readonly rating: number | null;
  /** Imported plus local reviews: the count shown next to the stars. */
  readonly count: number;
}

/**
 * (importedAverage × importedCount + localSum) / (importedCount + localCount), one decimal.
 * Computed in hundredths of a star with integers, so 4.25 rounds to 4.3, never to 4.2.
 */
export function productRating(inputs: RatingInputs): RatingSummary {
  const { importedAverage, importedCount, localSum, localCount } = inputs;
  for (const [name, value] of Object.entries({ importedCount, localSum, localCount })) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`${name} must be a non-negative integer`);
  }
  if (!(importedAverage >= 0 && importedAverage <= 5))
    throw new RangeError('importedAverage must be within 0–5');
  if (localSum < localCount || localSum > localCount * 5) {
    throw new RangeError('localSum must lie between 1 and 5 stars per local review');
  }
  const count = importedCount + localCount;
  if (count === 0) return { rating: null, count: 0 };
  // Imported averages are stored with two decimals at most; round away binary noise (4.7 → 470).
  const importedHundredths = Math.round(importedAverage * 100);
  const totalHundredths = importedHundredths * importedCount + localSum * 100;
  // tenths = round(total / (count × 10)), half-up: floor((2·total + count·10) / (2·count·10)).
  const numerator = 2 * totalHundredths + count * 10;
  const denominator = 2 * count * 10;
  const tenths = (numerator - (numerator % denominator)) / denominator;
  return { rating: tenths / 10, count };
}
