// Offline evaluation of one recipe on an interactions file: split, train on the training part,
// recommend for the held-out customers, score against what they really did next.
import type { Readable } from 'node:stream';
import { computeSegments } from './batch-output';
import { buildDataset, checkMinimums, type Dataset } from './dataset';
import { readInteractions, type RawInteractions } from './dataset-reader';
import { DEFAULT_PARAMS, type EngineParams } from './engine-params';
import { popularityLists, trainModel } from './local-model';
import { computeMetrics, type EvaluationCase } from './metrics';
import { Recommender } from './recommender';
import type { RecipeName, SplitKind } from '../training-engine';

export interface Split {
  /** 1 for rows the model trains on (and that make the held-out customers' history). */
  train: Uint8Array;
  /** Held-out rows, by raw user index. */
  heldOut: Map<number, number[]>;
}

/** Deterministic PRNG (mulberry32) so that a split depends only on the seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rowsByUser(raw: RawInteractions): number[][] {
  const rows: number[][] = raw.userIds.map(() => []);
  for (let k = 0; k < raw.length; k++) rows[raw.user[k]!]!.push(k);
  for (const r of rows) r.sort((a, b) => raw.timestamp[a]! - raw.timestamp[b]! || a - b);
  return rows;
}

/**
 * users (AWS's): 10% of customers are held out; their oldest 90% of events are input, the newest
 * 10% must be predicted. time: events at or after the cutoff (default: the 90th percentile of
 * timestamps) are held out. random: 10% of events, drawn with the seed.
 */
export function splitInteractions(
  raw: RawInteractions,
  kind: SplitKind,
  seed: number,
  cutoff?: number,
  until?: number,
): Split {
  const train = new Uint8Array(raw.length).fill(1);
  // Events at or after `until` do not exist for this split (a validation window before the test one).
  if (until !== undefined) for (let k = 0; k < raw.length; k++) if (raw.timestamp[k]! >= until) train[k] = 2;
  const heldOut = new Map<number, number[]>();
  const hold = (k: number) => {
    train[k] = 0;
    const u = raw.user[k]!;
    const list = heldOut.get(u);
    if (list) list.push(k);
    else heldOut.set(u, [k]);
  };
  const rand = seededRandom(seed);
  if (kind === 'users') {
    rowsByUser(raw).forEach((all) => {
      const rows = until === undefined ? all : all.filter((k) => train[k] === 1);
      if (rows.length < 2 || rand() >= 0.1) return;
      const input = Math.max(1, Math.floor(rows.length * 0.9));
      for (const k of rows.slice(input)) hold(k);
    });
  } else if (kind === 'time') {
    let at = cutoff;
    if (at === undefined) {
      const ts = Float64Array.from(raw.timestamp.subarray(0, raw.length)).sort();
      at = ts[Math.floor(ts.length * 0.9)] ?? Infinity;
    }
    for (let k = 0; k < raw.length; k++) if (train[k] === 1 && raw.timestamp[k]! >= at) hold(k);
  } else {
    for (let k = 0; k < raw.length; k++) if (rand() < 0.1 && train[k] === 1) hold(k);
  }
  for (let k = 0; k < raw.length; k++) if (train[k] === 2) train[k] = 0;
  return { train, heldOut };
}

export interface EvaluateOptions {
  recipe: RecipeName;
  split?: SplitKind;
  k?: number;
  params?: Partial<EngineParams>;
  /** time split only: held-out events are those at or after this Unix time. */
  cutoff?: number;
  /** Events at or after this Unix time are ignored (validation: the test window stays unseen). */
  until?: number;
}

/** Evaluates on already-read interactions; see evaluateRecipe for a stream. */
export async function evaluateRaw(raw: RawInteractions, opts: EvaluateOptions): Promise<Record<string, number>> {
  const [metrics] = await evaluateRecipes(raw, [opts.recipe], opts);
  return metrics!;
}

/**
 * Several recipes on one split: each model is trained once and shared by the recipes that use it,
 * so every recipe's figures equal evaluateRaw's for it alone. Results in the order of `recipes`.
 */
export async function evaluateRecipes(
  raw: RawInteractions,
  recipes: RecipeName[],
  opts: Omit<EvaluateOptions, 'recipe'>,
): Promise<Record<string, number>[]> {
  const params: EngineParams = { ...DEFAULT_PARAMS, ...opts.params };
  const k = opts.k ?? 10;
  checkMinimums(raw);
  const split = splitInteractions(raw, opts.split ?? 'users', params.seed, opts.cutoff, opts.until);
  const data = buildDataset(raw, params, null, null, { rows: split.train });
  const cases = testCases(raw, split, data, params);
  const size = Math.max(25, k);
  const recommenders = new Map<'cosine' | 'scoring', Recommender>();
  const recommender = (kind: 'cosine' | 'scoring') => {
    let r = recommenders.get(kind);
    if (!r) {
      const model = trainModel(data, kind === 'cosine' ? { ...params, algorithm: 'cosine' } : params);
      r = new Recommender(model, popularityLists(model, size * 4), size);
      recommenders.set(kind, r);
    }
    return r;
  };
  const out: Record<string, number>[] = [];
  for (const recipe of recipes) {
    // Popularity and similar-items do not use the scoring model: train the cheap one.
    const r = recommender(recipe === 'popularity-count' || recipe === 'similar-items' ? 'cosine' : 'scoring');
    const norm = recipe === 'item-affinity' ? (await computeSegments(r)).best : undefined;
    const evalCases: EvaluationCase[] = cases.map(({ u, truth }) => ({
      recommended: recommend(r, recipe, u, norm).items,
      truth,
    }));
    out.push(computeMetrics(evalCases, k, data.itemIds.length));
  }
  return out;
}

/** Customers seen in training with at least one held-out product they may be recommended. */
function testCases(
  raw: RawInteractions,
  split: Split,
  data: Dataset,
  params: EngineParams,
): { u: number; truth: Set<number> }[] {
  const userIndex = new Map(data.userIds.map((id, i) => [id, i]));
  const itemIndex = new Map(data.itemIds.map((id, i) => [id, i]));
  const out: { u: number; truth: Set<number> }[] = [];
  const rawUsers = [...split.heldOut.keys()].sort((a, b) => a - b);
  for (const ru of rawUsers) {
    const u = userIndex.get(raw.userIds[ru]!);
    if (u === undefined || data.userPtr[u + 1] === data.userPtr[u]) continue;
    const history = new Set<number>();
    for (let p = data.userPtr[u]!; p < data.userPtr[u + 1]!; p++) {
      if (!params.excludePurchased || data.userBought[p]) history.add(data.userItems[p]!);
    }
    const truth = new Set<number>();
    for (const k of split.heldOut.get(ru)!) {
      if ((params.eventWeights[raw.eventTypes[raw.eventType[k]!]!] ?? params.defaultEventWeight) <= 0) continue;
      // A product unknown to training can never be recommended; it still counts as missed.
      const i = itemIndex.get(raw.itemIds[raw.item[k]!]!) ?? -1 - raw.item[k]!;
      if (!params.excludePurchased || !history.has(i)) truth.add(i);
    }
    if (truth.size) out.push({ u, truth });
  }
  return out;
}

function recommend(r: Recommender, recipe: RecipeName, u: number, norm?: Float64Array): { items: number[] } {
  switch (recipe) {
    case 'popularity-count':
      return r.forUserPopular(u);
    case 'similar-items':
      return r.forUserBySimilar(u);
    case 'item-affinity':
      return r.forUser(u, norm);
    case 'user-personalization':
    case 'personalized-ranking':
      return r.forUser(u);
  }
}

export async function evaluateRecipe(
  opts: EvaluateOptions & { interactions: Readable },
): Promise<Record<string, number>> {
  const raw = await readInteractions(opts.interactions, 'interactions.csv');
  return evaluateRaw(raw, opts);
}
