import pg from 'pg';

/**
 * A transaction's BEGIN (and, through a pooler, the statement setting its local timeouts), sent
 * in front of the transaction's first statement rather than in a round trip of its own.
 */
export interface PendingBegin {
  /** BEGIN …, then the setup statement if any; their results come before the statement's. */
  readonly statements: readonly string[];
  /** Whether the server enforces the timeouts once it has run (local timeouts through a pooler). */
  readonly timeoutsLocal: boolean;
}

export function pendingBegin(begin: string, setup: string): PendingBegin {
  return { statements: setup ? [begin, setup] : [begin], timeoutsLocal: setup !== '' };
}

type Results = pg.QueryResult | pg.QueryResult[];
type ProtocolConnection = {
  stream: { cork(): void; uncork(): void };
  parsedStatements: Record<string, unknown>;
  on(event: 'parseComplete', listener: () => void): void;
  removeListener(event: 'parseComplete', listener: () => void): void;
  parse(message: { text: string }): void;
  bind(): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(): void;
};

/** BEGIN failed (or the connection did) before it completed: the server ran nothing behind it. */
export class BeginFailed extends Error {
  readonly reason: unknown;

  constructor(reason: unknown) {
    super('BEGIN failed');
    this.reason = reason;
  }
}

/** One statement, as the lease sends it. */
export interface Statement {
  text: string;
  values: unknown[] | undefined;
  /** Its prepared statement's name, when prepared statements are on and it has values. */
  name: string | undefined;
  rowMode: 'object' | 'array';
}

/**
 * Sends one statement. With `begin`, BEGIN goes first in the same message sequence, closed by
 * one Sync: when BEGIN fails the server skips the statement (it never runs outside the
 * transaction) and the statement fails with `BeginFailed`; the answer holds BEGIN's results first.
 */
export function submit(client: pg.PoolClient, statement: Statement, begin?: PendingBegin): Promise<Results> {
  const { name, values } = statement;
  // Without values, the simple protocol: one message, its statements run in order until the first error.
  const simple = !values?.length && name === undefined;
  const text = begin && simple ? `${begin.statements.join('; ')}; ${statement.text}` : statement.text;
  return new Promise((resolve, reject) => {
    let protocol: ProtocolConnection | undefined;
    let parses = 0;
    let statementParse = false;
    const counted = () => {
      parses++;
    };
    const callback = (error: Error | undefined, results: unknown) => {
      if (!begin) return error ? reject(error) : resolve(results as Results);
      protocol?.removeListener('parseComplete', counted);
      if (!error) return resolve(results as Results);
      // BEGIN's ParseComplete made the driver note the statement as parsed: undo that unless
      // the statement's own Parse completed.
      if (statementParse && parses <= begin.statements.length) delete protocol?.parsedStatements[name ?? ''];
      // An error comes before the ReadyForQuery that tells the transaction status: whether
      // BEGIN's CommandComplete arrived tells whether it ran.
      const { command } = (query as unknown as { _result: { command: string | null } })._result;
      const began = command !== null || Array.isArray((query as unknown as { _results: unknown })._results);
      reject(began ? error : new BeginFailed(error));
    };
    // Built from the text: given a config object, the driver copies it property by property.
    const query =
      statement.rowMode === 'array'
        ? new pg.Query({ text, values, rowMode: 'array' } as pg.QueryConfig, callback)
        : new pg.Query(text, values, callback);
    if (name !== undefined) (query as unknown as { name: string }).name = name;
    if (begin && !simple) {
      const send = query.submit;
      // Parse, Bind (Describe) and Execute each statement of BEGIN with no Sync of their own, just before
      // the statement's messages (which end with the Sync), in one write.
      query.submit = (connection) => {
        const wire = connection as unknown as ProtocolConnection;
        protocol = wire;
        statementParse = name !== undefined && wire.parsedStatements[name] === undefined;
        if (statementParse) wire.on('parseComplete', counted);
        wire.stream.cork();
        try {
          begin.statements.forEach((statement, i) => {
            wire.parse({ text: statement });
            wire.bind();
            // The setup statement's rows need their description: the driver reads no row without one.
            if (i > 0) wire.describe({ type: 'P', name: '' });
            wire.execute();
          });
          return send.call(query, connection);
        } finally {
          wire.stream.uncork();
        }
      };
    }
    client.query(query);
  });
}
