// One error class for every NOWPayments failure. Callers branch on `code` and `status`, and on
// `mayHaveSucceeded` for createPayment: when true, the provider may have created the payment
// even though we did not get its answer, so the order must not be treated as "no payment".

/** Codes we set ourselves; any other `code` is the provider's own (e.g. INVALID_API_KEY). */
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

export class NowPaymentsError extends Error {
  readonly operation: string;
  readonly status: number | null;
  readonly code: string;
  readonly attempts: number;
  readonly mayHaveSucceeded: boolean;

  constructor(init: NowPaymentsErrorInit) {
    const status = init.status === null ? '' : ` HTTP ${init.status}`;
    const tries = init.attempts === 1 ? '1 attempt' : `${init.attempts} attempts`;
    super(`NOWPayments ${init.operation} failed:${status} ${init.code}: ${init.detail} (${tries})`, {
      cause: init.cause,
    });
    this.name = 'NowPaymentsError';
    this.operation = init.operation;
    this.status = init.status;
    this.code = init.code;
    this.attempts = init.attempts;
    this.mayHaveSucceeded = init.mayHaveSucceeded ?? false;
  }

  /** Wrong or missing API key (the live API answers 403, the simulator 401). */
  get isAuthError(): boolean {
    return this.status === 401 || this.status === 403 || this.code === 'INVALID_API_KEY';
  }
}
