// Dense symmetric positive-definite inversion in Float64Array (row-major), through Cholesky:
// A = L L^T, M = L^-1, A^-1 = M^T M. About n^3/2 multiply-adds, every inner loop a contiguous dot
// product, which is what V8 runs fastest.

function dot(a: Float64Array, ai: number, b: Float64Array, bi: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ai + k]! * b[bi + k]!;
    s1 += a[ai + k + 1]! * b[bi + k + 1]!;
    s2 += a[ai + k + 2]! * b[bi + k + 2]!;
    s3 += a[ai + k + 3]! * b[bi + k + 3]!;
  }
  for (; k < len; k++) s0 += a[ai + k]! * b[bi + k]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Inverts the SPD matrix `a` (n x n, row-major) in place: on return `a` holds A^-1.
 * `onRow` reports progress (0..1). Throws when the matrix is not positive definite.
 */
export function invertSpd(a: Float64Array, n: number, onProgress?: (fraction: number) => void): void {
  // 1. Cholesky, lower triangle of `a` becomes L.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      const s = a[ri + j]! - dot(a, ri, a, rj, j);
      if (i === j) {
        if (!(s > 0)) throw new Error(`matrix is not positive definite at row ${i}`);
        a[ri + i] = Math.sqrt(s);
      } else {
        a[ri + j] = s / a[rj + j]!;
      }
    }
    if (onProgress && (i & 255) === 0) onProgress((i / n) * 0.33);
  }
  // 2. MT = (L^-1)^T, stored row-major, so that row j of MT is column j of L^-1.
  const mt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const inv = 1 / a[ri + i]!;
    mt[i * n + i] = inv;
    for (let j = 0; j < i; j++) {
      // M[i][j] = -(sum_{k=j}^{i-1} L[i][k] M[k][j]) / L[i][i]
      mt[j * n + i] = -dot(a, ri + j, mt, j * n + j, i - j) * inv;
    }
    if (onProgress && (i & 255) === 0) onProgress(0.33 + (i / n) * 0.33);
  }
  // 3. A^-1[p][q] = sum_{k >= max(p,q)} M[k][p] M[k][q] = dot of MT rows p and q from max(p,q).
  for (let p = 0; p < n; p++) {
    const rp = p * n;
    for (let q = p; q < n; q++) {
      const v = dot(mt, rp + q, mt, q * n + q, n - q);
      a[rp + q] = v;
      a[q * n + p] = v;
    }
    if (onProgress && (p & 255) === 0) onProgress(0.66 + (p / n) * 0.34);
  }
}
