// Scores a ranker on a truth set: nDCG, precision, recall and MAP at k (binary relevance), the
// catalogue coverage of the lists, and a bootstrap 95% interval of nDCG over customers (the
// figure's noise: Retailrocket's buyers are few).
import { seededRandom } from '../../src/engine/local/evaluation';
import { averagePrecision, ndcg } from '../../src/engine/local/metrics';
import type { HoldoutCase } from '../../src/engine/local/tuning/holdout-cases';
import type { Ranker } from './references';

export interface Scored {
  ndcg: number;
  ndcgLow: number;
  ndcgHigh: number;
  precision: number;
  recall: number;
  map: number;
  coverage: number;
  users: number;
  /** Per case nDCG, in case order (paired comparisons). */
  perCase: Float64Array;
}

const RESAMPLES = 400;

export function bootstrapInterval(values: Float64Array, seed = 7): [number, number] {
  const n = values.length;
  if (!n) return [0, 0];
  const rand = seededRandom(seed);
  const means = new Float64Array(RESAMPLES);
  for (let r = 0; r < RESAMPLES; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[Math.floor(rand() * n)]!;
    means[r] = s / n;
  }
  means.sort();
  return [means[Math.floor(RESAMPLES * 0.025)]!, means[Math.floor(RESAMPLES * 0.975)]!];
}

export function score(rank: Ranker, cases: readonly HoldoutCase[], k: number, catalog: number): Scored {
  const perCase = new Float64Array(cases.length);
  let p = 0;
  let r = 0;
  let m = 0;
  const covered = new Set<number>();
  cases.forEach((c, n) => {
    const recommended = rank(c.u, c.had, k);
    for (const i of recommended) covered.add(i);
    const e = { recommended, truth: c.truth };
    perCase[n] = ndcg(e, k);
    let hits = 0;
    for (const i of recommended) if (c.truth.has(i)) hits += 1;
    p += hits / k;
    r += hits / c.truth.size;
    m += averagePrecision(e, k);
  });
  const n = Math.max(1, cases.length);
  const [ndcgLow, ndcgHigh] = bootstrapInterval(perCase);
  return {
    ndcg: perCase.reduce((s, v) => s + v, 0) / n,
    ndcgLow,
    ndcgHigh,
    precision: p / n,
    recall: r / n,
    map: m / n,
    coverage: covered.size / Math.max(1, catalog),
    users: cases.length,
    perCase,
  };
}
