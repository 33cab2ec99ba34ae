// Item-item models from random walks on the customer-product graph, and blending of two sparse
// item models. RP3beta (Paudel et al. 2016, "Updatable, accurate, diverse, and scalable
// recommendations for interactive applications"): the probability of walking product i ->
// customer -> product j, each step's transition probability raised to alpha (P3alpha), divided by
// j's degree^beta so that best-sellers do not win every walk. It costs what item kNN costs and
// covers every product, where EASE covers only the most active ones.
import type { Dataset } from './dataset';
import { rowsFromTopK, type ItemUsers, type SparseRows } from './item-model';

/** RP3beta rows: the top `k` products j per product i (j != i) by walk probability / degree(j)^beta. */
export function rp3betaRows(d: Dataset, t: ItemUsers, k: number, alpha: number, beta: number): SparseRows {
  const nItems = d.itemIds.length;
  const nUsers = d.userIds.length;
  // Step customer -> product: x_uj / sum_j x_uj, aligned with the user CSR.
  const userStep = new Float64Array(d.userItems.length);
  for (let u = 0; u < nUsers; u++) {
    let s = 0;
    for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++) if (d.userValues[p]! > 0) s += d.userValues[p]!;
    for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++) {
      userStep[p] = d.userValues[p]! > 0 ? Math.pow(d.userValues[p]! / s, alpha) : 0;
    }
  }
  // Step product -> customer: x_ui / sum_u x_ui, aligned with the item CSR; degree penalty per product.
  const itemStep = new Float64Array(t.users.length);
  const penalty = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let p = t.ptr[i]!; p < t.ptr[i + 1]!; p++) s += t.values[p]!;
    for (let p = t.ptr[i]!; p < t.ptr[i + 1]!; p++) itemStep[p] = Math.pow(t.values[p]! / s, alpha);
    const degree = t.ptr[i + 1]! - t.ptr[i]!;
    penalty[i] = degree > 0 ? Math.pow(degree, -beta) : 0;
  }
  const acc = new Float64Array(nItems);
  const mark = new Uint8Array(nItems);
  const touched = new Int32Array(nItems);
  return rowsFromTopK(
    nItems,
    (i, heap) => {
      let nt = 0;
      for (let p = t.ptr[i]!; p < t.ptr[i + 1]!; p++) {
        const u = t.users[p]!;
        const a = itemStep[p]!;
        for (let q = d.userPtr[u]!; q < d.userPtr[u + 1]!; q++) {
          const j = d.userItems[q]!;
          const b = userStep[q]!;
          if (j === i || b === 0) continue;
          if (!mark[j]) {
            mark[j] = 1;
            touched[nt++] = j;
          }
          acc[j]! += a * b;
        }
      }
      for (let a = 0; a < nt; a++) {
        const j = touched[a]!;
        const w = acc[j]! * penalty[j]!;
        if (w > 0) heap.push(j, w);
        acc[j] = 0;
        mark[j] = 0;
      }
    },
    k,
  );
}

/** Mean row sum over the non-empty rows: the scale a model's scores live on. */
export function rowScale(r: SparseRows): number {
  let sum = 0;
  let rows = 0;
  for (let i = 0; i + 1 < r.ptr.length; i++) {
    if (r.ptr[i + 1] === r.ptr[i]) continue;
    for (let q = r.ptr[i]!; q < r.ptr[i + 1]!; q++) sum += r.w[q]!;
    rows += 1;
  }
  return rows && sum > 0 ? sum / rows : 1;
}

/**
 * (1 - share) x a / scale(a) + share x b / scale(b), row by row, the top `k` of each row. Each
 * model is first brought to the same scale (mean row sum 1), so `share` means the same whatever
 * the models' units are.
 */
export function blendRows(a: SparseRows, b: SparseRows, share: number, k: number): SparseRows {
  const n = a.ptr.length - 1;
  const fa = (1 - share) / rowScale(a);
  const fb = share / rowScale(b);
  const acc = new Float64Array(n);
  const mark = new Uint8Array(n);
  const touched = new Int32Array(n);
  return rowsFromTopK(
    n,
    (i, heap) => {
      let nt = 0;
      const add = (r: SparseRows, f: number) => {
        for (let q = r.ptr[i]!; q < r.ptr[i + 1]!; q++) {
          const j = r.idx[q]!;
          if (!mark[j]) {
            mark[j] = 1;
            touched[nt++] = j;
          }
          acc[j]! += f * r.w[q]!;
        }
      };
      add(a, fa);
      add(b, fb);
      for (let x = 0; x < nt; x++) {
        const j = touched[x]!;
        if (acc[j]! > 0) heap.push(j, acc[j]!);
        acc[j] = 0;
        mark[j] = 0;
      }
    },
    k,
  );
}
