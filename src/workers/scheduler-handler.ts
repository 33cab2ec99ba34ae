// The 'scheduler' queue receives the cron jobs; each only fans work out (a pipeline run, an
// order sync, a pre-warm, an alert check).
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { Logger } from '../infra/logger';
import { RunAlreadyActiveError, type PipelineService } from '../pipeline/pipeline-service';
import type { SchedulerJobData } from '../queues/registry';

export interface ScheduledTasks {
  pipeline: PipelineService;
  checkAlerts(): Promise<unknown>;
  prewarm(): Promise<unknown>;
  sync(): Promise<unknown>;
}

export function createSchedulerWorker(tasks: ScheduledTasks, connection: Redis, config: Config, logger: Logger): Worker<SchedulerJobData> {
  return new Worker<SchedulerJobData>(
    'scheduler',
    async (job) => {
      switch (job.data.kind) {
        case 'pipeline':
          try {
            const run = await tasks.pipeline.startRun({ mode: job.data.mode, trigger: 'schedule' });
            return { runId: run.id };
          } catch (err) {
            // A scheduled run never queues behind a long one: it is skipped, visibly.
            if (err instanceof RunAlreadyActiveError) {
              logger.warn({ activeRunId: err.activeRunId }, 'scheduled pipeline run skipped: a run is active');
              return { skipped: err.message };
            }
            throw err;
          }
        case 'alerts':
          return tasks.checkAlerts();
        case 'prewarm':
          return tasks.prewarm();
        case 'sync':
          return tasks.sync();
        default: {
          const never: never = job.data;
          throw new Error(`unknown scheduler job ${JSON.stringify(never)}`);
        }
      }
    },
    { connection, prefix: config.redis.prefix, concurrency: 1 },
  );
}
