// The truth a tuning trial (and the quality bench) scores against: for each customer known to
// training, the products they reached with a target event (a purchase) in the held-out rows and
// had not reached before. Which earlier products are "already had" is the truth rule:
// 'new-target' (no earlier target event: AWS's purchase exclusion) or 'untouched' (no earlier
// event of any type: a visitor's first contact). Recommendations skip the same products.
import type { Dataset } from '../dataset';
import type { RawInteractions } from '../dataset-reader';
import type { Split } from '../evaluation';
import type { Recommender } from '../recommender';
import { ndcg } from '../metrics';

export type TruthRule = 'new-target' | 'untouched';

export interface HoldoutCase {
  u: number;
  truth: Set<number>;
  /** Products the customer already had, by the rule: never recommended to them here. */
  had: Set<number>;
}

export function holdoutCases(
  raw: RawInteractions,
  split: Split,
  data: Dataset,
  targetTypes: readonly string[],
  rule: TruthRule,
): HoldoutCase[] {
  const userIndex = new Map(data.userIds.map((id, i) => [id, i]));
  const itemIndex = new Map(data.itemIds.map((id, i) => [id, i]));
  const isTarget = Uint8Array.from(raw.eventTypes, (t) => (targetTypes.includes(t) ? 1 : 0));
  const out: HoldoutCase[] = [];
  for (const ru of [...split.heldOut.keys()].sort((a, b) => a - b)) {
    const u = userIndex.get(raw.userIds[ru]!);
    if (u === undefined || data.userPtr[u + 1] === data.userPtr[u]) continue;
    const had = new Set<number>();
    for (let p = data.userPtr[u]!; p < data.userPtr[u + 1]!; p++)
      if (rule === 'untouched' || data.userBought[p]) had.add(data.userItems[p]!);
    const truth = new Set<number>();
    for (const k of split.heldOut.get(ru)!) {
      if (!isTarget[raw.eventType[k]!]) continue;
      // A product unknown to training can never be recommended; it still counts as missed.
      const i = itemIndex.get(raw.itemIds[raw.item[k]!]!) ?? -1 - raw.item[k]!;
      if (!had.has(i)) truth.add(i);
    }
    if (truth.size) out.push({ u, truth, had });
  }
  return out;
}

/** The first k of a ranked list that are not in `had`. */
export function firstNew(items: ArrayLike<number>, had: Set<number>, k: number): number[] {
  const out: number[] = [];
  for (let a = 0; a < items.length && out.length < k; a++) if (!had.has(items[a]!)) out.push(items[a]!);
  return out;
}

export interface CaseScores {
  /** nDCG@k per case, in the order of the cases (paired comparisons between trials). */
  ndcg: Float64Array;
  mean: number;
}

/** The engine's lists for every case, and their nDCG@k. */
export function scoreRecommender(r: Recommender, cases: readonly HoldoutCase[], k: number): CaseScores {
  const out = new Float64Array(cases.length);
  let sum = 0;
  cases.forEach((c, n) => {
    const v = ndcg({ recommended: firstNew(r.forUser(c.u).items, c.had, k), truth: c.truth }, k);
    out[n] = v;
    sum += v;
  });
  return { ndcg: out, mean: cases.length ? sum / cases.length : 0 };
}

/** Mean and standard error of the paired difference a - b (same cases). */
export function pairedGain(a: Float64Array, b: Float64Array): { gain: number; se: number } {
  const n = a.length;
  if (!n) return { gain: 0, se: 0 };
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! - b[i]!;
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (a[i]! - b[i]! - mean) ** 2;
  return { gain: mean, se: n > 1 ? Math.sqrt(v / (n - 1) / n) : 0 };
}
