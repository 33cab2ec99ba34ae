// The chain, in one place: which stage function runs for each stage name, which stages a run
// includes, and what comes next. Workers and tests both go through here.
import { QUEUE, STAGES, type StageName } from '../queues/registry';
import { exportDatasets } from '../jobs/export-datasets.job';
import { train } from '../jobs/train.job';
import { batchInfer } from '../jobs/batch-infer.job';
import { loadResultsStage } from '../jobs/load-results.job';
import { syncOrders } from '../jobs/sync-orders.job';
import { warmCache } from '../jobs/warm-cache.job';
import { evaluate } from '../jobs/evaluate.job';
import type { PipelineRunView } from './pipeline-service';
import type { StageFn } from './stage-types';

export const STAGE_FUNCTIONS: Record<StageName, StageFn> = {
  [QUEUE.syncOrders]: syncOrders,
  [QUEUE.exportDatasets]: exportDatasets,
  [QUEUE.train]: train,
  [QUEUE.batchInfer]: batchInfer,
  [QUEUE.loadResults]: loadResultsStage,
  [QUEUE.warmCache]: warmCache,
  [QUEUE.evaluate]: evaluate,
};

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
