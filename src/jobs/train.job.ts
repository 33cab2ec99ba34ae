// train: asks the configured engine to train every recipe of the run and records each model
// version with its parameters and data snapshot (one row per run and recipe; a rerun keeps them).
import { ModelVersionStore } from '../engine/model-version-store';
import type { StageFn } from './stage-types';
import { engineContext } from './engine-context';

export const train: StageFn = async (deps, input) => {
  const step = await deps.engine.train(engineContext(deps, input), input.poll?.state);
  if (step.status === 'waiting') return step;
  await new ModelVersionStore(deps.db).recordTrained(input.run.id, deps.engine.name, step.result.models);
  return { status: 'done', counts: { models: step.result.models.length } };
};
