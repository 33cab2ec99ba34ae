// Which stage function runs for each stage name. Workers (through the stage runner), tests and
// the pipeline benchmark all go through here.
import { QUEUE, type StageName } from '../queues/registry';
import { exportDatasets } from './export-datasets.job';
import { train } from './train.job';
import { batchInfer } from './batch-infer.job';
import { loadResultsStage } from './load-results.job';
import { syncOrders } from './sync-orders.job';
import { warmCache } from './warm-cache.job';
import { evaluate } from './evaluate.job';
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
