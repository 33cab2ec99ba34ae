// Quality benchmark: every data set at hand under its own protocol (bench-datasets.ts), the
// engine untuned and self-tuned next to references the bench computes itself (references.ts).
// One table: data set x truth set x model x nDCG@10 (bootstrap 95% interval), precision@10,
// recall@10, MAP@10, coverage, fit + scoring time.
//
// Honest protocol: the test window is the newest one; the engine's tuner is given only the data
// before it (`until`) and sizes its own validation window inside that; EASE's lambda is chosen on
// the references' validation window (the same length just before the test window). Every test
// figure is measured once, after every choice.
//   npm run bench:quality [-- --datasets online-retail,retailrocket,synthetic] [--budget-s 120]
import { buildDataset } from '../../src/engine/local/dataset';
import { DEFAULT_PARAMS, type EngineParams } from '../../src/engine/local/engine-params';
import { splitInteractions, type Split } from '../../src/engine/local/evaluation';
import { popularityLists, trainModel } from '../../src/engine/local/local-model';
import { Recommender } from '../../src/engine/local/recommender';
import { firstNew, holdoutCases, type HoldoutCase } from '../../src/engine/local/tuning/holdout-cases';
import { tune, type TuningResult } from '../../src/engine/local/tuning/tuner';
import { onlineRetail, retailrocket, synthetic, type BenchDataset } from './bench-datasets';
import { EASE_LAMBDAS, ease, popularity, recentBestSellers, sar, type FitContext, type Ranker } from './references';
import { score, type Scored } from './scoring';

const K = 10;
const LOADERS: Record<string, () => Promise<BenchDataset>> = {
  'online-retail': onlineRetail,
  retailrocket,
  synthetic: () => synthetic(),
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const engine =
  (params: EngineParams) =>
  (ctx: FitContext): Ranker => {
    const data = buildDataset(ctx.raw, params, null, null, { rows: ctx.train });
    const model = trainModel(data, params, undefined, true, { similarItems: false });
    const r = new Recommender(model, popularityLists(model, 200), 100);
    return (u, had, k) => firstNew(r.forUser(u).items, had, k);
  };

interface Row {
  dataset: string;
  truth: string;
  model: string;
  s: Scored;
  seconds: number;
}

const f4 = (x: number) => x.toFixed(4);

function line(r: Row): string {
  const s = r.s;
  return `| ${r.dataset} | ${r.truth} | ${r.model} | ${f4(s.ndcg)} (${f4(s.ndcgLow)}-${f4(s.ndcgHigh)}) | ${f4(s.precision)} | ${f4(s.recall)} | ${f4(s.map)} | ${f4(s.coverage)} | ${r.seconds.toFixed(1)} | ${s.users} |\n`;
}

const HEADER =
  '| data set | truth | model | nDCG@10 (95% CI) | precision@10 | recall@10 | MAP@10 | coverage | time (s) | users |\n|---|---|---|---|---|---|---|---|---|---|\n';

function contextOf(ds: BenchDataset, base: EngineParams, split: Split, cutoff: number): FitContext {
  const data = buildDataset(ds.raw, base, null, null, { rows: split.train });
  return { raw: ds.raw, train: split.train, data, cutoff, targetTypes: ds.targetTypes };
}

function describeTuning(t: TuningResult): string {
  const changed = Object.entries(t.chosen)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const u = t.validation.usersSplit;
  const b = t.budget;
  const check =
    b.check.status === 'ran'
      ? `users-split check ${f4(u.untunedNdcg ?? 0)} -> ${f4(u.tunedNdcg ?? 0)} (${u.passed ? 'passed' : 'FAILED: untuned kept'})`
      : `users-split check ${b.check.status} (${b.check.reason})`;
  return (
    `tuning: ${t.trials.length} trials in ${(t.elapsedMs / 1000).toFixed(0)} s (stopped by ${t.stoppedBy}); window ${t.window.days.toFixed(1)} of ${t.window.spanDays.toFixed(0)} days from ${t.window.cutoffIso.slice(0, 16)}, ${t.window.cases} customers; ` +
    `validation nDCG@10 untuned ${f4(t.validation.untunedNdcg)} -> tuned ${f4(t.validation.tunedNdcg)}; ${check}; budget ${b.budgetMs / 1000} s: setup ${(b.setupMs / 1000).toFixed(1)} s, baseline trial ${(b.baselineMs / 1000).toFixed(1)} s, ${b.plannedTrials} trials planned, spent ${(b.spentMs / 1000).toFixed(1)} s; ` +
    `learned event weights ${JSON.stringify(t.learnedEventWeights.weights)}; chosen: ${changed || '(untuned)'}\n`
  );
}

function runDataset(ds: BenchDataset, budgetMs: number): Row[] {
  const base: EngineParams = { ...DEFAULT_PARAMS, targetEventTypes: ds.targetTypes };
  const raw = ds.raw;
  process.stdout.write(`\n## ${ds.name}\n${ds.description}\n`);
  const valSplit = splitInteractions(raw, 'time', base.seed, ds.validationCutoff, ds.testCutoff);
  const testSplit = splitInteractions(raw, 'time', base.seed, ds.testCutoff);
  const valCtx = contextOf(ds, base, valSplit, ds.validationCutoff);
  const testCtx = contextOf(ds, base, testSplit, ds.testCutoff);
  const first = ds.truthSets[0]!;
  const valCases = holdoutCases(raw, valSplit, valCtx.data, first.targetTypes, first.rule);
  const catalog = testCtx.data.itemIds.length;

  // EASE's lambda on the validation window (nothing at or after the test cutoff is read).
  let lambda: number = EASE_LAMBDAS[0];
  let bestVal = -1;
  for (const l of EASE_LAMBDAS) {
    const v = score(ease(l, ds.easeItems)(valCtx), valCases, K, catalog).ndcg;
    process.stdout.write(`EASE lambda ${l}: validation nDCG@10 ${f4(v)}\n`);
    if (v > bestVal) [bestVal, lambda] = [v, l];
  }
  const tStart = Date.now();
  const tuning = tune(raw, base, {
    budgetMs,
    until: ds.testCutoff,
    truth: first.rule,
    k: K,
    onTrial: (t) => {
      process.stdout.write(
        `  trial ${t.n} ${t.stage}: ${JSON.stringify(t.changes)} nDCG ${f4(t.ndcg)} gain ${f4(t.gain)} se ${f4(t.se)}${t.kept ? ' kept' : ''} (${(t.ms / 1000).toFixed(1)} s)\n`,
      );
    },
  });
  process.stdout.write(describeTuning(tuning));
  process.stdout.write(`tuning wall time ${((Date.now() - tStart) / 1000).toFixed(0)} s\n`);

  const models: [string, (ctx: FitContext) => Ranker][] = [
    ['popularity', popularity],
    ['recent best-sellers, 7 days', recentBestSellers(7)],
    ['recent best-sellers, 30 days', recentBestSellers(30)],
    ['SAR (Jaccard, 30-day affinity decay)', sar],
    [`EASE (${ds.easeItems} products, lambda ${lambda} on validation)`, ease(lambda, ds.easeItems)],
    ['engine, untuned (defaults)', engine(base)],
    ['engine, tuned on validation', engine(tuning.params)],
  ];
  const testCases: HoldoutCase[][] = ds.truthSets.map((t) =>
    holdoutCases(raw, testSplit, testCtx.data, t.targetTypes, t.rule),
  );
  const rows: Row[] = [];
  process.stdout.write(
    `\nTest window from ${new Date(ds.testCutoff * 1000).toISOString().slice(0, 16)} (measured once)\n\n${HEADER}`,
  );
  for (const [name, fit] of models) {
    const t0 = Date.now();
    const rank = fit(testCtx);
    ds.truthSets.forEach((t, n) => {
      const s = score(rank, testCases[n]!, K, catalog);
      const row = { dataset: ds.name, truth: t.name, model: name, s, seconds: (Date.now() - t0) / 1000 };
      rows.push(row);
      process.stdout.write(line(row));
    });
  }
  for (const t of ds.truthSets) {
    const of = rows.filter((r) => r.truth === t.name);
    const tuned = of.find((r) => r.model.startsWith('engine, tuned'))!;
    const refs = of.filter((r) => !r.model.startsWith('engine'));
    const bestRef = refs.reduce((a, b) => (b.s.ndcg > a.s.ndcg ? b : a));
    const pop = of.find((r) => r.model === 'popularity')!;
    process.stdout.write(
      `${ds.name} / ${t.name}: tuned engine ${f4(tuned.s.ndcg)} vs best reference ${bestRef.model} ${f4(bestRef.s.ndcg)}: ${tuned.s.ndcg >= bestRef.s.ndcg ? 'AT OR ABOVE' : 'BELOW'}; ${(tuned.s.ndcg / pop.s.ndcg).toFixed(2)}x popularity\n`,
    );
  }
  return rows;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const names = (arg('datasets') ?? Object.keys(LOADERS).join(',')).split(',');
  const budgetMs = Number(arg('budget-s') ?? 120) * 1000;
  const all: Row[] = [];
  for (const name of names) {
    const load = LOADERS[name];
    if (!load) throw new Error(`unknown data set ${name} (known: ${Object.keys(LOADERS).join(', ')})`);
    const started = Date.now();
    const ds = await load();
    process.stdout.write(`\n${name}: loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    all.push(...runDataset(ds, budgetMs));
  }
  process.stdout.write(`\n## All data sets (k = ${K})\n\n${HEADER}${all.map(line).join('')}`);
  process.stdout.write(`\ntotal ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
