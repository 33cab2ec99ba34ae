// Offline metrics under AWS Personalize's names, plus recall and MAP at k. Relevance is binary:
// a recommended product is a hit when it is in the customer's held-out set.

export interface EvaluationCase {
  recommended: ArrayLike<number>;
  truth: Set<number>;
}

/** AWS's fixed cut-offs, and recall/MAP at the caller's k. */
export function computeMetrics(cases: EvaluationCase[], k: number, catalogSize: number): Record<string, number> {
  const sums: Record<string, number> = {};
  const add = (name: string, v: number) => (sums[name] = (sums[name] ?? 0) + v);
  const covered = new Set<number>();
  const depth = Math.max(25, k);
  for (const c of cases) {
    const n = Math.min(depth, c.recommended.length);
    for (let a = 0; a < n; a++) covered.add(c.recommended[a]!);
    let mrr = 0;
    for (let a = 0; a < Math.min(25, n); a++) {
      if (c.truth.has(c.recommended[a]!)) {
        mrr = 1 / (a + 1);
        break;
      }
    }
    add('mean_reciprocal_rank_at_25', mrr);
    for (const cut of [5, 10, 25]) {
      add(`normalized_discounted_cumulative_gain_at_${cut}`, ndcg(c, cut));
      add(`precision_at_${cut}`, hits(c, cut) / cut);
    }
    add(`recall_at_${k}`, c.truth.size ? hits(c, k) / c.truth.size : 0);
    add(`map_at_${k}`, averagePrecision(c, k));
  }
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(sums)) out[name] = cases.length ? v / cases.length : 0;
  out.coverage = catalogSize ? covered.size / catalogSize : 0;
  out.users_evaluated = cases.length;
  return out;
}

function hits(c: EvaluationCase, k: number): number {
  let h = 0;
  const n = Math.min(k, c.recommended.length);
  for (let a = 0; a < n; a++) if (c.truth.has(c.recommended[a]!)) h += 1;
  return h;
}

export function ndcg(c: EvaluationCase, k: number): number {
  let dcg = 0;
  const n = Math.min(k, c.recommended.length);
  for (let a = 0; a < n; a++) if (c.truth.has(c.recommended[a]!)) dcg += 1 / Math.log2(a + 2);
  let idcg = 0;
  for (let a = 0; a < Math.min(k, c.truth.size); a++) idcg += 1 / Math.log2(a + 2);
  return idcg ? dcg / idcg : 0;
}

export function averagePrecision(c: EvaluationCase, k: number): number {
  let h = 0;
  let sum = 0;
  const n = Math.min(k, c.recommended.length);
  for (let a = 0; a < n; a++) {
    if (c.truth.has(c.recommended[a]!)) {
      h += 1;
      sum += h / (a + 1);
    }
  }
  const denom = Math.min(k, c.truth.size);
  return denom ? sum / denom : 0;
}
