// A small seeded PRNG (sfc32, seeded through splitmix32): fast, 128-bit state, good enough for
// synthetic data, and identical on every platform, so a seed always gives the same store.

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const split = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

/** Draws indexes in proportion to fixed weights (cumulative sums and a binary search). */
export class WeightedSampler {
  private readonly cumulative: Float64Array;
  readonly size: number;

  constructor(
    weights: ArrayLike<number>,
    private readonly items?: ArrayLike<number>,
  ) {
    this.size = weights.length;
    if (this.size === 0) throw new RangeError('a weighted sampler needs at least one weight');
    this.cumulative = new Float64Array(this.size);
    let sum = 0;
    for (let i = 0; i < this.size; i++) {
      sum += weights[i] ?? 0;
      this.cumulative[i] = sum;
    }
    if (!(sum > 0)) throw new RangeError('a weighted sampler needs a positive total weight');
  }

  /** An index into weights, or the matching entry of items when given. */
  sample(rng: Prng): number {
    const c = this.cumulative;
    const target = rng.next() * (c[this.size - 1] ?? 0);
    let lo = 0;
    let hi = this.size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((c[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items ? (this.items[lo] ?? lo) : lo;
  }
}
