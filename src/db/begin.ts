import pg from 'pg';

/**
 * A transaction's BEGIN (and, through a pooler, its SET LOCALs), sent in front of the
 * transaction's first statement rather than in a round trip of its own.
 */
export interface PendingBegin {
  /** Each statement alone: BEGIN …, then SET LOCAL … */
  readonly statements: readonly string[];
  /** Whether the server enforces the timeouts once it has run (SET LOCAL through a pooler). */
  readonly timeoutsLocal: boolean;
}

export function pendingBegin(begin: string, setup: string): PendingBegin {
  const locals = setup.split(';').map((statement) => statement.trim());
  return { statements: [begin, ...locals.filter(Boolean)], timeoutsLocal: setup !== '' };
}

type Results = pg.QueryResult | pg.QueryResult[];
type ProtocolConnection = {
  stream: { cork(): void; uncork(): void };
  parsedStatements: Record<string, unknown>;
  on(event: 'parseComplete', listener: () => void): void;
  removeListener(event: 'parseComplete', listener: () => void): void;
  parse(message: { text: string }): void;
  bind(): void;
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

/**
 * Sends `begin` and the statement `config` in one message sequence closed by one Sync, so that
 * when BEGIN fails the server skips the statement (it never runs outside the transaction) and
 * the statement fails with `BeginFailed`. The answer holds BEGIN's results first.
 */
export function queryAfterBegin(
  client: pg.PoolClient,
  begin: PendingBegin,
  config: pg.QueryConfig,
): Promise<Results> {
  // Without values, the simple protocol: one message, its statements run in order until the first error.
  const simple = !config.values?.length && config.name === undefined;
  const text = simple ? `${begin.statements.join('; ')}; ${config.text}` : config.text;
  return new Promise((resolve, reject) => {
    let protocol: ProtocolConnection | undefined;
    let parses = 0;
    let statementParse = false;
    const counted = () => {
      parses++;
    };
    const query = new pg.Query({ ...config, text }, (error: Error | undefined, results: unknown) => {
      protocol?.removeListener('parseComplete', counted);
      if (!error) return resolve(results as Results);
      // BEGIN's ParseComplete made the driver note the statement as parsed: undo that unless
      // the statement's own Parse completed.
      if (statementParse && parses <= begin.statements.length)
        delete protocol?.parsedStatements[config.name ?? ''];
      // An error comes before the ReadyForQuery that tells the transaction status: whether
      // BEGIN's CommandComplete arrived tells whether it ran.
      const { command } = (query as unknown as { _result: { command: string | null } })._result;
      const began = command !== null || Array.isArray((query as unknown as { _results: unknown })._results);
      reject(began ? error : new BeginFailed(error));
    });
    if (!simple) {
      const submit = query.submit;
      // Parse, Bind and Execute each statement of BEGIN with no Sync of their own, just before
      // the statement's messages (which end with the Sync), in one write.
      query.submit = (connection) => {
        protocol = connection as unknown as ProtocolConnection;
        const name = config.name;
        statementParse = name !== undefined && protocol.parsedStatements[name] === undefined;
        if (statementParse) protocol.on('parseComplete', counted);
        protocol.stream.cork();
        try {
          for (const statement of begin.statements) {
            protocol.parse({ text: statement });
            protocol.bind();
            protocol.execute();
          }
          return submit.call(query, connection);
        } finally {
          protocol.stream.uncork();
        }
      };
    }
    client.query(query);
  });
}
