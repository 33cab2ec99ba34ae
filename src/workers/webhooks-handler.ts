// Applies Shopify webhooks received by the gateway (which only verifies, records and enqueues).
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { processShopifyWebhook } from '../connectors/shopify';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import type { WebhookJobData } from '../queues/registry';

export function createWebhooksWorker(config: Config, db: Database, logger: Logger, connection: Redis): Worker<WebhookJobData> {
  return new Worker<WebhookJobData>('webhooks', (job) => processShopifyWebhook({ db, logger }, job.data), {
    connection,
    prefix: config.redis.prefix,
    concurrency: 4,
  });
}
