// A worker process: one BullMQ Worker per selected queue, all sharing one set of services. The
// handler table is checked before any worker starts: a queue with no handler, or two, stops
// start-up with a WorkerStartupError naming it.
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Services } from '../app/services';
import { checkAlerts } from '../alerts/check-alerts';
import type { QueueName, QueuePayloads } from '../queues/registry';
import type { StageRunnerDeps } from '../jobs/stage-runner';
import { buildHandlerTable, type HandlerSet, type HandlerTable } from './handler-table';
import { eventsForwardHandlers } from './events-forward-handler';
import { schedulerHandlers } from './scheduler-handler';
import { stageHandlers } from './stage-handler';
import { webhooksHandlers } from './webhooks-handler';

export interface WorkerProcess {
  workers: Worker[];
  /** Stops taking jobs, lets running ones finish (bounded by the shutdown timeout), closes. */
  close(): Promise<void>;
}

export interface StartWorkersOptions {
  queues: readonly QueueName[];
  concurrency: number;
  /** Replaces the handler sets of every queue (tests); by default the ones below. */
  handlers?: readonly HandlerSet[];
}

/** The handlers of every queue in the registry. */
export function defaultHandlers(services: Services, concurrency: number): HandlerSet[] {
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
  return [
    stageHandlers(runnerDeps, { config, concurrency }),
    schedulerHandlers(
      { config, db, redis: queueRedis, logger, pipeline: services.pipeline, queues: services.queues },
      { queues: services.queues, runs: services.pipeline.runs },
    ),
    webhooksHandlers(db, logger, { redis: queueRedis, prefix: config.redis.prefix }),
    eventsForwardHandlers(config, db, logger),
  ];
}

function startWorker<Q extends QueueName>(
  queue: Q,
  table: HandlerTable,
  connection: Redis,
  prefix: string,
): Worker<QueuePayloads[Q]> {
  const handler = table[queue];
  return new Worker<QueuePayloads[Q]>(queue, (job) => handler.process(job), { ...handler.options, connection, prefix });
}

export async function startWorkers(services: Services, opts: StartWorkersOptions): Promise<WorkerProcess> {
  const { config, logger, queueRedis } = services;
  const table = buildHandlerTable(opts.handlers ?? defaultHandlers(services, opts.concurrency));
  const selected = [...new Set(opts.queues)];
  for (const queue of selected) await table[queue].beforeStart?.();
  const workers: Worker[] = selected.map((queue) => startWorker(queue, table, queueRedis, config.redis.prefix));
  for (const w of workers) {
    w.on('failed', (job, err) => {
      logger.error({ queue: w.name, jobId: job?.id, err: err.message }, 'job failed');
    });
    w.on('error', (err) => {
      logger.error({ queue: w.name, err: err.message }, 'worker error');
    });
  }
  logger.info({ queues: workers.map((w) => w.name), concurrency: opts.concurrency }, 'workers started');
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      for (const queue of selected) await table[queue].afterClose?.();
    },
  };
}
