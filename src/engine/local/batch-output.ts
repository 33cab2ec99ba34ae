// Personalize's batch output (REFERENCE.md, exact) as streams of JSON Lines, written in chunks of
// a few hundred lines, never as one giant string. Order is deterministic: ids ascending.
import type { Recommender, RankedList } from './recommender';
import { TopK } from './top-k';

const CHUNK_LINES = 500;

const POW10 = Array.from({ length: 81 }, (_, n) => Math.pow(10, n - 40));

/**
 * Scores keep 6 significant digits, written in plain decimal notation: enough to rank, and the
 * same bytes on every rerun. Built from an integer mantissa because number-to-string of a
 * fraction (and toPrecision) were the hottest calls of batch inference.
 */
export function formatScore(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) throw new RangeError(`score ${x} is not finite`);
  if (x < 0) return `-${formatScore(-x)}`;
  let e = Math.floor(Math.log10(x));
  if (e < -34 || e > 34) return String(Number(x.toPrecision(6)));
  let m = Math.round(x * POW10[45 - e]!);
  if (m >= 1_000_000) {
    m = Math.round(m / 10);
    e += 1;
  }
  let exp = e - 5;
  while (m % 10 === 0) {
    m /= 10;
    exp += 1;
  }
  const digits = String(m);
  if (exp >= 0) return digits + '0'.repeat(exp);
  const point = digits.length + exp;
  return point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
}

/** JSON string literals of ids, computed once per output rather than once per line. */
const jsonCache = new WeakMap<string[], string[]>();
export function jsonIds(ids: string[]): string[] {
  let out = jsonCache.get(ids);
  if (!out) {
    out = ids.map((id) => JSON.stringify(id));
    jsonCache.set(ids, out);
  }
  return out;
}

function listJson(ids: string[], list: RankedList, field = 'recommendedItems'): string {
  const json = jsonIds(ids);
  let items = '';
  let scores = '';
  for (let a = 0; a < list.items.length; a++) {
    if (a) {
      items += ',';
      scores += ',';
    }
    items += json[list.items[a]!]!;
    scores += formatScore(list.scores[a]!);
  }
  return `{"${field}":[${items}],"scores":[${scores}]}`;
}

export interface LineSource {
  lines: number;
  chunks(): AsyncGenerator<string>;
}

export type ProgressFn = (fraction: number) => void | Promise<void>;

function chunked(count: number, line: (n: number) => string, onProgress?: ProgressFn): LineSource {
  return {
    lines: count,
    async *chunks() {
      let buf = '';
      for (let n = 0; n < count; n++) {
        buf += line(n) + '\n';
        if ((n + 1) % CHUNK_LINES === 0) {
          yield buf;
          buf = '';
          if (onProgress && (n + 1) % (CHUNK_LINES * 20) === 0) await onProgress((n + 1) / count);
        }
      }
      if (buf) yield buf;
    },
  };
}

/** One customer's line of user-personalization or item-affinity-users (norm: segment bests). */
export function customerLine(r: Recommender, task: 'user-personalization' | 'item-affinity-users', u: number, norm?: Float64Array): string {
  const d = r.model.data;
  if (task === 'item-affinity-users' && !norm) throw new Error('item-affinity-users needs the segments first');
  const list = r.forUser(u, task === 'item-affinity-users' ? norm : undefined);
  return `{"input":{"userId":${jsonIds(d.userIds)[u]}},"output":${listJson(d.itemIds, list)}}`;
}

export function userPersonalizationLines(r: Recommender, onProgress?: ProgressFn): LineSource {
  const d = r.model.data;
  return chunked(
    d.userIds.length,
    (u) => customerLine(r, 'user-personalization', u),
    onProgress,
  );
}

export function similarItemsLines(r: Recommender): LineSource {
  const d = r.model.data;
  return chunked(
    d.itemIds.length,
    (i) => `{"input":{"itemId":${jsonIds(d.itemIds)[i]}},"output":${listJson(d.itemIds, r.similarTo(i))}}`,
  );
}

/** The default batch itemList: the numResults most popular products, the same for every customer. */
export function defaultRankingList(r: Recommender): number[] {
  return Array.from(r.popular.global.subarray(0, r.model.params.numResults));
}

export function personalizedRankingLines(r: Recommender, itemList: number[], onProgress?: ProgressFn): LineSource {
  const d = r.model.data;
  const ids = jsonIds(d.itemIds);
  const listJsonText = `[${itemList.map((i) => ids[i]).join(',')}]`;
  const scoresFor = r.fixedListScorer(itemList);
  const pop = itemList.map((i) => r.model.popularity[i]!);
  const order = itemList.map((_, k) => k);
  return chunked(
    d.userIds.length,
    (u) => {
      const s = scoresFor(u);
      // Same order as Recommender.rank: score, then popularity, then input position.
      order.sort((a, b) => s[b]! - s[a]! || pop[b]! - pop[a]! || a - b);
      const list: RankedList = { items: order.map((k) => itemList[k]!), scores: order.map((k) => s[k]!) };
      return `{"input":{"userId":${jsonIds(d.userIds)[u]},"itemList":${listJsonText}},"output":${listJson(d.itemIds, list)}}`;
    },
    onProgress,
  );
}

export function popularityLines(r: Recommender): LineSource {
  const d = r.model.data;
  const p = r.popular;
  const size = r.size;
  const list = (items: Int32Array, scores: Float64Array): RankedList => {
    const top = scores[0] ?? 1;
    const n = Math.min(size, items.length);
    return { items: Array.from(items.subarray(0, n)), scores: Array.from(scores.subarray(0, n), (s) => s / top) };
  };
  const lines = [`{"input":{"scope":"global"},"output":${listJson(d.itemIds, list(p.global, p.globalScores))}}`];
  d.categories.forEach((c, k) =>
    lines.push(
      `{"input":{"scope":"category","category":${JSON.stringify(c)}},"output":${listJson(d.itemIds, list(p.byCategory[k]!.items, p.byCategory[k]!.scores))}}`,
    ),
  );
  d.provinces.forEach((pv, k) =>
    lines.push(
      `{"input":{"scope":"province","province":${JSON.stringify(pv)}},"output":${listJson(d.itemIds, list(p.byProvince[k]!.items, p.byProvince[k]!.scores))}}`,
    ),
  );
  return chunked(lines.length, (n) => lines[n]!);
}

/** item-affinity segments: per product the customers with the highest scores for it. */
export interface Segments {
  users: Int32Array[];
  scores: Float64Array[];
  /** Best segment score per product: normalises a customer's affinity across products. */
  best: Float64Array;
}

/** Per-product heaps of the best customers among users [from, to): one scoring pass. */
export function segmentHeaps(r: Recommender, from: number, to: number, heaps?: TopK[]): TopK[] {
  const d = r.model.data;
  const out = heaps ?? Array.from({ length: d.itemIds.length }, () => new TopK(r.size));
  const exclude = r.model.params.excludePurchased;
  for (let u = from; u < to; u++) {
    r.score(u);
    if (exclude) {
      // Scores of products the customer bought are zeroed for this pass only.
      for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++) if (d.userBought[p]) r.scores[d.userItems[p]!] = 0;
    }
    for (let a = 0; a < r.touchedCount; a++) {
      const j = r.touched[a]!;
      const s = r.scores[j]!;
      if (s > 0 && s > out[j]!.threshold()) out[j]!.push(u, s);
    }
  }
  r.clear();
  return out;
}

export async function computeSegments(r: Recommender, onProgress?: ProgressFn): Promise<Segments> {
  const nUsers = r.model.data.userIds.length;
  const heaps = Array.from({ length: r.model.data.itemIds.length }, () => new TopK(r.size));
  const block = 8192;
  for (let from = 0; from < nUsers; from += block) {
    segmentHeaps(r, from, Math.min(nUsers, from + block), heaps);
    if (onProgress) await onProgress(Math.min(1, (from + block) / nUsers));
  }
  return finishSegments(r, heaps);
}

/** Turns per-product heaps into segments, filled up with the most active customers. */
export function finishSegments(r: Recommender, heaps: TopK[]): Segments {
  const d = r.model.data;
  const nItems = d.itemIds.length;
  const nUsers = d.userIds.length;
  const exclude = r.model.params.excludePurchased;
  // Fallback: the most active customers overall, for products the model reaches too few of.
  const activity = new TopK(r.size * 4);
  for (let u = 0; u < nUsers; u++) {
    let s = 0;
    for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++) s += d.userValues[p]!;
    if (s > 0) activity.push(u, s);
  }
  const activeUsers = new Int32Array(activity.size);
  const activeScores = new Float64Array(activity.size);
  activity.drain(activeUsers, activeScores);
  const users: Int32Array[] = [];
  const scores: Float64Array[] = [];
  const best = new Float64Array(nItems);
  const ou = new Int32Array(r.size);
  const os = new Float64Array(r.size);
  for (let j = 0; j < nItems; j++) {
    const c = heaps[j]!.drain(ou, os);
    const listU = Array.from(ou.subarray(0, c));
    const listS = Array.from(os.subarray(0, c));
    best[j] = c ? os[0]! : 0;
    const inList = new Set(listU);
    const factor = c ? (0.9 * listS[c - 1]!) / (activeScores[0] ?? 1) : 1 / (activeScores[0] ?? 1);
    for (let a = 0; a < activeUsers.length && listU.length < r.size; a++) {
      const u = activeUsers[a]!;
      if (inList.has(u) || (exclude && bought(r, u, j))) continue;
      listU.push(u);
      listS.push(activeScores[a]! * factor);
    }
    users.push(Int32Array.from(listU));
    scores.push(Float64Array.from(listS));
  }
  return { users, scores, best };
}

function bought(r: Recommender, u: number, item: number): boolean {
  const d = r.model.data;
  let lo = d.userPtr[u]!;
  let hi = d.userPtr[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = d.userItems[mid]!;
    if (v === item) return d.userBought[mid] === 1;
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export function itemAffinityLines(r: Recommender, seg: Segments): LineSource {
  const d = r.model.data;
  return chunked(d.itemIds.length, (i) => {
    const list: RankedList = { items: Array.from(seg.users[i]!), scores: Array.from(seg.scores[i]!) };
    return `{"input":{"itemId":${jsonIds(d.itemIds)[i]}},"output":${listJson(d.userIds, list, 'recommendedUsers')}}`;
  });
}

/** Per customer the products where they stand highest among that product's likely buyers. */
export function itemAffinityUserLines(r: Recommender, seg: Segments, onProgress?: ProgressFn): LineSource {
  const d = r.model.data;
  return chunked(
    d.userIds.length,
    (u) => customerLine(r, 'item-affinity-users', u, seg.best),
    onProgress,
  );
}
