// The gateway as `recs serve` and the demo run it: the real pipeline service, the newest
// built-in model for rankItems, and the Shopify webhook route.
import { createShopifyWebhookRouter } from '../connectors/shopify';
import { createGateway, type GatewayHandle } from './create-gateway';
import { QUEUE } from '../queues/registry';
import { bullWebhookQueue } from '../queues/webhook-queue';
import { LatestModelRanker } from '../serving/latest-model-ranker';
import type { Services } from './services';

export function startGateway(services: Services): Promise<GatewayHandle> {
  const { config, logger, db, queues } = services;
  const webhookQueue = bullWebhookQueue(queues.get(QUEUE.webhooks), config);
  const webhooks = createShopifyWebhookRouter({ config, db, logger, queue: webhookQueue });
  return createGateway({
    config,
    logger,
    db,
    pipeline: services.pipeline,
    ranker: config.engine.kind === 'local' ? new LatestModelRanker(db, services.store, logger) : null,
    queues: queues.all(),
    routers: [{ path: '/', router: webhooks }],
  });
}
