// evaluate: offline metrics (AWS's names) for the run's models, stored on their model versions,
// and compared with the previous successful run's; a clear regression raises an alert. The AWS
// engine's models already carry Personalize's own solution metrics from training.
import { raiseAlert, resolveAlert } from '../alerts/alert-store';
import { readInteractions } from '../engine/local/dataset-reader';
import { evaluateRaw } from '../engine/local/evaluation';
import { saveEvaluationMetrics } from '../engine/local/model-version-metrics';
import type { RecipeName } from '../engine/training-engine';
import type { StageFn } from '../pipeline/stage-types';

/** Retraining for evaluation costs a full training each: the personalised model and its baseline. */
const EVALUATED: RecipeName[] = ['user-personalization', 'popularity-count'];
const HEADLINE = 'normalized_discounted_cumulative_gain_at_10';
const K = 10;
/** A new model more than 10% below the live one on the headline metric raises an alert. */
const REGRESSION = 0.9;

export const evaluate: StageFn = async ({ db, store, engine, config }, { run, recipes, layout, progress }) => {
  const targets = EVALUATED.filter((r) => recipes.includes(r));
  if (engine.name !== 'local') return { status: 'skipped', reason: 'the AWS engine reports solution metrics at training' };
  if (!targets.length) return { status: 'skipped', reason: `none of ${EVALUATED.join(', ')} in this run` };
  await progress(5, 'reading interactions');
  const raw = await readInteractions(await store.get(layout.interactions), 'interactions.csv');
  const counts: Record<string, number> = {};
  for (const [i, recipe] of targets.entries()) {
    await progress(10 + (80 * i) / targets.length, `evaluating ${recipe}`);
    const metrics = await evaluateRaw(raw, { recipe, split: 'users', k: K, params: { seed: config.engine.seed } });
    await saveEvaluationMetrics(db.prisma, {
      runId: run.id,
      recipe,
      params: {},
      metrics,
      evaluation: { split: 'users', k: K, source: layout.interactions },
    });
    counts[`${recipe}.${HEADLINE}`] = metrics[HEADLINE] ?? 0;
  }
  const recipe = targets[0]!;
  const earlier = await db.prisma.modelVersion.findMany({
    where: { recipe, engine: 'local', runId: { lt: run.id } },
    orderBy: { id: 'desc' },
    take: 10,
  });
  const headline = (m: unknown) => (m as Record<string, unknown> | null)?.[HEADLINE];
  const previous = earlier.find((v) => typeof headline(v.metrics) === 'number');
  const live = headline(previous?.metrics);
  const fresh = counts[`${recipe}.${HEADLINE}`]!;
  if (typeof live === 'number') {
    counts[`live.${recipe}.${HEADLINE}`] = live;
    if (fresh < live * REGRESSION) {
      await raiseAlert(db, {
        kind: 'model_regression',
        severity: 'warning',
        message: `${recipe} ${HEADLINE} fell from ${live.toFixed(4)} (run ${previous!.runId}) to ${fresh.toFixed(4)} (run ${run.id})`,
        runId: run.id,
        details: { recipe, live, fresh },
      });
    } else {
      await resolveAlert(db, 'model_regression');
    }
  }
  return { status: 'done', counts };
};
