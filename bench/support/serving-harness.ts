// The machinery the serving benchmarks share (bench:serving, bench:realtime): servers in child
// processes that print "READY <url>", autocannon runs with microsecond percentiles, and the
// server's own CPU time and resident memory read from /proc (robust to other load on the machine).
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { present } from './present';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The gateway as `recs serve` builds it, in a child process. */
export const GATEWAY_SCRIPT = 'bench/serving/gateway-server.ts';

export interface Server {
  child: ChildProcess;
  url: string;
}

export type Summary = {
  name: string;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  requests: number;
  cpuUsPerReq: number;
  rssMb: number;
  hitPercent: number | null;
  /** Per kind of request, when the bodies name their kind (the storefront mix): count and percentiles. */
  byKind: Record<string, { count: number; p50: number; p99: number }>;
};

/** A request body, optionally with its kind, so the run reports latency per kind. */
export type Body = string | { body: string; kind: string };

/** The q-quantile (0 < q <= 1) of ascending values: the smallest value with at least q of them at or below it. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (!n) return 0;
  return present(sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))], 'a percentile');
}

/**
 * Latency percentiles at microsecond resolution. autocannon's own histogram keeps whole
 * milliseconds, too coarse to compare two servers whose p99 is 3-6 ms; its 'response' event gives
 * each 2xx response's time as a float, measured by autocannon exactly as it measures its own.
 */
export class LatencyRecorder {
  private values = new Float64Array(1 << 17);
  private n = 0;

  get count(): number {
    return this.n;
  }

  record(ms: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = ms;
  }

  percentiles(): { p50: number; p90: number; p99: number; max: number } {
    const sorted = this.values.subarray(0, this.n).sort();
    return {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: percentile(sorted, 1),
    };
  }
}

/** The gateway's response-cache lookups so far, from its /metrics. */
export async function responseLookups(url: string): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = (result: string) =>
    Number(new RegExp(`recs_cache_lookups_total\\{layer="response",result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

/** A process's resident memory now (MB), from /proc. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

/** CPU time (user + system) a process has used, from /proc. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

export function startServer(script: string, env: Record<string, string>): Promise<Server> {
  return new Promise((resolve, reject) => {
    // BENCH_PROFILE=DIR writes a V8 CPU profile of each server into DIR (open it in Chrome DevTools).
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    // BENCH_SERVER_FLAGS="--trace-gc ..." passes V8/Node flags to the servers (investigation only).
    if (process.env.BENCH_SERVER_FLAGS) profile.push(...process.env.BENCH_SERVER_FLAGS.split(/\s+/).filter(Boolean));
    const child = spawn(process.execPath, [...profile, path.join(ROOT, 'bin', 'run-ts.js'), script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\S+)/.exec(out);
      if (!m) return;
      // Anything the server prints later (such as --trace-gc lines) goes to stderr, apart from the tables.
      child.stdout.off('data', onData);
      child.stdout.pipe(process.stderr);
      resolve({ child, url: present(m[1], 'the READY url') });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      reject(new Error(`${script} exited with ${code} before it was ready`));
    });
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export const pick = <T>(xs: readonly T[]): T => present(xs[Math.floor(Math.random() * xs.length)], 'a random element');

/** POSTs one GraphQL document; throws on a non-2xx answer or GraphQL errors. */
export async function graphql<T>(url: string, body: string, key?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
  const json = (await res.json()) as { data?: T; errors?: unknown };
  if (!res.ok || json.errors || !json.data)
    throw new Error(`request failed: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json.data;
}

/** One request per item (`workers` at a time): fills a server's caches before it is measured. */
export async function warm<T>(
  url: string,
  items: readonly T[],
  body: (item: T) => string,
  workers: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await graphql(url, body(present(items[next++], 'the next item')));
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

export interface MeasureOptions {
  connections: number;
  duration: number;
  /** The bearer key mutations carry (writes need an ingest key; reads go without one, as storefronts' do). */
  ingestKey?: string;
  /** Whether to read the gateway's response-cache hit share from /metrics. */
  gateway: boolean;
}

/** One autocannon run against `server`, bodies from `makeBody`; CPU per request is the server's own. */
export async function measure(name: string, server: Server, makeBody: () => Body, o: MeasureOptions): Promise<Summary> {
  const lookupsBefore = o.gateway ? await responseLookups(server.url) : null;
  const pid = present(server.child.pid, 'the server pid');
  const cpuBefore = cpuMs(pid);
  const latencies = new LatencyRecorder();
  const byKind = new Map<string, LatencyRecorder>();
  const run = autocannon({
    url: `${server.url}/graphql`,
    connections: o.connections,
    duration: o.duration,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req, context) => {
          const made = makeBody();
          const body = typeof made === 'string' ? made : made.body;
          // A client has one request in flight (no pipelining): its context names the one answered next.
          context['kind'] = typeof made === 'string' ? undefined : made.kind;
          return body.startsWith('{"query":"mutation') && o.ingestKey
            ? { ...req, body, headers: { ...req.headers, authorization: `Bearer ${o.ingestKey}` } }
            : { ...req, body };
        },
      },
    ],
  });
  run.on('response', (client, statusCode, _bytes, ms) => {
    if (statusCode < 200 || statusCode >= 300) return;
    latencies.record(ms);
    const kind = (client as { requestIterator?: { context?: { kind?: string } } }).requestIterator?.context?.kind;
    if (kind === undefined) return;
    let recorder = byKind.get(kind);
    if (!recorder) byKind.set(kind, (recorder = new LatencyRecorder()));
    recorder.record(ms);
  });
  const r = await run;
  const cpuUsPerReq = ((cpuMs(pid) - cpuBefore) * 1000) / Math.max(1, r.requests.total);
  let hitPercent: number | null = null;
  if (lookupsBefore) {
    const after = await responseLookups(server.url);
    const hits = after.hit - lookupsBefore.hit;
    const all = hits + after.miss - lookupsBefore.miss;
    hitPercent = all ? (100 * hits) / all : 0;
  }
  return {
    hitPercent,
    name,
    rps: r.requests.mean,
    ...latencies.percentiles(),
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    requests: r.requests.total,
    cpuUsPerReq,
    rssMb: rssMb(pid),
    byKind: Object.fromEntries(
      [...byKind].map(([kind, r]) => {
        const { p50, p99 } = r.percentiles();
        return [kind, { count: r.count, p50, p99 }];
      }),
    ),
  };
}

export const median = (xs: readonly number[]): number =>
  present([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)], 'a median');

/** Prints rows as a Markdown table. */
export function printTable(header: string[], rows: (string | number)[][]): void {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  process.stdout.write(`${line(header)}\n${line(header.map(() => '---'))}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}
