// batch-infer: the engine writes one JSON Lines file per recipe (and records its batch jobs in
// batch_job_metadata); the stage reports what was written.
import type { StageFn } from './stage-types';
import { engineContext } from './engine-context';

export const batchInfer: StageFn = async (deps, input) => {
  const step = await deps.engine.batchInfer(engineContext(deps, input), input.poll?.state);
  if (step.status === 'waiting') return step;
  let lines = 0;
  let failed = 0;
  for (const out of step.result.outputs) {
    lines += out.lines;
    failed += out.failedLines;
  }
  return { status: 'done', counts: { outputs: step.result.outputs.length, lines, failedLines: failed } };
};
