import { invertSpd } from '../../src/engine/local/linalg';
import { TopK } from '../../src/engine/local/top-k';
import { seededRandom } from '../../src/engine/local/evaluation';

describe('invertSpd', () => {
  it('inverts a symmetric positive-definite matrix', () => {
    const n = 7;
    const rand = seededRandom(3);
    const x = Array.from({ length: n * 12 }, () => rand());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? 0.5 : 0;
        for (let r = 0; r < 12; r++) s += x[r * n + i]! * x[r * n + j]!;
        a[i * n + j] = s;
      }
    const inv = Float64Array.from(a);
    invertSpd(inv, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k]! * inv[k * n + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => {
      invertSpd(Float64Array.from([1, 2, 2, 1]), 2);
    }).toThrow(/not positive definite/);
  });
});

describe('TopK', () => {
  it('keeps the best k, ties to the lower index, best first', () => {
    const t = new TopK(3);
    [
      [5, 1],
      [2, 9],
      [7, 1],
      [1, 3],
      [3, 9],
    ].forEach(([i, v]) => {
      t.push(i!, v!);
    });
    const idx: number[] = [];
    const val: number[] = [];
    expect(t.drain(idx, val)).toBe(3);
    expect(idx).toEqual([2, 3, 1]);
    expect(val).toEqual([9, 9, 3]);
  });
});
