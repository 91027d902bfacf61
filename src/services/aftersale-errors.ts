// Refusals specific to after-sale (downloads) that src/services/errors.ts has no class for. They
// extend the same ServiceError family, so adapters map them like the others.
import { ServiceError } from './errors.ts';

/** Too many download links asked for in the rolling window. HTTP 429 with Retry-After. */
export class RateLimitedError extends ServiceError {
  readonly retryAfterSec: number;
  constructor(limit: number, windowSec: number, retryAfterSec: number) {
    super('download_rate_limited', `At most ${limit} download links per ${windowSec / 60} minutes.`, {
      limit,
      retryAfterSec,
    });
    this.retryAfterSec = retryAfterSec;
  }
}

/** A download link that is unknown, already used or expired: the same answer for all three. HTTP 410. */
export class DownloadLinkInvalidError extends ServiceError {
  constructor() {
    super('download_link_invalid', 'This download link was already used or has expired: ask for a new one.');
  }
}
