// Applies Shopify webhooks received by the gateway (which only verifies, records and enqueues).
import { processShopifyWebhook } from '../connectors/shopify';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import { QUEUE } from '../queues/registry';
import type { HandlerSet } from './handler-table';

export function webhooksHandlers(db: Database, logger: Logger): HandlerSet {
  return {
    [QUEUE.webhooks]: {
      process: (job) => processShopifyWebhook({ db, logger }, job.data),
      options: { concurrency: 4 },
    },
  };
}
