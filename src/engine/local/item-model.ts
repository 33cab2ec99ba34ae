// Item-item models: cosine kNN over all products, and EASE (Steck 2019), a closed-form linear
// model B = I - P diagMat(1/diag(P)), P = (X^T X + lambda I)^-1, on the most active products.
// Both end as sparse rows: row i holds the products that buying i points to, with weights.
import type { Dataset } from './dataset';
import { invertSpd } from './linalg';
import { TopK } from './top-k';

export interface SparseRows {
  ptr: Int32Array;
  idx: Int32Array;
  w: Float32Array;
}

export interface ItemUsers {
  ptr: Int32Array;
  users: Int32Array;
  values: Float32Array;
}

export function transpose(d: Dataset): ItemUsers {
  const nItems = d.itemIds.length;
  const ptr = new Int32Array(nItems + 1);
  for (let p = 0; p < d.userItems.length; p++) if (d.userValues[p]! > 0) ptr[d.userItems[p]! + 1]! += 1;
  for (let i = 0; i < nItems; i++) ptr[i + 1]! += ptr[i]!;
  const fill = ptr.slice(0, nItems);
  const users = new Int32Array(ptr[nItems]!);
  const values = new Float32Array(ptr[nItems]!);
  for (let u = 0; u < d.userIds.length; u++) {
    for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++) {
      if (d.userValues[p]! <= 0) continue;
      const at = fill[d.userItems[p]!]!++;
      users[at] = u;
      values[at] = d.userValues[p]!;
    }
  }
  return { ptr, users, values };
}

export function rowsFromTopK(n: number, fillRow: (i: number, heap: TopK) => void, k: number): SparseRows {
  const ptr = new Int32Array(n + 1);
  const idx: number[] = [];
  const w: number[] = [];
  const heap = new TopK(k);
  const oi = new Int32Array(k);
  const ov = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    heap.reset();
    fillRow(i, heap);
    const c = heap.drain(oi, ov);
    for (let j = 0; j < c; j++) {
      idx.push(oi[j]!);
      w.push(ov[j]!);
    }
    ptr[i + 1] = idx.length;
  }
  return { ptr, idx: Int32Array.from(idx), w: Float32Array.from(w) };
}

/** Cosine similarity with shrinkage: c_ij / (|i| |j| + shrink); the top `k` per product. */
export function cosineNeighbors(d: Dataset, t: ItemUsers, k: number, shrink: number): SparseRows {
  const nItems = d.itemIds.length;
  const norm = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let p = t.ptr[i]!; p < t.ptr[i + 1]!; p++) s += t.values[p]! * t.values[p]!;
    norm[i] = Math.sqrt(s);
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
        const xu = t.values[p]!;
        for (let q = d.userPtr[u]!; q < d.userPtr[u + 1]!; q++) {
          const j = d.userItems[q]!;
          const xv = d.userValues[q]!;
          if (j === i || xv <= 0) continue;
          if (!mark[j]) {
            mark[j] = 1;
            touched[nt++] = j;
          }
          acc[j]! += xu * xv;
        }
      }
      for (let a = 0; a < nt; a++) {
        const j = touched[a]!;
        heap.push(j, acc[j]! / (norm[i]! * norm[j]! + shrink));
        acc[j] = 0;
        mark[j] = 0;
      }
    },
    k,
  );
}

/** The `max` products with the most customers (ties: lower index), ascending by index. */
export function mostActiveItems(t: ItemUsers, max: number): Int32Array {
  const n = t.ptr.length - 1;
  const heap = new TopK(Math.min(max, n));
  for (let i = 0; i < n; i++) {
    const c = t.ptr[i + 1]! - t.ptr[i]!;
    if (c > 0) heap.push(i, c);
  }
  const idx = new Int32Array(heap.size);
  const c = heap.drain(idx, new Float64Array(heap.size));
  return idx.subarray(0, c).sort();
}

/** EASE rows over the given products (others get empty rows): the top `k` positive weights each. */
export function easeRows(
  d: Dataset,
  subset: Int32Array,
  lambda: number,
  k: number,
  onProgress?: (fraction: number) => void,
): SparseRows {
  const nItems = d.itemIds.length;
  const m = subset.length;
  const local = new Int32Array(nItems).fill(-1);
  subset.forEach((item, a) => (local[item] = a));
  const g = new Float64Array(m * m);
  const li = new Int32Array(nItems);
  const lv = new Float64Array(nItems);
  for (let u = 0; u < d.userIds.length; u++) {
    let c = 0;
    for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++) {
      const a = local[d.userItems[p]!]!;
      if (a < 0 || d.userValues[p]! <= 0) continue;
      li[c] = a;
      lv[c++] = d.userValues[p]!;
    }
    // Items are ascending, so local indices are too: fill the upper triangle only.
    for (let x = 0; x < c; x++) {
      const row = li[x]! * m;
      const vx = lv[x]!;
      for (let y = x; y < c; y++) g[row + li[y]!]! += vx * lv[y]!;
    }
  }
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) g[b * m + a] = g[a * m + b]!;
    g[a * m + a]! += lambda;
  }
  invertSpd(g, m, onProgress);
  return rowsFromTopK(
    nItems,
    (i, heap) => {
      const a = local[i]!;
      if (a < 0) return;
      const row = a * m;
      for (let b = 0; b < m; b++) {
        if (b === a) continue;
        const w = -g[row + b]! / g[b * m + b]!;
        if (w > 0) heap.push(subset[b]!, w);
      }
    },
    k,
  );
}
