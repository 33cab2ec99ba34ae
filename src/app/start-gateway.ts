// The gateway as `recs serve` and the demo run it: the real pipeline service, the newest
// built-in model for rankItems, and the Shopify webhook route.
import { createShopifyWebhookRouter } from '../connectors/shopify';
import { createGateway, type GatewayHandle } from './create-gateway';
import { QUEUE } from '../queues/registry';
import { bullWebhookQueue } from '../queues/webhook-queue';
import { LatestModelRanker } from '../serving/latest-model-ranker';
import type { Services } from './services';
import { recordPurchases } from '../serving/recent-activity';

export async function startGateway(services: Services): Promise<GatewayHandle> {
  const { config, logger, db, queues } = services;
  const webhookQueue = bullWebhookQueue(queues.get(QUEUE.webhooks), config);
  // Bound once the gateway exists (its recent-activity state); no webhook is answered before that.
  const bound: { gateway?: GatewayHandle } = {};
  const webhooks = createShopifyWebhookRouter({
    config,
    db,
    logger,
    queue: webhookQueue,
    onPurchases: (p) => recordPurchases(bound.gateway?.services.activity ?? null, p),
  });
  const gateway = await createGateway({
    config,
    logger,
    db,
    pipeline: services.pipeline,
    ranker: config.engine.kind === 'local' ? new LatestModelRanker(db, services.store, logger) : null,
    queues: queues.all(),
    routers: [{ path: '/', router: webhooks }],
  });
  bound.gateway = gateway;
  return gateway;
}
