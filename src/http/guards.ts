// Cheap checks before a body is read: a request that comes with a body but without the header
// that must accompany it (the IPN signature, the mini app's initData) is refused at once and its
// connection closed, so nobody makes the server read bodies it will throw away.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { errorBody } from './errors.ts';

export interface Refusal {
  status: number;
  code: string;
  message: string;
  headers?: Readonly<Record<string, string>>;
  /** Told when a request is refused (metrics). */
  onRefused?: () => void;
}

/** An onRequest hook for a plugin's scope: `accepts` judges the header's value. */
export function refuseBodyWithout(
  header: string,
  accepts: (value: string) => boolean,
  refusal: Refusal,
): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!carriesBody(request)) return;
    const value = request.headers[header];
    if (typeof value === 'string' && accepts(value)) return;
    refusal.onRefused?.();
    reply.code(refusal.status).header('connection', 'close');
    for (const [name, text] of Object.entries(refusal.headers ?? {})) reply.header(name, text);
    return reply.send(errorBody(refusal.code, refusal.message));
  };
}

export function carriesBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}
