import { connect } from 'node:net';
import type pg from 'pg';

const CANCEL_REQUEST_CODE = 80877102;

/**
 * Asks the server (or the pooler in front of it, which forwards it) to cancel what `client` is
 * running: the protocol's CancelRequest, sent on a connection of its own. Best effort: a failure
 * to deliver it only means the statement runs on.
 */
export function sendCancel(client: pg.PoolClient): void {
  const { processID, secretKey, host, port } = client as pg.PoolClient & {
    processID?: number | null;
    secretKey?: number | null;
  };
  if (!processID || secretKey == null) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = host.startsWith('/') ? connect(`${host}/.s.PGSQL.${port}`) : connect(port, host);
  // The receiver closes the connection once it has acted; closing first would make PgBouncer
  // drop the request before it has forwarded it ("client unexpected eof").
  socket.setTimeout(5_000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('end', () => socket.destroy());
  socket.on('connect', () => socket.write(packet));
}
