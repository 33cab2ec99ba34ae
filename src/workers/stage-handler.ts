// Binds one stage queue to the stage runner. The only translation: a permanent stage error
// becomes BullMQ's UnrecoverableError so the job is not retried.
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { StageJobData, StageName } from '../queues/registry';
import { runStage, type StageRunnerDeps } from '../pipeline/stage-runner';
import { PermanentStageError } from '../pipeline/stage-types';

export function createStageWorker(
  stage: StageName,
  deps: StageRunnerDeps,
  connection: Redis,
  opts: { config: Config; concurrency: number },
): Worker<StageJobData> {
  return new Worker<StageJobData>(
    stage,
    async (job) => {
      try {
        return await runStage(deps, stage, {
          data: job.data,
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
          updateProgress: (p) => job.updateProgress(p),
        });
      } catch (err) {
        if (err instanceof PermanentStageError) throw new UnrecoverableError(err.message);
        throw err;
      }
    },
    {
      connection,
      prefix: opts.config.redis.prefix,
      concurrency: opts.concurrency,
      // A worker killed mid-stage loses its lock; the job is then re-run elsewhere (stages are idempotent).
      lockDuration: opts.config.worker.lockMs,
      stalledInterval: opts.config.worker.stalledCheckMs,
      maxStalledCount: 2,
    },
  );
}
