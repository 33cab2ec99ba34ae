// Always-valid inference for experiment results: the normal-mixture confidence sequence
// (Robbins 1970; Howard, Ramdas, McAuliffe & Sekhon, "Time-uniform, nonparametric, nonasymptotic
// confidence sequences", 2021) and its dual, the mixture sequential probability ratio test (mSPRT,
// Johari, Pekelis & Walsh, "Always valid inference", 2017, the test behind Optimizely's Stats Engine).
//
// Why this and not a t-test: a merchandiser looks at the results every day and stops when they
// look good. A fixed-horizon test checked daily rejects a true null far more often than its 5%
// (about 20-30% over a month of daily looks). A confidence sequence holds for every sample size at
// once: the probability that it EVER excludes the true value, however often it is looked at, is at
// most alpha. Its price is width: at the planned size it is about 1.5x a fixed-horizon interval.
//
// Everything is expressed through an Estimate: a value whose sampling variance is known (a mean,
// a proportion, a ratio of sums by the delta method). For a difference between two groups the
// variances add. The CLT is assumed (the sequence is asymptotically valid, the usual plug-in of
// the estimated variance), so no call is made before MIN_SUBJECTS subjects per group.

/** Sums over subjects of one value (revenue, converted 0/1): n, sum x, sum x^2. */
export interface Moments {
  n: number;
  sum: number;
  sumSq: number;
}

/** Sums over subjects for a ratio metric sum(y)/sum(x) (clicks per exposure). */
export interface RatioMoments {
  n: number;
  sumX: number;
  sumY: number;
  sumXX: number;
  sumYY: number;
  sumXY: number;
}

/** A point estimate, the variance of that estimate, and the number of subjects it rests on. */
export interface Estimate {
  value: number;
  variance: number;
  n: number;
}

export interface Interval {
  low: number;
  high: number;
}

export interface Comparison {
  /** treatment - control. */
  difference: number;
  /** Always-valid interval for the difference; null while there is too little data. */
  differenceInterval: Interval | null;
  /** (treatment - control) / control; null when the control's value is 0. */
  lift: number | null;
  /** The difference interval divided by the control's value (the control taken as known). */
  liftInterval: Interval | null;
  /** Always-valid p-value of "no difference" at this look (1 while there is too little data). */
  pValue: number;
  /** True when the interval excludes 0 at the given alpha. */
  significant: boolean;
  /** Which way a significant difference goes. */
  direction: 'BETTER' | 'WORSE' | 'NONE';
}

/** Below this many subjects in a group, no interval and no call (the CLT is not yet credible). */
export const MIN_SUBJECTS = 30;

export function meanEstimate(m: Moments): Estimate {
  if (m.n <= 0) return { value: 0, variance: Number.POSITIVE_INFINITY, n: 0 };
  const mean = m.sum / m.n;
  // Unbiased sample variance of one observation, then of the mean.
  const s2 = m.n > 1 ? Math.max(0, (m.sumSq - m.n * mean * mean) / (m.n - 1)) : 0;
  return { value: mean, variance: s2 / m.n, n: m.n };
}

/** A proportion: k successes among n subjects (a 0/1 value per subject). */
export function proportionEstimate(n: number, k: number): Estimate {
  return meanEstimate({ n, sum: k, sumSq: k });
}

/**
 * A ratio of sums (e.g. clicks / exposures) with subjects as the unit: exposures of one customer
 * are not independent, so the variance comes from per-subject totals by the delta method.
 */
export function ratioEstimate(r: RatioMoments): Estimate {
  if (r.n <= 1 || r.sumX <= 0) return { value: 0, variance: Number.POSITIVE_INFINITY, n: r.n };
  const ratio = r.sumY / r.sumX;
  const meanX = r.sumX / r.n;
  // Sample variance of (y_i - ratio * x_i), the linearised residual.
  const resid = r.sumYY - 2 * ratio * r.sumXY + ratio * ratio * r.sumXX;
  const s2 = Math.max(0, resid / (r.n - 1));
  return { value: ratio, variance: s2 / (r.n * meanX * meanX), n: r.n };
}

/**
 * The mixing ratio r = tau^2 / v that makes the boundary narrowest at the planned size: it
 * minimises (1 + r) / r * (log(1 + r) + 2 log(1/alpha)). A golden-section search on log r.
 */
export function optimalMixingRatio(alpha: number): number {
  const f = (logR: number) => {
    const r = Math.exp(logR);
    return ((1 + r) / r) * (Math.log1p(r) + 2 * Math.log(1 / alpha));
  };
  let lo = Math.log(0.01);
  let hi = Math.log(1e4);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 80; i++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (f(a) < f(b)) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

const ratioCache = new Map<number, number>();
function mixingRatio(alpha: number): number {
  let r = ratioCache.get(alpha);
  if (r === undefined) {
    r = optimalMixingRatio(alpha);
    ratioCache.set(alpha, r);
  }
  return r;
}

/**
 * tau^2 for an estimate: the estimate's variance scaled to the planned number of subjects per
 * group, times the optimal ratio. The plan is a design choice of the experiment (set before it
 * starts, never fitted to its data); the sequence is valid for any plan, only narrower near it.
 */
export function mixingVariance(e: Estimate, plannedSubjects: number, alpha: number): number {
  const atPlan = (e.variance * e.n) / Math.max(1, plannedSubjects);
  return mixingRatio(alpha) * atPlan;
}

/** Half-width of the normal-mixture confidence sequence for an estimator of variance v. */
export function halfWidth(v: number, tau2: number, alpha: number): number {
  return Math.sqrt(((v * (v + tau2)) / tau2) * Math.log((v + tau2) / (v * alpha * alpha)));
}

/** The mSPRT mixture likelihood ratio of "no difference" for an estimate theta with variance v. */
export function mixtureLikelihoodRatio(theta: number, v: number, tau2: number): number {
  return Math.sqrt(v / (v + tau2)) * Math.exp((theta * theta * tau2) / (2 * v * (v + tau2)));
}

function usable(e: Estimate): boolean {
  return e.n >= MIN_SUBJECTS && Number.isFinite(e.variance);
}

/** Always-valid interval for one group's value, or null with too little data. */
export function confidenceSequence(e: Estimate, plannedSubjects: number, alpha = 0.05): Interval | null {
  if (!usable(e)) return null;
  if (e.variance === 0) return { low: e.value, high: e.value };
  const w = halfWidth(e.variance, mixingVariance(e, plannedSubjects, alpha), alpha);
  return { low: e.value - w, high: e.value + w };
}

/** Treatment against control: the difference, its always-valid interval and p-value, the lift. */
export function compare(control: Estimate, treatment: Estimate, plannedSubjects: number, alpha = 0.05): Comparison {
  const difference = treatment.value - control.value;
  const lift = control.value !== 0 ? difference / control.value : null;
  const none: Comparison = {
    difference,
    differenceInterval: null,
    lift,
    liftInterval: null,
    pValue: 1,
    significant: false,
    direction: 'NONE',
  };
  if (!usable(control) || !usable(treatment)) return none;
  const v = control.variance + treatment.variance;
  if (v === 0) return { ...none, differenceInterval: { low: difference, high: difference } };
  // Both groups' variances at the plan: tau^2 for the difference.
  const tau2 = mixingVariance(control, plannedSubjects, alpha) + mixingVariance(treatment, plannedSubjects, alpha);
  const w = halfWidth(v, tau2, alpha);
  const interval = { low: difference - w, high: difference + w };
  const pValue = Math.min(1, 1 / mixtureLikelihoodRatio(difference, v, tau2));
  const significant = interval.low > 0 || interval.high < 0;
  const scale = control.value !== 0 ? Math.abs(control.value) : null;
  return {
    difference,
    differenceInterval: interval,
    lift,
    liftInterval: scale === null ? null : { low: interval.low / scale, high: interval.high / scale },
    pValue,
    significant,
    direction: !significant ? 'NONE' : difference > 0 ? 'BETTER' : 'WORSE',
  };
}

/**
 * The alpha of each comparison against the control when an experiment has `variants` variants:
 * Bonferroni over the k - 1 comparisons, so the chance of any false call stays at most alpha.
 */
export function perComparisonAlpha(alpha: number, variants: number): number {
  return alpha / Math.max(1, variants - 1);
}

export type GuardrailState = 'OK' | 'AT_RISK' | 'FAILED' | 'INSUFFICIENT_DATA';

/**
 * A metric that must not drop: FAILED when the interval shows the treatment worse, AT_RISK when
 * its estimate is below the control's without that being established, OK otherwise.
 */
export function guardrail(c: Comparison): GuardrailState {
  if (!c.differenceInterval) return 'INSUFFICIENT_DATA';
  if (c.differenceInterval.high < 0) return 'FAILED';
  if (c.difference < 0) return 'AT_RISK';
  return 'OK';
}
