// Quality benchmark on real data (UCI Online Retail): train on purchases before the last 30 days;
// the truth for each customer seen in training is the products they bought in the last 30 days
// and had not bought before; already-bought products are excluded; k = 10.
// Goal: user-personalization reaches at least 3x the NDCG@10 of popularity-count in the same run.
import { Readable } from 'node:stream';
import { readInteractions } from '../../src/engine/local/dataset-reader';
import { evaluateRaw } from '../../src/engine/local/evaluation';
import type { EngineParams } from '../../src/engine/local/engine-params';
import type { RecipeName } from '../../src/engine/training-engine';
import { onlineRetailInteractionsCsv } from './online-retail-reader';

const K = 10;
const NDCG = `normalized_discounted_cumulative_gain_at_${K}`;

interface Variant {
  label: string;
  recipe: RecipeName;
  params?: Partial<EngineParams>;
}

const variants: Variant[] = [
  { label: 'popularity-count', recipe: 'popularity-count' },
  { label: 'user-personalization (default: EASE)', recipe: 'user-personalization' },
  { label: 'user-personalization, cosine kNN', recipe: 'user-personalization', params: { algorithm: 'cosine' } },
  { label: 'similar-items (strongest product)', recipe: 'similar-items' },
  { label: 'item-affinity (per customer)', recipe: 'item-affinity' },
];
if (process.argv.includes('--sweep')) {
  for (const profileHalfLifeDays of [0, 7, 14, 90]) variants.push({ label: `EASE profileHalfLife=${profileHalfLifeDays}d`, recipe: 'user-personalization', params: { profileHalfLifeDays } });
  for (const easeLambda of [100, 400, 800]) variants.push({ label: `EASE lambda=${easeLambda}`, recipe: 'user-personalization', params: { easeLambda } });
  for (const easeMaxItems of [1000, 2500]) variants.push({ label: `EASE maxItems=${easeMaxItems}`, recipe: 'user-personalization', params: { easeMaxItems } });
  for (const neighbors of [50, 200]) variants.push({ label: `EASE neighbours=${neighbors}`, recipe: 'user-personalization', params: { neighbors } });
  for (const halfLifeDays of [30, 90]) {
    variants.push({ label: `popularity halfLife=${halfLifeDays}d`, recipe: 'popularity-count', params: { halfLifeDays } });
    variants.push({ label: `EASE halfLife=${halfLifeDays}d`, recipe: 'user-personalization', params: { halfLifeDays } });
  }
  variants.push({ label: 'EASE eventValue=ignore', recipe: 'user-personalization', params: { eventValue: 'ignore' } });
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const { csv, rows, dropped } = await onlineRetailInteractionsCsv();
  const raw = await readInteractions(Readable.from([csv]));
  let maxTs = 0;
  for (let k = 0; k < raw.length; k++) maxTs = Math.max(maxTs, raw.timestamp[k]!);
  const cutoff = maxTs - 30 * 86_400;
  process.stdout.write(`online retail: ${rows} purchase lines (${dropped} rows dropped by cleaning), ${raw.userIds.length} customers, ${raw.itemIds.length} products; read in ${Date.now() - t0} ms\n`);
  process.stdout.write(`split: train before ${new Date(cutoff * 1000).toISOString()}, truth = new products bought after; k = ${K}\n\n`);
  const header = ['variant', `ndcg@${K}`, `precision@${K}`, `recall@${K}`, `map@${K}`, 'mrr@25', 'coverage', 'users', 'ms'];
  process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
  const results = new Map<string, number>();
  for (const v of variants) {
    const started = Date.now();
    const m = await evaluateRaw(raw, { recipe: v.recipe, split: 'time', cutoff, k: K, params: v.params });
    results.set(v.label, m[NDCG]!);
    const f = (x: number | undefined) => (x ?? 0).toFixed(4);
    process.stdout.write(
      `| ${v.label} | ${f(m[NDCG])} | ${f(m[`precision_at_${K}`])} | ${f(m[`recall_at_${K}`])} | ${f(m[`map_at_${K}`])} | ${f(m.mean_reciprocal_rank_at_25)} | ${f(m.coverage)} | ${m.users_evaluated} | ${Date.now() - started} |\n`,
    );
  }
  const pop = results.get('popularity-count')!;
  const up = results.get('user-personalization (default: EASE)')!;
  const ratio = up / pop;
  process.stdout.write(`\nuser-personalization / popularity-count NDCG@${K}: ${ratio.toFixed(2)}x (goal >= 3x): ${ratio >= 3 ? 'MET' : 'NOT MET'}\n`);
  // For reference: AWS's own split (10% of customers, their newest 10% of events) on all the data.
  const aws = async (recipe: RecipeName) => (await evaluateRaw(raw, { recipe, split: 'users', k: K }))[NDCG]!;
  const [awsPop, awsUp] = [await aws('popularity-count'), await aws('user-personalization')];
  process.stdout.write(`AWS's users split, NDCG@${K}: popularity-count ${awsPop.toFixed(4)}, user-personalization ${awsUp.toFixed(4)} (${(awsUp / awsPop).toFixed(2)}x)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
