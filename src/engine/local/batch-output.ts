// Personalize's batch output (REFERENCE.md, exact) as streams of JSON Lines, written in chunks of
// a few hundred lines, never as one giant string. Order is deterministic: ids ascending.
import type { Recommender, RankedList } from './recommender';
import { TopK } from './top-k';

const CHUNK_LINES = 500;

/** Scores keep 6 significant digits: enough to rank, and the same bytes on every rerun. */
export function formatScore(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function listJson(ids: string[], list: RankedList, field = 'recommendedItems'): string {
  let items = '';
  let scores = '';
  for (let a = 0; a < list.items.length; a++) {
    if (a) {
      items += ',';
      scores += ',';
    }
    items += JSON.stringify(ids[list.items[a]!]!);
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

export function userPersonalizationLines(r: Recommender, onProgress?: ProgressFn): LineSource {
  const d = r.model.data;
  return chunked(
    d.userIds.length,
    (u) => `{"input":{"userId":${JSON.stringify(d.userIds[u])}},"output":${listJson(d.itemIds, r.forUser(u))}}`,
    onProgress,
  );
}

export function similarItemsLines(r: Recommender): LineSource {
  const d = r.model.data;
  return chunked(
    d.itemIds.length,
    (i) => `{"input":{"itemId":${JSON.stringify(d.itemIds[i])}},"output":${listJson(d.itemIds, r.similarTo(i))}}`,
  );
}

/** The default batch itemList: the numResults most popular products, the same for every customer. */
export function defaultRankingList(r: Recommender): number[] {
  return Array.from(r.popular.global.subarray(0, r.model.params.numResults));
}

export function personalizedRankingLines(r: Recommender, itemList: number[], onProgress?: ProgressFn): LineSource {
  const d = r.model.data;
  const listJsonText = `[${itemList.map((i) => JSON.stringify(d.itemIds[i])).join(',')}]`;
  return chunked(
    d.userIds.length,
    (u) => {
      const ranked = r.rank(u, itemList);
      const list: RankedList = { items: ranked.map((x) => x.item), scores: ranked.map((x) => x.score) };
      return `{"input":{"userId":${JSON.stringify(d.userIds[u])},"itemList":${listJsonText}},"output":${listJson(d.itemIds, list)}}`;
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

export async function computeSegments(r: Recommender, onProgress?: ProgressFn): Promise<Segments> {
  const d = r.model.data;
  const nItems = d.itemIds.length;
  const heaps = Array.from({ length: nItems }, () => new TopK(r.size));
  const exclude = r.model.params.excludePurchased;
  const nUsers = d.userIds.length;
  for (let u = 0; u < nUsers; u++) {
    r.score(u);
    if (exclude) {
      // Scores of products the customer bought are zeroed for this pass only.
      for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++) if (d.userBought[p]) r.scores[d.userItems[p]!] = 0;
    }
    for (let a = 0; a < r.touchedCount; a++) {
      const j = r.touched[a]!;
      const s = r.scores[j]!;
      if (s > 0 && s > heaps[j]!.threshold()) heaps[j]!.push(u, s);
    }
    if (onProgress && (u & 8191) === 0) await onProgress(u / nUsers);
  }
  r.clear();
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
    return `{"input":{"itemId":${JSON.stringify(d.itemIds[i])}},"output":${listJson(d.userIds, list, 'recommendedUsers')}}`;
  });
}

/** Per customer the products where they stand highest among that product's likely buyers. */
export function itemAffinityUserLines(r: Recommender, seg: Segments, onProgress?: ProgressFn): LineSource {
  const d = r.model.data;
  return chunked(
    d.userIds.length,
    (u) => `{"input":{"userId":${JSON.stringify(d.userIds[u])}},"output":${listJson(d.itemIds, r.forUser(u, seg.best))}}`,
    onProgress,
  );
}
