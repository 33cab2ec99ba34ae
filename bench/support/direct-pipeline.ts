// A whole pipeline run with every stage function called directly in this process, one after the
// other (no queue, no worker): what bench:pipeline times and what bench:realtime trains with.
import type { Services } from '../../src/app/services';
import type { Config } from '../../src/config/config';
import { runLayout, type RecipeName } from '../../src/engine/training-engine';
import { STAGE_FUNCTIONS } from '../../src/jobs/stage-functions';
import { planStages } from '../../src/pipeline/stage-chain';

/** Runs the stages; returns each stage's time in ms, in stage order. */
export async function runStagesDirectly(
  services: Services,
  config: Config,
  recipes: readonly RecipeName[],
): Promise<Record<string, number>> {
  const run = await services.pipeline.runs.create({
    mode: 'FULL',
    trigger: 'bench',
    engine: 'local',
    recipes: [...recipes],
    stages: planStages({ syncFirst: false }),
  });
  const times: Record<string, number> = {};
  const deps = {
    config,
    db: services.db,
    store: services.store,
    engine: services.engine,
    redis: services.queueRedis,
    logger: services.logger,
  };
  const noop = () => Promise.resolve();
  for (const stage of planStages({ syncFirst: false })) {
    const t = Date.now();
    const outcome = await STAGE_FUNCTIONS[stage](deps, {
      run,
      recipes: [...recipes],
      layout: runLayout(run.id),
      progress: noop,
    });
    times[stage] = Date.now() - t;
    if (outcome.status === 'waiting') throw new Error(`${stage} waited: the built-in engine never should`);
  }
  await services.pipeline.runs.setStatus(run.id, 'succeeded');
  return times;
}
