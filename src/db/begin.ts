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
  parse(message: { text: string }): void;
  bind(): void;
  execute(): void;
};

/**
 * Sends `begin` and the statement `config` in one message sequence closed by one Sync, so that
 * when BEGIN fails the server skips the statement (it never runs outside the transaction) and
 * the statement fails with BEGIN's error. The answer holds BEGIN's results first.
 */
export function queryAfterBegin(
  client: pg.PoolClient,
  begin: PendingBegin,
  config: pg.QueryConfig,
): Promise<Results> {
  if (!config.values?.length && config.name === undefined) {
    // The simple protocol: one message, its statements run in order until the first error.
    const text = `${begin.statements.join('; ')}; ${config.text}`;
    return client.query({ ...config, text }) as unknown as Promise<Results>;
  }
  return new Promise((resolve, reject) => {
    const query = new pg.Query(config, (error: Error | undefined, results: unknown) =>
      error ? reject(error) : resolve(results as Results),
    );
    const submit = query.submit;
    // Parse, Bind and Execute each statement of BEGIN with no Sync of their own, just before the
    // statement's messages (which end with the Sync), in one write.
    query.submit = (connection) => {
      const protocol = connection as unknown as ProtocolConnection;
      protocol.stream.cork();
      try {
        for (const text of begin.statements) {
          protocol.parse({ text });
          protocol.bind();
          protocol.execute();
        }
        return submit.call(query, connection);
      } finally {
        protocol.stream.uncork();
      }
    };
    client.query(query);
  });
}
