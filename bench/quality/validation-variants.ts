// Engine variants beside SAR on a data set's validation window only (train before the
// references' validation cutoff, truth up to the test cutoff; the test window is never read):
// how defaults such as the model-half-life density floor were chosen (BENCHMARKS.md).
//   DS=retailrocket node bin/run-ts.js bench/quality/validation-variants.ts [sar|none] '{"name":{"modelDensity":3}}'
import { buildDataset } from '../../src/engine/local/dataset';
import { DEFAULT_PARAMS, type EngineParams } from '../../src/engine/local/engine-params';
import { splitInteractions } from '../../src/engine/local/evaluation';
import { popularityLists, trainModel } from '../../src/engine/local/local-model';
import { Recommender } from '../../src/engine/local/recommender';
import { firstNew, holdoutCases } from '../../src/engine/local/tuning/holdout-cases';
import { onlineRetail, retailrocket, synthetic, type BenchDataset } from './bench-datasets';
import { sar, type FitContext, type Ranker } from './references';
import { score } from './scoring';

const LOADERS: Record<string, () => Promise<BenchDataset>> = {
  'online-retail': onlineRetail,
  retailrocket,
  synthetic: () => synthetic(),
};

const engine =
  (params: EngineParams) =>
  (ctx: FitContext): Ranker => {
    const data = buildDataset(ctx.raw, params, null, null, { rows: ctx.train });
    process.stdout.write(`  time scale ${JSON.stringify(data.timeScale)}\n`);
    const model = trainModel(data, params, undefined, true, { similarItems: false });
    const r = new Recommender(model, popularityLists(model, 200), 100);
    return (u, had, k) => firstNew(r.forUser(u).items, had, k);
  };

async function main(): Promise<void> {
  const load = LOADERS[process.env.DS ?? 'retailrocket'];
  if (!load) throw new Error(`unknown data set ${process.env.DS} (known: ${Object.keys(LOADERS).join(', ')})`);
  const ds = await load();
  const base: EngineParams = { ...DEFAULT_PARAMS, targetEventTypes: ds.targetTypes };
  const split = splitInteractions(ds.raw, 'time', base.seed, ds.validationCutoff, ds.testCutoff);
  const data = buildDataset(ds.raw, base, null, null, { rows: split.train });
  const ctx: FitContext = {
    raw: ds.raw,
    train: split.train,
    data,
    cutoff: ds.validationCutoff,
    targetTypes: ds.targetTypes,
  };
  const cases = ds.truthSets.map((t) => holdoutCases(ds.raw, split, data, t.targetTypes, t.rule));
  const variants: [string, (c: FitContext) => Ranker][] = process.argv[2] === 'sar' ? [['SAR', sar]] : [];
  const given = JSON.parse(process.argv[3] ?? '{}') as Record<string, Partial<EngineParams>>;
  for (const [name, p] of Object.entries(given)) variants.push([name, engine({ ...base, ...p })]);
  for (const [name, fit] of variants) {
    const t0 = Date.now();
    const rank = fit(ctx);
    const figures = cases.map((c, n) => {
      const s = score(rank, c, 10, data.itemIds.length);
      return `${ds.truthSets[n]!.name}: ${s.ndcg.toFixed(4)} (${s.ndcgLow.toFixed(4)}-${s.ndcgHigh.toFixed(4)}) coverage ${s.coverage.toFixed(3)}, ${s.users} users`;
    });
    process.stdout.write(`${name}: ${figures.join(' | ')} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
