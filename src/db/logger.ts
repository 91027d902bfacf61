/** Where the pool reports what it notices (leaks, lost connections, closing), in pino's argument order. */
export interface DbLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** The logger of a pool given none. */
export const silentLogger: DbLogger = { info() {}, warn() {}, error() {} };
