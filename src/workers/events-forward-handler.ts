// Forwards recorded events to Personalize's PutEvents (when a tracking id is configured).
import { createEventsForwarder } from '../aws/events-forwarder';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import { QUEUE } from '../queues/registry';
import type { HandlerSet } from './handler-table';

export function eventsForwardHandlers(config: Config, db: Database, logger: Logger): HandlerSet {
  const forward = createEventsForwarder(config, db, logger);
  return {
    [QUEUE.eventsForward]: {
      process: (job) => forward(job.data.eventIds),
      options: { concurrency: 1 },
    },
  };
}
