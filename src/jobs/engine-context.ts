import type { EngineContext } from '../engine/training-engine';
import type { StageDeps, StageInput } from './stage-types';

export function engineContext(deps: StageDeps, input: StageInput): EngineContext {
  return {
    runId: input.run.id,
    mode: input.run.mode,
    recipes: input.recipes,
    store: deps.store,
    layout: input.layout,
    logger: deps.logger.child({ runId: input.run.id }),
    progress: input.progress,
  };
}
