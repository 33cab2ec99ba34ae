// What operators do with Shopify webhook deliveries: count the owed and failed ones, replay the
// failed ones. The inbox (src/connectors/shopify/webhook-inbox.ts) is the one home of the rules.
import type { Pool } from 'pg';
import { replayWebhooks, webhookCounts, type WebhookCounts } from '../connectors/shopify';
import type { Logger } from '../infra/logger';
import type { WebhookQueue } from '../queues/webhook-queue';

export class WebhookAdmin {
  constructor(
    private readonly pool: Pool,
    private readonly queue: WebhookQueue,
    private readonly logger: Logger,
  ) {}

  counts(): Promise<WebhookCounts> {
    return webhookCounts(this.pool);
  }

  /** Replays the given failed deliveries, or every failed one; returns the ids queued again. */
  replay(ids: string[] | null): Promise<string[]> {
    const deps = { pool: this.pool, queue: this.queue, logger: this.logger };
    return replayWebhooks(deps, ids ? { ids } : { allFailed: true });
  }
}
