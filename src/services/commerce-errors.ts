// Refusals specific to buying and paying, beside the shared families of errors.ts.
import { ServiceError } from './errors.ts';

/**
 * NOWPayments could not be reached or refused for a reason that is not the buyer's: try again
 * later. HTTP adapters answer 503. `mayHaveCreatedPayment` mirrors the client's
 * `mayHaveSucceeded` (the order keeps no payment row; an unpaid duplicate simply expires).
 */
export class PaymentProviderError extends ServiceError {
  readonly mayHaveCreatedPayment: boolean;
  constructor(operation: string, mayHaveCreatedPayment: boolean, options?: ErrorOptions) {
    super(
      'payment_provider_unavailable',
      `The payment provider failed (${operation}); try again in a moment.`,
      {
        operation,
      },
    );
    this.mayHaveCreatedPayment = mayHaveCreatedPayment;
    if (options?.cause) this.cause = options.cause;
  }
}
