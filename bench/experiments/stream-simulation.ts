// The statistics on simulated exposure/outcome streams, many repetitions: customers arrive every
// simulated day, each converts with its variant's true probability and spends a log-normal
// basket, and the results are computed every day (daily peeking) by the production code
// (resultsFromSums). A fixed-horizon z-test looked at daily is the baseline in the same run.
import type { Experiment, VariantSums } from '../../src/experiments';
import { emptySums, resultsFromSums } from '../../src/experiments';
import { Prng } from '../../src/generate/prng';

export interface StreamPlan {
  reps: number;
  days: number;
  customersPerDayPerVariant: number;
  conversion: number;
  lift: number;
  plannedCustomersPerVariant: number;
  seed: number;
}

export interface StreamOutcome {
  /** Share of repetitions with a significant conversion call at any daily look. */
  conversionCalled: number;
  /** The same for revenue per customer. */
  revenueCalled: number;
  /** The naive fixed-horizon z-test on conversion, looked at daily. */
  naiveCalled: number;
  /** Day of the first significant conversion call, per repetition that had one. */
  firstDays: number[];
  /** Estimated conversion lift at the first call, per repetition that had one. */
  liftAtCall: number[];
  /** Estimated conversion lift at the last day, every repetition. */
  liftAtEnd: number[];
}

const experiment = (planned: number): Experiment => ({
  id: 1,
  name: 'simulated',
  description: null,
  status: 'RUNNING',
  surfaces: ['RECOMMENDATIONS'],
  variants: [
    { key: 'a', name: 'A', share: 50, strategy: { kind: 'BATCH' } },
    { key: 'b', name: 'B', share: 50, strategy: { kind: 'BATCH' } },
  ],
  controlKey: 'a',
  attributionWindowDays: 7,
  plannedCustomersPerVariant: planned,
  shippedVariant: null,
  createdAt: new Date(0),
  startedAt: new Date(0),
  endedAt: null,
});

/** A standard normal draw (Box-Muller). */
function normal(rng: Prng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function addCustomer(s: VariantSums, rng: Prng, p: number): void {
  const exposures = 1 + Math.floor(rng.next() * 3);
  s.customers += 1;
  s.exposures += exposures;
  s.exposuresSq += exposures * exposures;
  if (rng.next() < p) {
    const spend = Math.exp(3.5 + 0.8 * normal(rng));
    s.converted += 1;
    s.revenue += spend;
    s.revenueSq += spend * spend;
    s.revenueX += spend * exposures;
  }
}

export function simulateStreams(plan: StreamPlan): StreamOutcome {
  const rng = new Prng(plan.seed);
  const x = experiment(plan.plannedCustomersPerVariant);
  const out: StreamOutcome = {
    conversionCalled: 0,
    revenueCalled: 0,
    naiveCalled: 0,
    firstDays: [],
    liftAtCall: [],
    liftAtEnd: [],
  };
  for (let r = 0; r < plan.reps; r++) {
    const a = emptySums('a');
    const b = emptySums('b');
    let conv = false;
    let rev = false;
    let naive = false;
    let lastLift = 0;
    for (let day = 1; day <= plan.days; day++) {
      for (let i = 0; i < plan.customersPerDayPerVariant; i++) {
        addCustomer(a, rng, plan.conversion);
        addCustomer(b, rng, plan.conversion * (1 + plan.lift));
      }
      const res = resultsFromSums(x, [a, b]);
      const metric = (name: string) => res.variants[1]?.metrics.find((m) => m.metric === name)?.vsControl;
      const c = metric('CONVERSION_RATE');
      const v = metric('REVENUE_PER_CUSTOMER');
      lastLift = c?.lift ?? 0;
      if (c?.significant && !conv) {
        conv = true;
        out.firstDays.push(day);
        out.liftAtCall.push(c.lift ?? 0);
      }
      if (v?.significant) rev = true;
      const pa = a.converted / a.customers;
      const pb = b.converted / b.customers;
      const se = Math.sqrt((pa * (1 - pa)) / a.customers + (pb * (1 - pb)) / b.customers);
      if (se > 0 && Math.abs(pb - pa) > 1.96 * se) naive = true;
    }
    out.liftAtEnd.push(lastLift);
    if (conv) out.conversionCalled += 1 / plan.reps;
    if (rev) out.revenueCalled += 1 / plan.reps;
    if (naive) out.naiveCalled += 1 / plan.reps;
  }
  return out;
}
