// Applies stored Shopify deliveries (the gateway only verifies, stores and enqueues). A failure
// is retried with the queue's backoff (SHOPIFY_WEBHOOK_ATTEMPTS, doubling from
// SHOPIFY_WEBHOOK_RETRY_BASE_MS); the last one marks the delivery failed and raises the
// webhook_failed alert at once.
import { UnrecoverableError, type Job } from 'bullmq';
import { checkWebhookAlert } from '../alerts/check-alerts';
import { processShopifyWebhook } from '../connectors/shopify';
import type { Redis } from 'ioredis';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import { QUEUE, type WebhookJobData } from '../queues/registry';
import type { HandlerSet } from './handler-table';

/** attemptsMade counts the attempts that already failed; this one is the last when it reaches the limit. */
export function isFinalAttempt(job: Pick<Job<WebhookJobData>, 'attemptsMade' | 'opts'>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

export function webhooksHandlers(db: Database, logger: Logger, hot?: { redis: Redis; prefix: string }): HandlerSet {
  return {
    [QUEUE.webhooks]: {
      async process(job) {
        const finalAttempt = isFinalAttempt(job);
        try {
          return await processShopifyWebhook({ db, logger, hot }, job.data, { finalAttempt });
        } catch (err) {
          if (finalAttempt || err instanceof UnrecoverableError) await checkWebhookAlert(db);
          throw err;
        }
      },
      options: { concurrency: 4 },
    },
  };
}
