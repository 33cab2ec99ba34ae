import { blendRows, rowScale, rp3betaRows } from '../../src/engine/local/graph-model';
import { transpose, type SparseRows } from '../../src/engine/local/item-model';
import type { Dataset } from '../../src/engine/local/dataset';

/** Customers u0 {A, B}, u1 {A, B, C}, u2 {B, C}, every cell worth 1. */
function tinyDataset(): Dataset {
  const userItems = Int32Array.from([0, 1, 0, 1, 2, 1, 2]);
  const ones = new Float32Array(userItems.length).fill(1);
  return {
    userIds: ['u0', 'u1', 'u2'],
    itemIds: ['A', 'B', 'C'],
    userPtr: Int32Array.from([0, 2, 5, 7]),
    userItems,
    userValues: ones,
    userBought: new Uint8Array(userItems.length).fill(1),
    userProfile: ones,
    itemTrend: new Float32Array(3),
    itemPopularity: new Float32Array(3),
    categories: [],
    itemCategory: new Int32Array(3).fill(-1),
    provinces: [],
    userProvince: new Int32Array(3).fill(-1),
    referenceTime: 0,
    interactions: userItems.length,
  };
}

function row(r: SparseRows, i: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let q = r.ptr[i]!; q < r.ptr[i + 1]!; q++) out[r.idx[q]!] = r.w[q]!;
  return out;
}

describe('rp3betaRows', () => {
  const d = tinyDataset();
  const t = transpose(d);

  it('is the two-step walk probability divided by degree^beta (hand-computed)', () => {
    const r = rp3betaRows(d, t, 10, 1, 0.5);
    // A -> B: P(u0|A) P(B|u0) + P(u1|A) P(B|u1) = 1/2 * 1/2 + 1/2 * 1/3 = 5/12, over sqrt(deg B = 3).
    expect(row(r, 0)[1]).toBeCloseTo(5 / 12 / Math.sqrt(3), 6);
    // A -> C: only through u1: 1/2 * 1/3, over sqrt(2).
    expect(row(r, 0)[2]).toBeCloseTo(1 / 6 / Math.sqrt(2), 6);
    // B -> A and B -> C: 1/3 * 1/2 + 1/3 * 1/3 = 5/18 each, over sqrt(2).
    expect(row(r, 1)[0]).toBeCloseTo(5 / 18 / Math.sqrt(2), 6);
    expect(row(r, 1)[2]).toBeCloseTo(5 / 18 / Math.sqrt(2), 6);
    // C -> B: 1/2 * 1/3 + 1/2 * 1/2 = 5/12, over sqrt(3). No product points to itself.
    expect(row(r, 2)[1]).toBeCloseTo(5 / 12 / Math.sqrt(3), 6);
    for (let i = 0; i < 3; i++) expect(row(r, i)[i]).toBeUndefined();
    // Best first within a row.
    expect(Array.from(r.idx.subarray(r.ptr[0], r.ptr[1]))).toEqual([1, 2]);
  });

  it('raises each step to alpha and keeps only the top k', () => {
    const r = rp3betaRows(d, t, 1, 2, 0);
    expect(r.ptr[1]! - r.ptr[0]!).toBe(1);
    expect(row(r, 0)[1]).toBeCloseTo((1 / 4) * (1 / 4) + (1 / 4) * (1 / 9), 6);
  });

  it('with beta = 0 favours the popular product, with beta = 1 the rare one', () => {
    // From B, A and C tie on the walk; from A, B (3 customers) beats C (2) on the walk.
    expect(Array.from(rp3betaRows(d, t, 10, 1, 0).idx.subarray(0, 1))).toEqual([1]);
    const r = rp3betaRows(d, t, 10, 1, 1);
    // 5/12 / 3 = 0.139 against 1/6 / 2 = 0.083: B still wins, but by less.
    expect(row(r, 0)[1]! / row(r, 0)[2]!).toBeCloseTo(5 / 12 / 3 / (1 / 6 / 2), 5);
  });
});

describe('blendRows', () => {
  const a: SparseRows = {
    ptr: Int32Array.from([0, 1, 2, 2]),
    idx: Int32Array.from([1, 0]),
    w: Float32Array.from([4, 2]),
  };
  const b: SparseRows = {
    ptr: Int32Array.from([0, 1, 2, 3]),
    idx: Int32Array.from([2, 2, 0]),
    w: Float32Array.from([1, 1, 1]),
  };

  it('brings both models to a mean row sum of 1 before mixing them', () => {
    expect(rowScale(a)).toBe(3); // (4 + 2) / 2 non-empty rows
    expect(rowScale(b)).toBe(1);
    const r = blendRows(a, b, 0.25, 10);
    expect(row(r, 0)).toEqual({ 1: 0.75 * (4 / 3), 2: 0.25 });
    expect(row(r, 1)[0]).toBeCloseTo(0.5, 6);
    expect(row(r, 1)[2]).toBeCloseTo(0.25, 6);
    // A row empty in the first model (a product beyond EASE's subset) keeps the second's.
    expect(row(r, 2)).toEqual({ 0: 0.25 });
  });

  it('share 0 and 1 give back one model, scaled', () => {
    const first = row(blendRows(a, b, 0, 10), 0);
    expect(Object.keys(first)).toEqual(['1']);
    expect(first[1]).toBeCloseTo(4 / 3, 6);
    expect(row(blendRows(a, b, 1, 10), 0)).toEqual({ 2: 1 });
  });
});
