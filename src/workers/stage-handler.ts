// Binds every stage queue to the stage runner. The only translation: a permanent stage error
// becomes BullMQ's UnrecoverableError so the job is not retried.
import { UnrecoverableError } from 'bullmq';
import type { Config } from '../config/config';
import { PermanentStageError } from '../errors/permanent-stage-error';
import { perStage, type StageName } from '../queues/registry';
import { runStage, type StageRunnerDeps } from '../jobs/stage-runner';
import type { QueueHandler } from './handler-table';

export function stageHandlers(
  deps: StageRunnerDeps,
  opts: { config: Config; concurrency: number },
): Record<StageName, QueueHandler<StageName>> {
  return perStage((stage) => ({
    async process(job) {
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
    options: {
      concurrency: opts.concurrency,
      // A worker killed mid-stage loses its lock; the job is then re-run elsewhere (stages are idempotent).
      lockDuration: opts.config.worker.lockMs,
      stalledInterval: opts.config.worker.stalledCheckMs,
      maxStalledCount: 2,
    },
  }));
}
