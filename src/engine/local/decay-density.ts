// The shortest recency half-life that still leaves the personal models enough evidence: on a
// sparse store (Retailrocket: 235 k items, a few events each), a half-life that suits a dense one
// (Online Retail: 7 of 373 days) trains the item model on a fraction of an event per product. The
// density is the data's own: decayed events per product, sum over events of 0.5^(age / h)
// divided by the products that have any. It grows with h, so h is found by bisection.

/** Ages are bucketed (the sum over buckets is exact to a bucket's width; ample for a half-life). */
const BUCKETS = 4096;
const STEPS = 40;

/**
 * The smallest half-life (days) in [loDays, hiDays] at which the decayed event count per product
 * reaches `density`; hiDays when even that does not (or the data is empty), loDays when it already does.
 */
export function densityHalfLifeDays(
  agesSeconds: Float64Array,
  products: number,
  density: number,
  loDays: number,
  hiDays: number,
): number {
  if (density <= 0 || hiDays <= loDays) return loDays;
  if (!agesSeconds.length || products <= 0) return hiDays;
  let maxAge = 0;
  for (const a of agesSeconds) maxAge = Math.max(maxAge, a);
  const width = maxAge / BUCKETS || 1;
  const counts = new Float64Array(BUCKETS + 1);
  for (const a of agesSeconds) counts[Math.min(BUCKETS, Math.floor(Math.max(0, a) / width))]! += 1;
  const target = density * products;
  const mass = (days: number): number => {
    const rate = Math.LN2 / (days * 86_400);
    let s = 0;
    for (let b = 0; b <= BUCKETS; b++) if (counts[b]) s += counts[b]! * Math.exp(-(b + 0.5) * width * rate);
    return s;
  };
  if (loDays > 0 && mass(loDays) >= target) return loDays;
  if (mass(hiDays) < target) return hiDays;
  // Bisection on log h: half-lives span orders of magnitude.
  let lo = Math.log(loDays > 0 ? loDays : hiDays / 1e6);
  let hi = Math.log(hiDays);
  for (let n = 0; n < STEPS; n++) {
    const mid = (lo + hi) / 2;
    if (mass(Math.exp(mid)) >= target) hi = mid;
    else lo = mid;
  }
  return Math.exp(hi);
}
