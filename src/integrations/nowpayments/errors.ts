// One error class for every NOWPayments failure, in the application's error model (code
// `nowpayments_failed`, kind `unavailable`; its message quotes the provider, so it is never shown
// to clients). Callers branch on `providerCode` and `status`, and on `mayHaveSucceeded` for
// createPayment: when true, the provider may have created the payment even though we did not get
// its answer, so the order must not be treated as "no payment".
import { AppError } from '../../errors.ts';

/** Codes we set ourselves; any other `providerCode` is the provider's own (e.g. INVALID_API_KEY). */
export type NowPaymentsLocalCode =
  | 'TIMEOUT'
  | 'NETWORK_ERROR'
  | 'INVALID_RESPONSE'
  | 'INVALID_ARGUMENT'
  | 'RATE_LIMITED'
  | 'UNAUTHORIZED'
  | 'HTTP_ERROR';

export interface NowPaymentsErrorInit {
  operation: string;
  /** HTTP status of the last response; null when none arrived. */
  status: number | null;
  code: string;
  /** What went wrong, for logs. Never contains the API key. */
  detail: string;
  attempts: number;
  mayHaveSucceeded?: boolean;
  cause?: unknown;
}

export class NowPaymentsError extends AppError {
  readonly operation: string;
  readonly status: number | null;
  /** What went wrong: one of ours (NowPaymentsLocalCode) or the provider's. */
  readonly providerCode: string;
  readonly attempts: number;
  readonly mayHaveSucceeded: boolean;

  constructor(init: NowPaymentsErrorInit) {
    const status = init.status === null ? '' : ` HTTP ${init.status}`;
    const tries = init.attempts === 1 ? '1 attempt' : `${init.attempts} attempts`;
    super({
      kind: 'unavailable',
      code: 'nowpayments_failed',
      message: `NOWPayments ${init.operation} failed:${status} ${init.code}: ${init.detail} (${tries})`,
      cause: init.cause,
      public: false,
    });
    this.operation = init.operation;
    this.status = init.status;
    this.providerCode = init.code;
    this.attempts = init.attempts;
    this.mayHaveSucceeded = init.mayHaveSucceeded ?? false;
  }

  /** Wrong or missing API key (the live API answers 403, the simulator 401). */
  get isAuthError(): boolean {
    return this.status === 401 || this.status === 403 || this.providerCode === 'INVALID_API_KEY';
  }
}
