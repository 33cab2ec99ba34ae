// Personalize's batch output (REFERENCE.md, exact) as streams of JSON Lines, written as byte
// chunks of about 256 KB, never as one giant string. Order is deterministic: ids ascending.
import type { ItemReason, Recommender, RankedList } from './recommender';
import { CoPurchaseCounter } from './co-purchase';
import { LineBuffer } from './line-buffer';
import { TopK } from './top-k';

export { formatScore } from './line-buffer';

/** JSON string literals of ids as UTF-8 bytes, computed once per id list. */
const jsonCache = new WeakMap<string[], Buffer[]>();
export function jsonIds(ids: string[]): Buffer[] {
  let out = jsonCache.get(ids);
  if (!out) {
    out = ids.map((id) => Buffer.from(JSON.stringify(id), 'utf8'));
    jsonCache.set(ids, out);
  }
  return out;
}

const B = (s: string) => Buffer.from(s, 'latin1');
const USER_IN = B('{"input":{"userId":');
const ITEM_IN = B('{"input":{"itemId":');
const OUTPUT = B('},"output":');
const ITEMS = B('{"recommendedItems":[');
const USERS = B('{"recommendedUsers":[');
const SCORES = B('],"scores":[');
const END = B(']}}\n');
const REASONS = B('],"reasons":[');
const HISTORY = B('{"kind":"history","productIds":[');
const PROVINCE = B('{"kind":"popular-in-province"}');
const TRENDING = B('{"kind":"trending"}');
const CATEGORY = B('{"kind":"popular-in-category"}');
const BOUGHT_WITH = B('{"kind":"bought-with","productIds":[');
const COUNT = B('],"count":');
const CLOSE_HISTORY = B(']}');

/** `{"recommendedItems":[...],"scores":[...]}}` and the line's newline. */
function writeList(
  out: LineBuffer,
  ids: Buffer[],
  list: RankedList,
  field: Buffer = ITEMS,
  reasonCount = list.items.length,
): void {
  out.bytes(field);
  for (let a = 0; a < list.items.length; a++) {
    if (a) out.byte(44);
    out.bytes(ids[list.items[a]!]!);
  }
  out.bytes(SCORES);
  for (let a = 0; a < list.scores.length; a++) {
    if (a) out.byte(44);
    out.score(list.scores[a]!);
  }
  if (list.reasons) writeReasons(out, ids, list.reasons, reasonCount);
  out.bytes(END);
}

/**
 * `],"reasons":[...` (the extra field of this engine's user-personalization and similar-items
 * output, one reason per recommended item up to `count`: the page the API shows, numResults; the
 * candidates beyond it are there for filters and cost bytes; docs/local-engine.md): the history
 * products behind a model score, the product a similar item was bought with and how many
 * customers had both, or the fallback tier. Loaders that do not know the field ignore it; AWS's
 * have none.
 */
function writeReasons(out: LineBuffer, ids: Buffer[], reasons: ItemReason[], count: number): void {
  out.bytes(REASONS);
  for (let a = 0; a < Math.min(count, reasons.length); a++) {
    if (a) out.byte(44);
    const r = reasons[a]!;
    if (r.kind === 'history') {
      out.bytes(HISTORY);
      for (let b = 0; b < r.items.length; b++) {
        if (b) out.byte(44);
        out.bytes(ids[r.items[b]!]!);
      }
      out.bytes(CLOSE_HISTORY);
    } else if (r.kind === 'bought-with') {
      out.bytes(BOUGHT_WITH);
      out.bytes(ids[r.item]!);
      out.bytes(COUNT);
      out.bytes(B(String(r.count)));
      out.byte(125);
    } else
      out.bytes(r.kind === 'popular-in-province' ? PROVINCE : r.kind === 'popular-in-category' ? CATEGORY : TRENDING);
  }
}

export interface LineSource {
  lines: number;
  chunks(): AsyncGenerator<Buffer>;
}

export type ProgressFn = (fraction: number) => void | Promise<void>;

function chunked(count: number, line: (n: number, out: LineBuffer) => void, onProgress?: ProgressFn): LineSource {
  return {
    lines: count,
    async *chunks() {
      const out = new LineBuffer();
      let reported = 0;
      for (let n = 0; n < count; n++) {
        line(n, out);
        if (out.full()) {
          yield out.take();
          if (onProgress && n - reported >= 10_000) {
            reported = n;
            await onProgress((n + 1) / count);
          }
        }
      }
      if (out.length) yield out.take();
    },
  };
}

export type CustomerTask = 'user-personalization' | 'item-affinity-users';

/** One customer's line of user-personalization or item-affinity-users (norm: segment bests). */
export function writeCustomerLine(
  r: Recommender,
  task: CustomerTask,
  u: number,
  out: LineBuffer,
  norm?: Float64Array,
  /** Reasons per item: user-personalization lines carry them (false only to measure their cost). */
  explain = task === 'user-personalization',
): void {
  const d = r.model.data;
  if (task === 'item-affinity-users' && !norm) throw new Error('item-affinity-users needs the segments first');
  r.explain = explain;
  const list = r.forUser(u, task === 'item-affinity-users' ? norm : undefined);
  r.explain = false;
  out.bytes(USER_IN);
  out.bytes(jsonIds(d.userIds)[u]!);
  out.bytes(OUTPUT);
  writeList(out, jsonIds(d.itemIds), list, ITEMS, r.model.params.numResults);
}

export function userPersonalizationLines(r: Recommender, onProgress?: ProgressFn): LineSource {
  return chunked(
    r.model.data.userIds.length,
    (u, out) => {
      writeCustomerLine(r, 'user-personalization', u, out);
    },
    onProgress,
  );
}

/** similar-items lines; each carries reasons ("bought with", customers who had both) for the page. */
export function similarItemsLines(r: Recommender, explain = true): LineSource {
  const d = r.model.data;
  const ids = jsonIds(d.itemIds);
  const page = r.model.params.numResults;
  const co = explain ? new CoPurchaseCounter(d) : undefined;
  return chunked(d.itemIds.length, (i, out) => {
    out.bytes(ITEM_IN);
    out.bytes(ids[i]!);
    out.bytes(OUTPUT);
    r.explain = explain;
    const list = r.similarTo(i, co, page);
    r.explain = false;
    writeList(out, ids, list, ITEMS, page);
  });
}

/** The default batch itemList: the numResults most popular products, the same for every customer. */
export function defaultRankingList(r: Recommender): number[] {
  return Array.from(r.popular.global.subarray(0, r.model.params.numResults));
}

export function personalizedRankingLines(r: Recommender, itemList: number[], onProgress?: ProgressFn): LineSource {
  const d = r.model.data;
  const ids = jsonIds(d.itemIds);
  const users = jsonIds(d.userIds);
  const listPart = Buffer.from(`,"itemList":[${itemList.map((i) => ids[i]!.toString('utf8')).join(',')}]`, 'utf8');
  const scoresFor = r.fixedListScorer(itemList);
  const pop = itemList.map((i) => r.model.popularity[i]!);
  const order = itemList.map((_, k) => k);
  const list: RankedList = { items: [], scores: [] };
  return chunked(
    d.userIds.length,
    (u, out) => {
      const s = scoresFor(u);
      // Same order as Recommender.rank: score, then popularity, then input position.
      order.sort((a, b) => s[b]! - s[a]! || pop[b]! - pop[a]! || a - b);
      list.items = order.map((k) => itemList[k]!);
      list.scores = order.map((k) => s[k]!);
      out.bytes(USER_IN);
      out.bytes(users[u]!);
      out.bytes(listPart);
      out.bytes(OUTPUT);
      writeList(out, ids, list);
    },
    onProgress,
  );
}

export function popularityLines(r: Recommender): LineSource {
  const d = r.model.data;
  const p = r.popular;
  const ids = jsonIds(d.itemIds);
  const size = r.size;
  const list = (items: Int32Array, scores: Float64Array): RankedList => {
    const top = scores[0] ?? 1;
    const n = Math.min(size, items.length);
    return { items: Array.from(items.subarray(0, n)), scores: Array.from(scores.subarray(0, n), (s) => s / top) };
  };
  const lines: { input: string; list: RankedList }[] = [
    { input: '{"scope":"global"}', list: list(p.global, p.globalScores) },
  ];
  d.categories.forEach((c, k) =>
    lines.push({
      input: `{"scope":"category","category":${JSON.stringify(c)}}`,
      list: list(p.byCategory[k]!.items, p.byCategory[k]!.scores),
    }),
  );
  d.provinces.forEach((pv, k) =>
    lines.push({
      input: `{"scope":"province","province":${JSON.stringify(pv)}}`,
      list: list(p.byProvince[k]!.items, p.byProvince[k]!.scores),
    }),
  );
  return chunked(lines.length, (n, out) => {
    out.text(`{"input":${lines[n]!.input},"output":`);
    writeList(out, ids, lines[n]!.list);
  });
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
  const items = jsonIds(d.itemIds);
  const users = jsonIds(d.userIds);
  return chunked(d.itemIds.length, (i, out) => {
    out.bytes(ITEM_IN);
    out.bytes(items[i]!);
    out.bytes(OUTPUT);
    writeList(out, users, { items: Array.from(seg.users[i]!), scores: Array.from(seg.scores[i]!) }, USERS);
  });
}

/** Per customer the products where they stand highest among that product's likely buyers. */
export function itemAffinityUserLines(r: Recommender, seg: Segments, onProgress?: ProgressFn): LineSource {
  return chunked(
    r.model.data.userIds.length,
    (u, out) => {
      writeCustomerLine(r, 'item-affinity-users', u, out, seg.best);
    },
    onProgress,
  );
}
