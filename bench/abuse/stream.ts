// One traffic stream of bench:abuse, open loop: requests leave at a fixed rate, evenly spaced,
// whether or not earlier ones were answered, and each answer is classified by what its request
// asked (tally.ts), its latency recorded at microsecond resolution whatever its status.
// autocannon's fixed rate cannot do this: each connection sends its quota for the second back to
// back at the top of the second (its httpClient's reqsMadeThisSecond), so 300 req/s over 100
// connections arrive as bursts of 100, and a connection waiting out a hung dependency sends nothing.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../support/serving-harness';
import { classify, Tally, type RequestKind } from './tally';

export interface StreamRequest {
  kind: RequestKind;
  body: string;
  eventIds: string[];
}

export interface StreamOptions {
  rate: number;
  duration: number;
  /** Sent on the requests in turn, one a request (the storefront servers' keys, the over-limit client's); none: anonymous. */
  keys?: readonly string[];
  /** Seconds a request may wait for its answer before it counts as unanswered. */
  timeoutSeconds: number;
}

export interface StreamResult {
  sent: number;
  tally: Tally;
  timeouts: number;
  socketErrors: number;
  p50: number;
  p99: number;
  acknowledged: string[];
}

// Keep-alive sockets, as a storefront's server-side client keeps them; as many as a hung
// dependency's bound times the rate needs, so no request waits for a socket.
const agent = new http.Agent({ keepAlive: true, maxSockets: 4_000 });

function post(url: URL, body: string, key: string | undefined, timeoutMs: number): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    };
    if (key) headers.authorization = `Bearer ${key}`;
    const req = http.request(url, { method: 'POST', agent, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve([res.statusCode ?? 0, Buffer.concat(chunks).toString()]);
      });
      res.on('error', reject);
    });
    req.on('timeout', () => {
      req.destroy(new TimeoutError());
    });
    req.on('error', reject);
    req.end(body);
  });
}

class TimeoutError extends Error {
  constructor() {
    super('no answer within the stream timeout');
  }
}

export async function runStream(url: string, next: () => StreamRequest, o: StreamOptions): Promise<StreamResult> {
  const target = new URL(`${url}/graphql`);
  const tally = new Tally();
  const latencies = new LatencyRecorder();
  const acknowledged: string[] = [];
  let sent = 0;
  let timeouts = 0;
  let socketErrors = 0;
  const pending = new Set<Promise<void>>();
  const one = async () => {
    const r = next();
    const key = o.keys?.length ? o.keys[sent % o.keys.length] : undefined;
    const started = performance.now();
    try {
      const [status, body] = await post(target, r.body, key, o.timeoutSeconds * 1000);
      latencies.record(performance.now() - started);
      const outcome = classify(r.kind, status, body, r.eventIds.length);
      tally.add(outcome);
      if (outcome.acknowledged) acknowledged.push(...r.eventIds);
    } catch (err) {
      // Counted, not dropped: an unanswered request is what the phases' goals are about.
      if (err instanceof TimeoutError) timeouts += 1;
      else socketErrors += 1;
    }
  };
  const start = performance.now();
  const end = start + o.duration * 1000;
  for (let now = start; now < end; now = performance.now()) {
    const due = Math.floor(((now - start) / 1000) * o.rate);
    while (sent < due) {
      sent += 1;
      const p = one();
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  const { p50, p99 } = latencies.percentiles();
  return { sent, tally, timeouts, socketErrors, p50, p99, acknowledged };
}
