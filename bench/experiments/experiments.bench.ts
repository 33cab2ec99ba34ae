// Experiments benchmark (issue 14's proof):
//   npm run bench:experiments   (BENCH_REPS=1000 BENCH_DAYS=42 BENCH_PER_DAY=500 BENCH_E2E_DAYS=10 BENCH_E2E_PER_DAY=120)
// 1. Many repetitions on simulated exposure/outcome streams, results computed by the production
//    code every simulated day: A/A false-positive rate under daily peeking (beside a fixed-horizon
//    z-test looked at daily, the baseline) and A/B with a true +10% conversion lift: days to
//    detection, estimated against true lift.
// 2. A smaller A/A and A/B end to end through the real gateway (storefront.ts): the gateway's
//    figures against the simulator's truth, and the same daily look.
import { dropBenchSchema, freshBenchConfig } from '../support/bench-schema';
import { runStorefront, type StorefrontOutcome } from './storefront';
import { simulateStreams } from './stream-simulation';

const REPS = Number(process.env.BENCH_REPS ?? 1000);
const DAYS = Number(process.env.BENCH_DAYS ?? 42);
const PER_DAY = Number(process.env.BENCH_PER_DAY ?? 500);
const E2E_DAYS = Number(process.env.BENCH_E2E_DAYS ?? 10);
const E2E_PER_DAY = Number(process.env.BENCH_E2E_PER_DAY ?? 120);
const CONVERSION = 0.1;
const LIFT = 0.1;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] ?? NaN) : NaN;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN) : NaN;
};

function streams(): void {
  // The plan (customers per variant the intervals are tuned for) is the design's full horizon, fixed before any run.
  const planned = DAYS * PER_DAY;
  const base = {
    days: DAYS,
    customersPerDayPerVariant: PER_DAY,
    conversion: CONVERSION,
    plannedCustomersPerVariant: planned,
  };
  process.stdout.write(
    `\n1. simulated streams: ${REPS} repetitions x ${DAYS} days, ${PER_DAY} new customers per variant per day, conversion ${pct(CONVERSION)}, results every day\n`,
  );
  const t0 = Date.now();
  const aa = simulateStreams({ ...base, reps: REPS, lift: 0, seed: 1 });
  const ab = simulateStreams({ ...base, reps: REPS, lift: LIFT, seed: 2 });
  const rows: [string, string][] = [
    ['A/A false-positive rate, conversion, daily looks (always-valid)', `${pct(aa.conversionCalled)} (nominal 5%)`],
    ['A/A false-positive rate, revenue/customer, daily looks (always-valid)', `${pct(aa.revenueCalled)} (nominal 5%)`],
    ['A/A baseline: fixed-horizon z-test looked at daily', pct(aa.naiveCalled)],
    [`A/B (+${pct(LIFT)} conversion) detected within ${DAYS} days`, pct(ab.conversionCalled)],
    [
      'A/B days to detection: median (10th-90th pct)',
      `${median(ab.firstDays)} (${quantile(ab.firstDays, 0.1)}-${quantile(ab.firstDays, 0.9)})`,
    ],
    ['A/B estimated lift at the day of detection: mean', `${pct(mean(ab.liftAtCall))} (true ${pct(LIFT)})`],
    [`A/B estimated lift on day ${DAYS}: mean`, `${pct(mean(ab.liftAtEnd))} (true ${pct(LIFT)})`],
    ['A/B wrong-direction calls', `${ab.liftAtCall.filter((l) => l < 0).length}`],
  ];
  for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(72)} | ${v} |\n`);
  process.stdout.write(`(${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}

function printE2E(name: string, o: StorefrontOutcome): void {
  const t = o.truth;
  const g = o.gateway;
  process.stdout.write(
    `| ${name} | ${o.requests} | ${t.customers} / ${g.customers} | ${o.requests} / ${g.exposures} | ${t.clicks} / ${g.clicks} | ` +
      `${t.conversions.a ?? 0}+${t.conversions.b ?? 0} / ${g.conversions.a ?? 0}+${g.conversions.b ?? 0} | ${t.revenue.toFixed(0)} / ${g.revenue.toFixed(0)} | ` +
      `${o.firstSignificantDay ?? 'never'} | ${o.liftEstimate === null ? '-' : pct(o.liftEstimate)} ${o.liftInterval ? `[${pct(o.liftInterval.low)}, ${pct(o.liftInterval.high)}]` : ''} |\n`,
  );
}

async function endToEnd(): Promise<void> {
  process.stdout.write(
    `\n2. through the real gateway: ${E2E_DAYS} days x ${E2E_PER_DAY} customers, 1-3 lists each, clicks 30%, conversion ${pct(CONVERSION)} (b: x${1 + LIFT} in the A/B)\n`,
  );
  process.stdout.write(
    '| run | requests | customers truth / gateway | exposures truth / gateway | clicks truth / gateway | conversions a+b truth / gateway | revenue truth / gateway | first significant day | lift b vs a [interval] |\n',
  );
  process.stdout.write(`|${' --- |'.repeat(9)}\n`);
  for (const [name, lift, seed] of [
    ['A/A', 0, 11],
    ['A/B +10%', LIFT, 12],
  ] as const) {
    const config = await freshBenchConfig(`bench_experiments_${Date.now().toString(36)}`, { EXPOSURE_FLUSH_MS: '100' });
    try {
      const o = await runStorefront(config, {
        days: E2E_DAYS,
        customersPerDay: E2E_PER_DAY,
        conversion: CONVERSION,
        lift,
        clickRate: 0.3,
        seed,
      });
      printE2E(name, o);
    } finally {
      await dropBenchSchema(config);
    }
  }
}

async function main(): Promise<void> {
  streams();
  await endToEnd();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
