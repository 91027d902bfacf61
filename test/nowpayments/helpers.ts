// Small local HTTP servers for the NOWPayments tests: a scripted fake API (to make the client
// meet 503s, 429s, slow and broken answers) and an IPN receiver that keeps the raw bodies.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ScriptedServer {
  url: string;
  port: number;
  requests: Received[];
  close(): Promise<void>;
}

export type Script = (request: Received, n: number, res: ServerResponse) => unknown;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** An HTTP server on 127.0.0.1 that answers request n (1-based) with `script`. */
export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const requests: Received[] = [];
  const server = createServer(async (req, res) => {
    const received = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: await readBody(req),
    };
    requests.push(received);
    try {
      await script(received, requests.length, res);
    } catch {
      res.destroy();
    }
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html' : 'application/json',
    ...headers,
  });
  res.end(text);
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A payment body in the provider's shape, for fake API answers. */
export function wirePayment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    payment_id: 5_077_125_051,
    payment_status: 'waiting',
    pay_address: 'bc1qexampleexampleexampleexampleexample00',
    price_amount: 12.49,
    price_currency: 'usd',
    pay_amount: 0.00020817,
    actually_paid: 0,
    pay_currency: 'btc',
    order_id: 'order-1',
    order_description: 'A product',
    purchase_id: '4077125051',
    outcome_amount: 0.0002071,
    outcome_currency: 'btc',
    created_at: '2026-01-02T03:04:05.678Z',
    updated_at: '2026-01-02T03:04:05.678Z',
    ...overrides,
  };
}

/**
 * `value` as JSON text spelled differently from JSON.stringify but meaning the same: every number
 * in exponent form (26.49 → 2.649e+1), keys in reverse order, spaces after separators.
 */
export function respelled(value: unknown): string {
  if (typeof value === 'number') return value.toExponential();
  if (Array.isArray(value)) return `[${value.map(respelled).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value)
      .reverse()
      .map(([key, field]) => `${JSON.stringify(key)}: ${respelled(field)}`);
    return `{ ${fields.join(', ')} }`;
  }
  return JSON.stringify(value);
}
