// Bounded selection of the best k (index, score) pairs in typed arrays. Ties go to the lower index,
// so every list the engine writes is deterministic.
export class TopK {
  readonly idx: Int32Array;
  readonly val: Float64Array;
  size = 0;

  constructor(readonly k: number) {
    this.idx = new Int32Array(Math.max(1, k));
    this.val = new Float64Array(Math.max(1, k));
  }

  reset(): void {
    this.size = 0;
  }

  /** The score a newcomer must beat once the heap is full (-Infinity before). */
  threshold(): number {
    return this.size < this.k ? -Infinity : this.val[0]!;
  }

  push(i: number, v: number): void {
    const { idx, val } = this;
    if (this.size < this.k) {
      let c = this.size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(v, i, val[p]!, idx[p]!)) break;
        val[c] = val[p]!;
        idx[c] = idx[p]!;
        c = p;
      }
      val[c] = v;
      idx[c] = i;
      return;
    }
    if (this.k === 0 || !worse(val[0]!, idx[0]!, v, i)) return;
    this.replaceRoot(i, v, this.size);
  }

  /** Writes the kept pairs best first into the given arrays; returns how many. Empties the heap. */
  drain(outIdx: Int32Array | number[], outVal: Float64Array | number[]): number {
    const n = this.size;
    const { idx, val } = this;
    // Heap sort in place: the root is the worst kept pair, so it goes to the end of the output.
    for (let end = n - 1; end >= 0; end--) {
      outIdx[end] = idx[0]!;
      outVal[end] = val[0]!;
      this.replaceRoot(idx[end]!, val[end]!, end);
    }
    this.size = 0;
    return n;
  }

  /** Puts (i, v) at the root of the heap's first n slots and sifts it down to its place. */
  private replaceRoot(i: number, v: number, n: number): void {
    const { idx, val } = this;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && worse(val[r]!, idx[r]!, val[l]!, idx[l]!) ? r : l;
      if (!worse(val[m]!, idx[m]!, v, i)) break;
      val[c] = val[m]!;
      idx[c] = idx[m]!;
      c = m;
    }
    val[c] = v;
    idx[c] = i;
  }
}

/** True when (va, ia) ranks below (vb, ib). */
export function worse(va: number, ia: number, vb: number, ib: number): boolean {
  return va < vb || (va === vb && ia > ib);
}
