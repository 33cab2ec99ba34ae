// batch-infer: the engine writes one JSON Lines file per recipe; each is recorded as a batch job.
import type { StageFn } from '../pipeline/stage-types';
import { engineContext } from '../pipeline/engine-context';

export const batchInfer: StageFn = async (deps, input) => {
  const startedAt = new Date();
  const step = await deps.engine.batchInfer(engineContext(deps, input), input.poll?.state);
  if (step.status === 'waiting') return step;
  const runId = input.run.id;
  let lines = 0;
  let failed = 0;
  for (const out of step.result.outputs) {
    lines += out.lines;
    failed += out.failedLines;
    const jobName = `${deps.engine.name}-run-${runId}-${out.recipe}`;
    const data = {
      jobArn: out.externalId ?? null,
      recipeName: out.recipe,
      status: 'COMPLETED',
      completedAt: new Date(),
      runId,
      failureReason: out.failedLines ? `${out.failedLines} input lines failed` : null,
    };
    await deps.db.prisma.batchJobMetadata.upsert({
      where: { jobName },
      create: { jobName, startedAt, ...data },
      update: data,
    });
  }
  return { status: 'done', counts: { outputs: step.result.outputs.length, lines, failedLines: failed } };
};
