// Training: everything batch inference and the ranker need, built from the Dataset.
import type { Dataset } from './dataset';
import { outputSize, type EngineParams } from './engine-params';
import { cosineNeighbors, easeRows, mostActiveItems, transpose, type SparseRows } from './item-model';
import { blendRows, rp3betaRows } from './graph-model';
import { TopK } from './top-k';

export interface LocalModel {
  params: EngineParams;
  data: Dataset;
  /** Scoring rows: a customer's score for j is sum over their products i of x_i * rec[i][j]. */
  rec: SparseRows;
  /** Related products per product (cosine kNN: "customers who bought this also bought"). */
  similar: SparseRows;
  /** Per product: summed customer strength (event-weighted, recency-decayed). */
  popularity: Float32Array;
  /** How many products the EASE part covers (0 with algorithm rp3beta or cosine). */
  modelledItems: number;
  /** False when trained for popularity-count alone: rec and similar are then empty. */
  itemModel: boolean;
}

export type TrainProgress = (fraction: number, message: string) => void;

export interface TrainOptions {
  /** False: no similar-items rows (tuning trials score customers only; cosine still builds them). */
  similarItems?: boolean;
  /**
   * Item-model rows of earlier trainings on the same data, keyed by the parameters they depend
   * on: tuning trials that change only scoring settings (profile decay, priors) or the other half
   * of a blend reuse them instead of inverting EASE again.
   */
  cache?: Map<string, SparseRows>;
}

/** The parameters that shape the matrix values (every item model depends on them). */
function valueKey(p: EngineParams): unknown[] {
  return [p.eventWeights, p.defaultEventWeight, p.eventValue, p.targetEventTypes, p.halfLife, p.halfLifeDays];
}

const CACHE_ENTRIES = 6;

function cached(cache: Map<string, SparseRows> | undefined, key: unknown[], make: () => SparseRows): SparseRows {
  if (!cache) return make();
  const k = JSON.stringify(key);
  let rows = cache.get(k);
  if (!rows) {
    rows = make();
    // A few entries cover a search stage; older ones are dropped to bound memory on big catalogues.
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(k, rows);
  }
  return rows;
}

export function trainModel(
  data: Dataset,
  params: EngineParams,
  onProgress: TrainProgress = () => undefined,
  itemModel = true,
  opts: TrainOptions = {},
): LocalModel {
  const similarItems = opts.similarItems ?? true;
  const modelKey = [
    ...valueKey(params),
    params.modelHalfLife,
    params.modelDensity,
    params.modelDecayFloor,
    params.neighbors,
  ];
  const nItems = data.itemIds.length;
  const popularity = data.itemPopularity;
  if (!itemModel) {
    const empty = { ptr: new Int32Array(nItems + 1), idx: new Int32Array(0), w: new Float32Array(0) };
    return { params, data, rec: empty, similar: empty, popularity, modelledItems: 0, itemModel };
  }
  onProgress(0.05, 'item-customer index');
  const t = transpose(data);
  onProgress(0.1, 'cosine neighbours');
  const k = Math.max(params.neighbors, outputSize(params));
  const similar =
    similarItems || params.algorithm === 'cosine'
      ? cosineNeighbors(data, t, k, params.cosineShrink)
      : { ptr: new Int32Array(nItems + 1), idx: new Int32Array(0), w: new Float32Array(0) };
  let rec = similar;
  let modelledItems = 0;
  if (params.algorithm === 'ease') {
    // A long-memory EASE learns from the popularity decay's values (same cells, other weights).
    const long = params.easeMemory === 'long' && data.userValuesLong;
    const easeData = long ? { ...data, userValues: data.userValuesLong! } : data;
    const subset = mostActiveItems(long ? transpose(easeData) : t, params.easeMaxItems);
    modelledItems = subset.length;
    onProgress(0.3, `EASE over ${subset.length} products`);
    const easeKey = ['ease', ...(long ? valueKey(params) : modelKey), params.easeLambda, params.easeMaxItems];
    rec = cached(opts.cache, [...easeKey, params.neighbors], () =>
      easeRows(easeData, subset, params.easeLambda, params.neighbors, (f) => {
        onProgress(0.3 + 0.6 * f, `EASE over ${subset.length} products`);
      }),
    );
    if (params.graphBlend > 0) {
      onProgress(0.9, 'RP3beta blend');
      const graph = cached(opts.cache, ['rp3', ...modelKey, params.rp3Alpha, params.rp3Beta], () =>
        rp3betaRows(data, t, params.neighbors, params.rp3Alpha, params.rp3Beta),
      );
      rec = blendRows(rec, graph, params.graphBlend, params.neighbors);
    }
  } else if (params.algorithm === 'rp3beta') {
    onProgress(0.3, 'RP3beta');
    rec = cached(opts.cache, ['rp3', ...modelKey, params.rp3Alpha, params.rp3Beta], () =>
      rp3betaRows(data, t, params.neighbors, params.rp3Alpha, params.rp3Beta),
    );
  }
  onProgress(1, 'trained');
  return { params, data, rec, similar, popularity, modelledItems, itemModel };
}

/** Best-first product lists by popularity: overall, per category and per province. */
export interface PopularityLists {
  global: Int32Array;
  globalScores: Float64Array;
  byCategory: { items: Int32Array; scores: Float64Array }[];
  byProvince: { items: Int32Array; scores: Float64Array }[];
}

function topOf(n: number, k: number, score: (i: number) => number): { items: Int32Array; scores: Float64Array } {
  const heap = new TopK(k);
  for (let i = 0; i < n; i++) {
    const s = score(i);
    if (s > 0) heap.push(i, s);
  }
  const items = new Int32Array(heap.size);
  const scores = new Float64Array(heap.size);
  heap.drain(items, scores);
  return { items, scores };
}

export function popularityLists(m: LocalModel, length: number): PopularityLists {
  const d = m.data;
  const nItems = d.itemIds.length;
  const g = topOf(nItems, length, (i) => m.popularity[i]!);
  const byCategory = d.categories.map((_, c) =>
    topOf(nItems, length, (i) => (d.itemCategory[i] === c ? m.popularity[i]! : 0)),
  );
  const provincePop = d.provinces.map(() => new Float32Array(nItems));
  for (let u = 0; u < d.userIds.length; u++) {
    const pv = d.userProvince[u]!;
    if (pv < 0) continue;
    const arr = provincePop[pv]!;
    for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++) arr[d.userItems[p]!]! += d.userValues[p]!;
  }
  const byProvince = provincePop.map((arr) => topOf(nItems, length, (i) => arr[i]!));
  return { global: g.items, globalScores: g.scores, byCategory, byProvince };
}
