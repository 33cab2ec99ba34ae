// Everything a process needs, built once from the validated config and passed in (no
// module-level singletons). One close() releases it all, in order.
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import { createDatabase, type Database } from '../db/database';
import type { TrainingEngine } from '../engine/training-engine';
import { createLogger, type Logger } from '../infra/logger';
import { createRedis } from '../infra/redis';
import { QueuePipelineService } from '../pipeline/queue-pipeline-service';
import { Queues } from '../queues/queues';
import type { ObjectStore } from '../storage/object-store';
import { createEngine } from './create-engine';
import { createObjectStore } from '../storage/create-object-store';

export interface Services {
  config: Config;
  logger: Logger;
  db: Database;
  /** BullMQ's connection: blocking-safe (maxRetriesPerRequest null) in workers, bounded (producer) in the gateway. */
  queueRedis: Redis;
  queues: Queues;
  store: ObjectStore;
  engine: TrainingEngine;
  pipeline: QueuePipelineService;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  logger?: Logger;
  name?: string;
  /** Tests inject an engine whose cloud client is mocked (AWS); production builds it from config. */
  engine?: (deps: { db: Database; logger: Logger }) => TrainingEngine;
  store?: ObjectStore;
  /** The gateway's services: its pool bounds every wait (createPool's requestPath). */
  requestPath?: boolean;
}

export function buildServices(config: Config, opts: ServiceOverrides = {}): Services {
  const logger = opts.logger ?? createLogger(config, opts.name);
  const db = createDatabase(config, { requestPath: opts.requestPath === true });
  // The gateway only adds and reads jobs: its queue commands are bounded and pass the breaker.
  const queueRedis = createRedis(config, opts.requestPath === true ? 'producer' : 'worker');
  const queues = new Queues(config, queueRedis);
  const store = opts.store ?? createObjectStore(config);
  const engine = (opts.engine ?? ((d) => createEngine(config, d)))({ db, logger });
  const pipeline = new QueuePipelineService({ config, db, queues, logger });
  return {
    config,
    logger,
    db,
    queueRedis,
    queues,
    store,
    engine,
    pipeline,
    async close() {
      await queues.close();
      await db.close();
      queueRedis.disconnect();
    },
  };
}
