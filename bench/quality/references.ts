// The quality benchmark's reference models, computed by the bench itself on the same training
// rows as the engine: popularity, recent best-sellers, SAR-style item-to-item (Jaccard
// co-occurrence x time-decayed affinity, SAR's defaults) and EASE (dense over the most active
// products, binary input, lambda chosen on the validation window). Each ranks a customer's
// products best first and skips what the customer already had.
import type { Dataset } from '../../src/engine/local/dataset';
import { buildDataset } from '../../src/engine/local/dataset';
import type { RawInteractions } from '../../src/engine/local/dataset-reader';
import { DEFAULT_PARAMS } from '../../src/engine/local/engine-params';
import { easeRows, mostActiveItems, rowsFromTopK, transpose, type SparseRows } from '../../src/engine/local/item-model';
import { TopK } from '../../src/engine/local/top-k';
import { DAY } from './bench-datasets';

export interface FitContext {
  raw: RawInteractions;
  /** 1 for the training rows. */
  train: Uint8Array;
  /** Training rows as the engine indexes them (ids shared by every model). */
  data: Dataset;
  cutoff: number;
  targetTypes: string[];
}

/** Best first, at most k, none of `had`. */
export type Ranker = (u: number, had: Set<number>, k: number) => number[];

/** A fixed order of products (the same for everyone), minus what each customer had. */
function fixedOrder(scores: Float64Array): Ranker {
  const order = Int32Array.from(scores.keys())
    .filter((i) => scores[i]! > 0)
    .sort((a, b) => scores[b]! - scores[a]! || a - b);
  return (_u, had, k) => {
    const out: number[] = [];
    for (let a = 0; a < order.length && out.length < k; a++) if (!had.has(order[a]!)) out.push(order[a]!);
    return out;
  };
}

/** Target events per product in the training rows since `since` (-Infinity: all of them). */
function targetCounts(ctx: FitContext, since: number): Float64Array {
  const itemIndex = new Map(ctx.data.itemIds.map((id, i) => [id, i]));
  const target = ctx.raw.eventTypes.map((t) => ctx.targetTypes.includes(t));
  const counts = new Float64Array(ctx.data.itemIds.length);
  for (let k = 0; k < ctx.raw.length; k++) {
    if (ctx.train[k] !== 1 || !target[ctx.raw.eventType[k]!] || ctx.raw.timestamp[k]! < since) continue;
    counts[itemIndex.get(ctx.raw.itemIds[ctx.raw.item[k]!]!)!]! += 1;
  }
  return counts;
}

export const popularity = (ctx: FitContext): Ranker => fixedOrder(targetCounts(ctx, -Infinity));

export const recentBestSellers =
  (days: number) =>
  (ctx: FitContext): Ranker =>
    fixedOrder(targetCounts(ctx, ctx.cutoff - days * DAY));

/** Scores sum_i x_ui * rows[i][j] over the customer's products, top k not in had. */
function itemItem(d: Dataset, values: Float32Array, rows: SparseRows): Ranker {
  const n = d.itemIds.length;
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const mark = new Uint8Array(n);
  let top = new TopK(64);
  return (u, had, k) => {
    let nt = 0;
    for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++) {
      const x = values[p]!;
      if (x <= 0) continue;
      const i = d.userItems[p]!;
      for (let q = rows.ptr[i]!; q < rows.ptr[i + 1]!; q++) {
        const j = rows.idx[q]!;
        if (!mark[j]) {
          mark[j] = 1;
          touched[nt++] = j;
        }
        acc[j]! += x * rows.w[q]!;
      }
    }
    if (top.k < k) top = new TopK(k);
    top.reset();
    for (let a = 0; a < nt; a++) {
      const j = touched[a]!;
      if (acc[j]! > 0 && !had.has(j)) top.push(j, acc[j]!);
      acc[j] = 0;
      mark[j] = 0;
    }
    const idx = new Int32Array(top.size);
    const c = top.drain(idx, new Float64Array(top.size));
    return [...idx.subarray(0, Math.min(c, k))];
  };
}

/** 1 where the customer interacted with the product (any event type with a positive weight). */
function binary(d: Dataset): Float32Array {
  return Float32Array.from(d.userValues, (v) => (v > 0 ? 1 : 0));
}

/** SAR (Microsoft Recommenders' defaults): Jaccard similarity, affinity decayed with a 30-day half-life. */
export function sar(ctx: FitContext): Ranker {
  const d = ctx.data;
  const present = binary(d);
  const b = { ...d, userValues: present };
  const t = transpose(b);
  const n = d.itemIds.length;
  const occ = Float64Array.from({ length: n }, (_, i) => t.ptr[i + 1]! - t.ptr[i]!);
  const acc = new Float64Array(n);
  const mark = new Uint8Array(n);
  const touched = new Int32Array(n);
  const rows = rowsFromTopK(
    n,
    (i, heap) => {
      let nt = 0;
      for (let p = t.ptr[i]!; p < t.ptr[i + 1]!; p++) {
        const u = t.users[p]!;
        for (let q = d.userPtr[u]!; q < d.userPtr[u + 1]!; q++) {
          const j = d.userItems[q]!;
          if (j === i || present[q] === 0) continue;
          if (!mark[j]) {
            mark[j] = 1;
            touched[nt++] = j;
          }
          acc[j]! += 1;
        }
      }
      for (let a = 0; a < nt; a++) {
        const j = touched[a]!;
        heap.push(j, acc[j]! / (occ[i]! + occ[j]! - acc[j]!));
        acc[j] = 0;
        mark[j] = 0;
      }
    },
    200,
  );
  // Affinity: every event weighs 1 (returns 0), decayed with SAR's 30-day half-life from the cutoff.
  const weights = Object.fromEntries(ctx.raw.eventTypes.map((e) => [e, e === 'return' ? 0 : 1]));
  const aff = buildDataset(
    ctx.raw,
    { ...DEFAULT_PARAMS, eventWeights: weights, eventValue: 'ignore', halfLifeDays: 30, modelHalfLife: -1 },
    null,
    null,
    { rows: ctx.train, referenceTime: ctx.cutoff },
  );
  return itemItem(
    aff,
    Float32Array.from(aff.userValues, (v) => Math.expm1(v)),
    rows,
  );
}

export const EASE_LAMBDAS = [100, 300, 1000, 3000] as const;

/** EASE on binary input over the `items` most active products (rows keep their 300 largest weights). */
export function ease(lambda: number, items: number) {
  return (ctx: FitContext): Ranker => {
    const b = { ...ctx.data, userValues: binary(ctx.data) };
    const subset = mostActiveItems(transpose(b), items);
    return itemItem(b, b.userValues, easeRows(b, subset, lambda, 300));
  };
}
