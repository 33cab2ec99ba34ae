// Forwards recorded events to Personalize's PutEvents (when a tracking id is configured).
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createEventsForwarder } from '../aws/events-forwarder';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import type { EventsForwardJobData } from '../queues/registry';

export function createEventsForwardWorker(config: Config, db: Database, logger: Logger, connection: Redis): Worker<EventsForwardJobData> {
  const forward = createEventsForwarder(config, db, logger);
  return new Worker<EventsForwardJobData>('events-forward', (job) => forward(job.data.eventIds), {
    connection,
    prefix: config.redis.prefix,
    concurrency: 1,
  });
}
