// evaluate: the engine's offline metrics (AWS's names) for the run's own models, stored on their
// model versions and compared with the previous run's; a clear regression raises an alert.
import { raiseAlert, resolveAlert } from '../alerts/alert-store';
import { ModelVersionStore } from '../engine/model-version-store';
import type { RecipeName } from '../engine/training-engine';
import { engineContext } from './engine-context';
import type { StageFn } from './stage-types';

/** The recipe whose headline metric is watched for regressions: the personalised one, else its baseline. */
const WATCHED: RecipeName[] = ['user-personalization', 'popularity-count'];
const HEADLINE = 'normalized_discounted_cumulative_gain_at_10';
const K = 10;
/** AWS's split: the only one Personalize reports, so both engines' figures compare. */
const SPLIT = 'users';
/** A new model more than 10% below the live one on the headline metric raises an alert. */
const REGRESSION = 0.9;

export const evaluate: StageFn = async (deps, input) => {
  const { db, engine } = deps;
  const { run } = input;
  const versions = new ModelVersionStore(db);
  const trained = await versions.trainedOf(run.id, input.recipes);
  const { evaluations } = await engine.evaluate(engineContext(deps, input), { split: SPLIT, k: K, trained });
  const counts: Record<string, number> = {};
  for (const e of evaluations) {
    await versions.saveEvaluation(run.id, e);
    counts[`${e.recipe}.${HEADLINE}`] = e.metrics[HEADLINE] ?? 0;
  }
  const recipe = WATCHED.find((r) => input.recipes.includes(r));
  const previous = recipe ? await versions.previousMetric(engine.name, recipe, run.id, HEADLINE, SPLIT) : null;
  if (!recipe || !previous) return { status: 'done', counts };
  const fresh = counts[`${recipe}.${HEADLINE}`] ?? 0;
  counts[`live.${recipe}.${HEADLINE}`] = previous.value;
  if (fresh < previous.value * REGRESSION) {
    await raiseAlert(db, {
      kind: 'model_regression',
      severity: 'warning',
      message: `${recipe} ${HEADLINE} fell from ${previous.value.toFixed(4)} (run ${previous.runId}) to ${fresh.toFixed(4)} (run ${run.id})`,
      runId: run.id,
      details: { recipe, live: previous.value, fresh },
    });
  } else {
    await resolveAlert(db, 'model_regression');
  }
  return { status: 'done', counts };
};
