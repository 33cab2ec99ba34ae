// The webhooks queue as the Shopify inbox sees it: add a delivery's job, ask whether it exists,
// run a delayed retry now. Every call is bounded in time: the queue's connection waits through
// Redis outages, and neither a webhook request nor the sweep may wait with it (the delivery is
// already stored in PostgreSQL, so a timed-out add loses nothing; the sweep adds it later).
import type { Queue } from 'bullmq';
import type { Config } from '../config/config';
import { QUEUE, webhookJobId, type WebhookJobData } from './registry';

export type WebhookJobState = 'missing' | 'failed' | 'delayed' | 'other';

export interface WebhookQueue {
  /** Adds the job of this round of the delivery; a no-op when it exists. */
  add(data: WebhookJobData): Promise<void>;
  state(data: WebhookJobData): Promise<WebhookJobState>;
  /** Runs a delayed retry now (Shopify retried the delivery); false when it was not delayed. */
  promote(data: WebhookJobData): Promise<boolean>;
}

export class QueueTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${QUEUE.webhooks} queue did not answer ${what} within ${ms} ms`);
    this.name = 'QueueTimeoutError';
  }
}

async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new QueueTimeoutError(what, ms));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function bullWebhookQueue(queue: Queue, config: Pick<Config, 'shopify'>): WebhookQueue {
  const { attempts, retryBaseMs, enqueueTimeoutMs } = config.shopify.webhooks;
  const job = (data: WebhookJobData) => queue.getJob(webhookJobId(data.webhookId, data.round));
  return {
    async add(data) {
      await within(
        enqueueTimeoutMs,
        'add',
        queue.add(QUEUE.webhooks, data, {
          jobId: webhookJobId(data.webhookId, data.round),
          attempts,
          backoff: { type: 'exponential', delay: retryBaseMs },
        }),
      );
    },
    async state(data) {
      const found = await within(enqueueTimeoutMs, 'getJob', job(data));
      if (!found) return 'missing';
      const state = await within(enqueueTimeoutMs, 'getState', found.getState());
      if (state === 'unknown') return 'missing';
      return state === 'failed' || state === 'delayed' ? state : 'other';
    },
    async promote(data) {
      const found = await within(enqueueTimeoutMs, 'getJob', job(data));
      if (!found || (await within(enqueueTimeoutMs, 'getState', found.getState())) !== 'delayed') return false;
      await within(enqueueTimeoutMs, 'promote', found.promote());
      return true;
    },
  };
}
