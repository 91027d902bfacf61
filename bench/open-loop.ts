// Offers requests at a steady rate whatever the answers (open loop), the way independent senders
// such as NOWPayments' IPNs arrive, and times each one from when it was due: an answer that holds
// up the requests behind it counts against each of them (no coordinated omission). autocannon's
// `overallRate` is not that: each connection sends its share of the second back to back, then
// waits for the next second, so the server sees a burst at the top of every second.
import http from 'node:http';

export interface OpenLoopRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface OpenLoopResult {
  offered: number;
  /** Answers with a 2xx status per second, from the first due time to the last answer. */
  requestsPerSec: number;
  /** From each request's due time to the end of its answer. */
  latencyMs: { p50: number; p99: number; max: number };
  /** Non-2xx answers, connection errors and requests unanswered after 10 s. */
  errors: number;
}

/** Sends `requests` in order, one every `1000 / rate` ms, over at most `maxSockets` keep-alive connections. */
export async function openLoop(options: {
  base: string;
  rate: number;
  requests: readonly OpenLoopRequest[];
  maxSockets: number;
}): Promise<OpenLoopResult> {
  const { rate, requests } = options;
  const { hostname, port } = new URL(options.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  let lastAnswer = started;
  await new Promise<void>((resolve) => {
    let sent = 0;
    let answered = 0;
    const answer = (due: number, ok: boolean) => {
      lastAnswer = performance.now();
      latencies.push(lastAnswer - due);
      if (!ok) errors++;
      if (++answered === requests.length) resolve();
    };
    const send = (request: OpenLoopRequest, due: number) => {
      const headers = { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
      http
        .request(
          { agent, hostname, port, method: request.method, path: request.path, headers, timeout: 10_000 },
          (res) => {
            res.resume();
            res.on('end', () => answer(due, (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
            res.on('error', () => answer(due, false));
          },
        )
        .on('timeout', function (this: http.ClientRequest) {
          this.destroy(new Error('no answer within 10 s'));
        })
        .on('error', () => answer(due, false))
        .end(request.body);
    };
    // Each tick sends every request already due (timers fire late on a busy machine; the due
    // times, not the tick, set the rate and the clock each request is timed from).
    const tick = () => {
      const now = performance.now();
      while (sent < requests.length && started + sent * interval <= now) {
        send(requests[sent] as OpenLoopRequest, started + sent * interval);
        sent++;
      }
      if (sent < requests.length)
        setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
    };
    tick();
  });
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0) * 10) / 10;
  return {
    offered: rate,
    requestsPerSec: Math.round(((requests.length - errors) / (lastAnswer - started)) * 1000),
    latencyMs: { p50: at(0.5), p99: at(0.99), max: at(1) },
    errors,
  };
}
