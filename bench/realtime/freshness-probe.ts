// The freshness probe of bench:realtime: while the load runs, it takes a customer nobody else
// touches, reads their answer, records a view of a product whose similar items are all outside
// their cached list, and polls `recommendations` (on the same gateway or on a second one: the
// state must be shared) until an answer reflects the view. Latency = the first reflecting
// answer's arrival - the recordEvents acknowledgement. Polls are back to back (no sleep), so the
// resolution is one round trip under load.
import { performance } from 'node:perf_hooks';
import { present } from '../support/present';
import { graphql, percentile, type Server } from '../support/serving-harness';
import { reflectsEvent, type AnswerItem } from './replay-plan';
import { recordBody, recsBody } from './shoppers';

type Answer = { recommendations: { items: AnswerItem[] } };

export interface ProbeTarget {
  customer: string;
  /** A product whose similar items (and itself) are not in the customer's cached list. */
  product: string;
}

export interface ProbeResult {
  /** ms from the acknowledgement to the first reflecting answer; null when none came in time. */
  latencyMs: number | null;
  polls: number;
  crossGateway: boolean;
}

/**
 * Probe targets: customers from the end of the store (kept out of the load) with, for each, the
 * first product (from a fixed offset) that neither is in their list nor has a similar item there.
 */
export function probeTargets(
  store: {
    users: readonly string[];
    lists: readonly string[][];
    products: readonly string[];
    similar: readonly string[][];
  },
  count: number,
): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  for (let n = 0; n < count; n++) {
    const u = store.users.length - 1 - n;
    const list = new Set(present(store.lists[u], 'a probe list'));
    for (let k = 0; k < store.products.length; k++) {
      const p = (n * 7919 + k) % store.products.length;
      const product = present(store.products[p], 'a product');
      if (list.has(product) || present(store.similar[p], 'similar items').some((s) => list.has(s))) continue;
      out.push({ customer: present(store.users[u], 'a probe customer'), product });
      break;
    }
  }
  return out;
}

/** One probe: records through `record`, polls `poll` until reflected or `timeoutMs` has passed. */
export async function probeOnce(
  target: ProbeTarget,
  record: Server,
  poll: Server,
  ingestKey: string,
  timeoutMs: number,
): Promise<ProbeResult> {
  const ask = () => graphql<Answer>(poll.url, recsBody({ userId: target.customer }));
  const before = (await ask()).recommendations.items;
  await graphql(record.url, recordBody({ userId: target.customer }, target.product, 'view'), ingestKey);
  const acked = performance.now();
  let polls = 0;
  const crossGateway = record !== poll;
  while (performance.now() - acked < timeoutMs) {
    const after = (await ask()).recommendations.items;
    polls += 1;
    if (reflectsEvent(before, after, target.product))
      return { latencyMs: performance.now() - acked, polls, crossGateway };
  }
  return { latencyMs: null, polls, crossGateway };
}

/** Runs probes one after another until `until` resolves; every other one polls `second` when given. */
export async function probeWhile(
  until: Promise<unknown>,
  targets: ProbeTarget[],
  servers: { record: Server; second: Server | null },
  ingestKey: string,
  timeoutMs: number,
): Promise<ProbeResult[]> {
  // An object, not a let: the loop reads what the callback sets later.
  const state = { done: false };
  const finish = () => {
    state.done = true;
  };
  void until.then(finish, finish);
  const results: ProbeResult[] = [];
  while (!state.done && targets.length) {
    const target = present(targets.shift(), 'a probe target');
    const poll = servers.second && results.length % 2 === 1 ? servers.second : servers.record;
    results.push(await probeOnce(target, servers.record, poll, ingestKey, timeoutMs));
  }
  await until;
  return results;
}

export interface ProbeFigures {
  probes: number;
  visible: number;
  /** Percentiles over every probe; Infinity when that share of probes never saw their event in time. */
  p50: number;
  p99: number;
  max: number;
}

export function probeFigures(results: readonly ProbeResult[]): ProbeFigures {
  const all = results.map((r) => r.latencyMs ?? Infinity).sort((a, b) => a - b);
  return {
    probes: results.length,
    visible: all.filter(Number.isFinite).length,
    p50: percentile(all, 0.5),
    p99: percentile(all, 0.99),
    max: percentile(all, 1),
  };
}
