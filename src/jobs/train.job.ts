// train: asks the configured engine to train every recipe of the run and records each model
// version with its parameters, data snapshot and tuning record (one row per run and recipe; a
// rerun keeps them). The engine tunes or reuses the last tuning as tuning-policy.ts decides.
import { ModelVersionStore } from '../engine/model-version-store';
import type { StageFn } from './stage-types';
import { engineContext } from './engine-context';

export const train: StageFn = async (deps, input) => {
  const versions = new ModelVersionStore(deps.db);
  // The engine decides whether to tune (tuning-policy.ts); it needs the run's request and the last tuning.
  const previous = await versions.latestTuning(deps.engine.name, input.run.id);
  const ctx = { ...engineContext(deps, input), tuning: { retune: input.run.retune, previous } };
  const step = await deps.engine.train(ctx, input.poll?.state);
  if (step.status === 'waiting') return step;
  await versions.recordTrained(input.run.id, deps.engine.name, step.result.models);
  return { status: 'done', counts: { models: step.result.models.length } };
};
