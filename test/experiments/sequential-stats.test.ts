import { Prng } from '../../src/generate/prng';
import {
  MIN_SUBJECTS,
  compare,
  confidenceSequence,
  guardrail,
  halfWidth,
  meanEstimate,
  mixtureLikelihoodRatio,
  optimalMixingRatio,
  perComparisonAlpha,
  proportionEstimate,
  ratioEstimate,
  type Estimate,
} from '../../src/experiments/sequential-stats';

/** Successes among n Bernoulli(p) draws. */
function binomial(rng: Prng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) k += 1;
  return k;
}

/** Runs `reps` experiments of `days` daily looks; the share whose call ever came out significant. */
function everSignificant(
  seed: number,
  reps: number,
  days: number,
  perDay: number,
  pControl: number,
  pTreatment: number,
  call: (c: Estimate, t: Estimate) => boolean,
): { share: number; firstDays: number[] } {
  const rng = new Prng(seed);
  let hits = 0;
  const firstDays: number[] = [];
  for (let r = 0; r < reps; r++) {
    let nc = 0;
    let kc = 0;
    let nt = 0;
    let kt = 0;
    for (let d = 1; d <= days; d++) {
      nc += perDay;
      nt += perDay;
      kc += binomial(rng, perDay, pControl);
      kt += binomial(rng, perDay, pTreatment);
      if (call(proportionEstimate(nc, kc), proportionEstimate(nt, kt))) {
        hits += 1;
        firstDays.push(d);
        break;
      }
    }
  }
  return { share: hits / reps, firstDays };
}

describe('estimates', () => {
  it('a mean: value and variance of the mean from the sums', () => {
    const xs = [1, 2, 3, 4, 10];
    const e = meanEstimate({ n: 5, sum: 20, sumSq: xs.reduce((s, x) => s + x * x, 0) });
    expect(e.value).toBe(4);
    // sample variance 12.5 (sum of squared deviations 50 over 4), over n = 5.
    expect(e.variance).toBeCloseTo(2.5, 10);
  });

  it('a proportion is the mean of 0/1 values', () => {
    const e = proportionEstimate(100, 10);
    expect(e.value).toBeCloseTo(0.1, 12);
    expect(e.variance).toBeCloseTo((0.1 * 0.9 * 100) / 99 / 100, 12);
  });

  it('a ratio of sums by the delta method: zero variance when every subject has the same ratio', () => {
    // every subject: 4 exposures, 1 click
    const flat = ratioEstimate({ n: 50, sumX: 200, sumY: 50, sumXX: 800, sumYY: 50, sumXY: 200 });
    expect(flat.value).toBeCloseTo(0.25, 12);
    expect(flat.variance).toBeCloseTo(0, 12);
    const mixed = ratioEstimate({ n: 2, sumX: 4, sumY: 2, sumXX: 8, sumYY: 4, sumXY: 4 });
    expect(mixed.variance).toBeGreaterThan(0);
  });

  it('no data gives an infinite variance, never NaN', () => {
    expect(meanEstimate({ n: 0, sum: 0, sumSq: 0 }).variance).toBe(Number.POSITIVE_INFINITY);
    expect(ratioEstimate({ n: 0, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 }).variance).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});

describe('the normal-mixture boundary', () => {
  it('the optimal mixing ratio minimises the width at the plan', () => {
    const r = optimalMixingRatio(0.05);
    const width = (ratio: number) => halfWidth(1, ratio, 0.05);
    expect(width(r)).toBeLessThan(width(r / 2));
    expect(width(r)).toBeLessThan(width(r * 2));
  });

  it('is wider than the fixed-horizon interval at every size, and shrinks as data grows', () => {
    const tau2 = optimalMixingRatio(0.05);
    for (const v of [tau2 * 10, tau2, tau2 / 10, tau2 / 1000]) {
      expect(halfWidth(v, tau2, 0.05)).toBeGreaterThan(1.96 * Math.sqrt(v));
    }
    expect(halfWidth(tau2 / 1000, tau2, 0.05)).toBeLessThan(halfWidth(tau2 / 10, tau2, 0.05));
  });

  it('the p-value and the interval agree: 0 lies outside exactly when 1/Lambda < alpha', () => {
    const v = 0.001;
    const tau2 = 0.01;
    const w = halfWidth(v, tau2, 0.05);
    expect(1 / mixtureLikelihoodRatio(w * 1.001, v, tau2)).toBeLessThan(0.05);
    expect(1 / mixtureLikelihoodRatio(w * 0.999, v, tau2)).toBeGreaterThan(0.05);
  });
});

describe('compare', () => {
  it('makes no call below the minimum number of subjects', () => {
    const c = compare(proportionEstimate(MIN_SUBJECTS - 1, 1), proportionEstimate(MIN_SUBJECTS - 1, 20), 1000);
    expect(c.significant).toBe(false);
    expect(c.differenceInterval).toBeNull();
    expect(c.pValue).toBe(1);
    expect(guardrail(c)).toBe('INSUFFICIENT_DATA');
  });

  it('calls a large difference, with the lift relative to the control', () => {
    const c = compare(proportionEstimate(5000, 500), proportionEstimate(5000, 700), 5000);
    expect(c.significant).toBe(true);
    expect(c.direction).toBe('BETTER');
    expect(c.lift).toBeCloseTo(0.4, 10);
    expect(c.liftInterval!.low).toBeGreaterThan(0);
    expect(c.liftInterval!.low).toBeLessThan(0.4);
    expect(c.liftInterval!.high).toBeGreaterThan(0.4);
    expect(guardrail(c)).toBe('OK');
  });

  it('a guardrail fails when the treatment is shown worse, and is at risk when only its estimate is', () => {
    const worse = compare(
      meanEstimate({ n: 5000, sum: 50_000, sumSq: 5000 * 200 }),
      meanEstimate({ n: 5000, sum: 40_000, sumSq: 5000 * 150 }),
      5000,
    );
    expect(worse.direction).toBe('WORSE');
    expect(guardrail(worse)).toBe('FAILED');
    const slightly = compare(proportionEstimate(1000, 100), proportionEstimate(1000, 97), 1000);
    expect(guardrail(slightly)).toBe('AT_RISK');
  });

  it('Bonferroni over the comparisons against the control', () => {
    expect(perComparisonAlpha(0.05, 2)).toBe(0.05);
    expect(perComparisonAlpha(0.05, 5)).toBeCloseTo(0.0125, 12);
  });
});

describe('peeking every day', () => {
  const days = 30;
  const perDay = 150;

  it('A/A: the share of experiments ever called significant stays at or under 5%', () => {
    const { share } = everSignificant(
      7,
      400,
      days,
      perDay,
      0.1,
      0.1,
      (c, t) => compare(c, t, days * perDay).significant,
    );
    expect(share).toBeLessThanOrEqual(0.05);
  });

  it('whereas a fixed-horizon z-test looked at daily calls far more than 5% (why the sequence is needed)', () => {
    const naive = (c: Estimate, t: Estimate) =>
      Math.abs(t.value - c.value) > 1.96 * Math.sqrt(c.variance + t.variance) && c.n >= MIN_SUBJECTS;
    const { share } = everSignificant(7, 400, days, perDay, 0.1, 0.1, naive);
    expect(share).toBeGreaterThan(0.1);
  });

  it('A/B with a true 50% lift is detected in most experiments within the planned size', () => {
    const { share } = everSignificant(
      11,
      100,
      days,
      perDay,
      0.1,
      0.15,
      (c, t) => compare(c, t, days * perDay).significant,
    );
    expect(share).toBeGreaterThan(0.8);
  });

  it('the sequence for one mean covers the truth at every look in at least 95% of runs', () => {
    const rng = new Prng(3);
    let missed = 0;
    for (let r = 0; r < 300; r++) {
      let n = 0;
      let k = 0;
      for (let d = 1; d <= days; d++) {
        n += perDay;
        k += binomial(rng, perDay, 0.2);
        const ci = confidenceSequence(proportionEstimate(n, k), days * perDay);
        if (ci && (ci.low > 0.2 || ci.high < 0.2)) {
          missed += 1;
          break;
        }
      }
    }
    expect(missed / 300).toBeLessThanOrEqual(0.05);
  });
});
