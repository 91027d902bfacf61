// A TCP proxy in front of PostgreSQL that holds back the rest of an answer for a moment after
// each error message. PostgreSQL flushes an ErrorResponse on its own, so on a busy machine or
// through a pooler the ReadyForQuery that follows (and tells the transaction status) can reach
// the client in a later read: this makes that happen every time.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface SplitAnswers {
  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string;
  close(): Promise<void>;
}

export async function splitAnswersAfterErrors(serverUrl: string, delayMs = 30): Promise<SplitAnswers> {
  const target = new URL(serverUrl);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    let forwarding = Promise.resolve();
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // Whole messages only: a type byte, then a length that counts itself.
      while (pending.length >= 5 && pending.length >= 1 + pending.readUInt32BE(1)) {
        const size = 1 + pending.readUInt32BE(1);
        const message = pending.subarray(0, size);
        pending = pending.subarray(size);
        const isError = message[0] === 0x45; // 'E'
        forwarding = forwarding.then(async () => {
          client.write(message);
          if (isError) await new Promise((resolve) => setTimeout(resolve, delayMs));
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url(url) {
      const through = new URL(url);
      through.hostname = '127.0.0.1';
      through.port = String(port);
      return through.toString();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
