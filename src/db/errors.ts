// Every failure of the data layer is one of these classes, so callers branch on meaning
// (`instanceof UniqueViolationError`), never on driver messages. Each has a stable `code` and a
// `kind` (src/errors.ts); messages may quote SQL, so they are never shown to clients.
import { AppError, type ErrorKind } from '../errors.ts';

export class DbError extends AppError {
  constructor(message: string, options: ErrorOptions & { kind?: ErrorKind; code?: string } = {}) {
    super({
      kind: options.kind ?? 'internal',
      code: options.code ?? 'db_error',
      message,
      cause: options.cause,
      public: false,
    });
  }
}

/** No connection became free within the acquire timeout (queue wait included). */
export class PoolSaturatedError extends DbError {
  readonly holders: readonly string[];
  constructor(waitedMs: number, max: number, holders: readonly string[]) {
    const who = holders.length ? `\nHeld by:\n${holders.join('\n---\n')}` : '';
    super(`Pool saturated: all ${max} connections stayed busy for ${waitedMs} ms.${who}`, {
      kind: 'unavailable',
      code: 'db_pool_saturated',
    });
    this.holders = holders;
  }
}

/** The wait queue is full: the call is refused at once instead of piling up. */
export class PoolQueueFullError extends DbError {
  constructor(maxWaiters: number) {
    super(`Pool queue full: ${maxWaiters} callers are already waiting for a connection.`, {
      kind: 'unavailable',
      code: 'db_pool_queue_full',
    });
  }
}

export class PoolClosedError extends DbError {
  constructor() {
    super('Pool closed: the database is shutting down and takes no new work.', {
      kind: 'unavailable',
      code: 'db_pool_closed',
    });
  }
}

/** Waiting would never end: the calling code already holds every connection the pool may open. */
export class NestedAcquireError extends DbError {
  constructor(held: number, max: number) {
    super(
      `This code already holds ${held} of the pool's ${max} connections and asked for another: ` +
        'it would wait forever. Pass the open transaction or connection to the code you call instead of the database.',
      { kind: 'internal', code: 'db_nested_acquire' },
    );
  }
}

export class ConnectionReleasedError extends DbError {
  constructor(what = 'connection') {
    super(`This ${what} was already given back to the pool and takes no more queries.`, {
      kind: 'internal',
      code: 'db_connection_released',
    });
  }
}

export class ConnectionFailedError extends DbError {
  constructor(cause: unknown) {
    super(`Could not open a database connection: ${messageOf(cause)}`, {
      cause,
      kind: 'unavailable',
      code: 'db_connection_failed',
    });
  }
}

/** The connection died while in use (server restart, terminated backend, network). */
export class ConnectionLostError extends DbError {
  constructor(cause: unknown) {
    super(`The database connection was lost: ${messageOf(cause)}`, {
      cause,
      kind: 'unavailable',
      code: 'db_connection_lost',
    });
  }
}

/** Refused before it was sent: its effect on the session would reach other statements or clients. */
export class SessionStatementError extends DbError {
  constructor(message: string) {
    super(message, { kind: 'internal', code: 'db_session_statement' });
  }
}

/** A bigint outside ±(2^53 - 1) cannot become a JavaScript number without losing digits. */
export class UnsafeIntegerError extends DbError {
  constructor(text: string) {
    super(
      `The bigint ${text} is beyond JavaScript's safe integers (±9007199254740991) and would lose digits: ` +
        'select it as text (or numeric) instead.',
      { kind: 'internal', code: 'db_unsafe_integer' },
    );
  }
}

export class NoRowError extends DbError {
  constructor(sql: string) {
    super(`Expected one row, got none: ${shorten(sql)}`, { kind: 'internal', code: 'db_no_row' });
  }
}

export class TooManyRowsError extends DbError {
  constructor(sql: string, count: number) {
    super(`Expected at most one row, got ${count}: ${shorten(sql)}`, {
      kind: 'internal',
      code: 'db_too_many_rows',
    });
  }
}

/** A statement the server answered with an error; `sqlState` is PostgreSQL's SQLSTATE. */
export class QueryError extends DbError {
  readonly sqlState: string | undefined;
  readonly constraint: string | undefined;
  readonly table: string | undefined;
  readonly detail: string | undefined;
  constructor(message: string, cause: PgErrorFields, kind: ErrorKind = 'internal', code = 'db_query_failed') {
    super(message, { cause, kind, code });
    this.sqlState = cause.code;
    this.constraint = cause.constraint;
    this.table = cause.table;
    this.detail = cause.detail;
  }
}

export class StatementTimeoutError extends QueryError {
  constructor(message: string, cause: PgErrorFields) {
    super(message, cause, 'unavailable', 'db_statement_timeout');
  }
}
export class UniqueViolationError extends QueryError {
  constructor(message: string, cause: PgErrorFields) {
    super(message, cause, 'conflict', 'db_unique_violation');
  }
}
export class ForeignKeyViolationError extends QueryError {
  constructor(message: string, cause: PgErrorFields) {
    super(message, cause, 'invalid', 'db_foreign_key_violation');
  }
}
export class CheckViolationError extends QueryError {
  constructor(message: string, cause: PgErrorFields) {
    super(message, cause, 'invalid', 'db_check_violation');
  }
}
export class NotNullViolationError extends QueryError {
  constructor(message: string, cause: PgErrorFields) {
    super(message, cause, 'invalid', 'db_not_null_violation');
  }
}
/** Serialization failure or deadlock: the transaction may succeed if run again. */
export class TransactionConflictError extends QueryError {
  constructor(message: string, cause: PgErrorFields) {
    super(message, cause, 'conflict', 'db_transaction_conflict');
  }
}

export interface PgErrorFields {
  code?: string;
  message: string;
  constraint?: string;
  table?: string;
  detail?: string;
}

const QUERY_ERRORS: Record<string, new (message: string, cause: PgErrorFields) => QueryError> = {
  '57014': StatementTimeoutError,
  '23505': UniqueViolationError,
  '23503': ForeignKeyViolationError,
  '23001': ForeignKeyViolationError, // restrict_violation
  '23514': CheckViolationError,
  '23502': NotNullViolationError,
  '40001': TransactionConflictError,
  '40P01': TransactionConflictError,
};

// Classes 08 (connection exception) and 57P (operator intervention) end the session.
const CONNECTION_ENDING_STATE = /^(08|57P)/;

/** Turns whatever the driver threw into one of the classes above. */
export function toDbError(error: unknown, sql: string): DbError {
  if (error instanceof DbError) return error;
  const fields = error as PgErrorFields & { severity?: string };
  if (typeof fields?.code === 'string' && typeof fields.severity === 'string') {
    if (CONNECTION_ENDING_STATE.test(fields.code) || fields.severity === 'FATAL') {
      return new ConnectionLostError(error);
    }
    if (fields.code === '57014' && !/statement timeout/.test(fields.message)) {
      return new QueryError(`Query canceled: ${fields.message} (${shorten(sql)})`, fields);
    }
    const ErrorClass = QUERY_ERRORS[fields.code] ?? QueryError;
    return new ErrorClass(`${fields.message} (${shorten(sql)})`, fields);
  }
  if (isSocketFailure(error)) return new ConnectionLostError(error);
  return new DbError(`${messageOf(error)} (${shorten(sql)})`, { cause: error });
}

/** Client-side failures of the socket (no server error code): the session is gone. */
function isSocketFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return typeof message === 'string' && /Connection terminated|not queryable|connection error/i.test(message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function shorten(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}
