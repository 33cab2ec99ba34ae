// A worker process: one BullMQ Worker per selected queue, all sharing one set of services.
import type { Worker } from 'bullmq';
import type { Services } from '../app/services';
import { checkAlerts } from '../alerts/check-alerts';
import { isStage, type QueueName } from '../queues/registry';
import { registerSchedules } from '../pipeline/schedules';
import type { StageRunnerDeps } from '../pipeline/stage-runner';
import { createEventsForwardWorker } from './events-forward-worker';
import { createSchedulerWorker } from './scheduler-worker';
import { createWebhooksWorker } from './webhooks-worker';
import { isShopifySyncConfigured, syncShopify } from '../connectors/shopify';
import { warmHotLayer } from '../serving/hot-layer-warmer';
import { createStageWorker } from './stage-worker';

export interface WorkerProcess {
  workers: Worker[];
  /** Stops taking jobs, lets running ones finish (bounded by the shutdown timeout), closes. */
  close(): Promise<void>;
}

export async function startWorkers(services: Services, opts: { queues: QueueName[]; concurrency: number }): Promise<WorkerProcess> {
  const { config, logger, db, queueRedis } = services;
  const runnerDeps: StageRunnerDeps = {
    config,
    db,
    store: services.store,
    engine: services.engine,
    // Queue connection: waits through reconnects, so a batch-version bump is never dropped.
    redis: queueRedis,
    logger,
    runs: services.pipeline.runs,
    enqueuer: services.queues,
    onRunFinished: async () => {
      await checkAlerts(db);
    },
  };
  const workers: Worker[] = [];
  for (const name of opts.queues) {
    if (isStage(name)) {
      workers.push(createStageWorker(name, runnerDeps, queueRedis, { config, concurrency: opts.concurrency }));
    } else if (name === 'scheduler') {
      workers.push(
        createSchedulerWorker(
          {
            pipeline: services.pipeline,
            checkAlerts: () => checkAlerts(db),
            // The same warm as the pipeline's warm-cache stage, on the current batch.
            prewarm: () => warmHotLayer({ config, db, redis: queueRedis, logger }),
            sync: async () =>
              isShopifySyncConfigured(config)
                ? syncShopify({ db, config, logger })
                : { skipped: 'no store connector configured' },
          },
          queueRedis,
          config,
          logger,
        ),
      );
      if (config.schedules.enabled) await registerSchedules(services.queues, db, config);
    } else if (name === 'webhooks') {
      workers.push(createWebhooksWorker(config, db, logger, queueRedis));
    } else if (name === 'events-forward') {
      workers.push(createEventsForwardWorker(config, db, logger, queueRedis));
    }
  }
  for (const w of workers) {
    w.on('failed', (job, err) => logger.error({ queue: w.name, jobId: job?.id, err: err.message }, 'job failed'));
    w.on('error', (err) => logger.error({ queue: w.name, err: err.message }, 'worker error'));
  }
  logger.info({ queues: workers.map((w) => w.name), concurrency: opts.concurrency }, 'workers started');
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
