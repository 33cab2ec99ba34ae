// The chain, in one place: which stages a run includes and what comes next. (Which function
// runs for each stage name is src/jobs/stage-functions.ts: the stages depend on the pipeline's
// run types, so the pipeline does not import them.)
import { QUEUE, STAGES, type StageName } from '../queues/registry';
import type { PipelineRunView } from './pipeline-service';

export function planStages(opts: { syncFirst: boolean }): StageName[] {
  return STAGES.filter((s) => s !== QUEUE.syncOrders || opts.syncFirst);
}

export function firstStage(run: PipelineRunView): StageName {
  const first = STAGES.find((s) => run.stages[s] !== undefined);
  if (!first) throw new Error(`run ${run.id} has no stages`);
  return first;
}

export function nextStage(run: PipelineRunView, current: StageName): StageName | null {
  const rest = STAGES.slice(STAGES.indexOf(current) + 1);
  return rest.find((s) => run.stages[s] !== undefined) ?? null;
}

/** The stage a run is at: the first one that has not succeeded or been skipped. */
export function currentStage(run: PipelineRunView): StageName | null {
  return (
    STAGES.find((s) => {
      const state = run.stages[s];
      return state !== undefined && state.status !== 'succeeded' && state.status !== 'skipped';
    }) ?? null
  );
}
