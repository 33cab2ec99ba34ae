// The Shopify connector's public surface: what the CLI, the sync-orders stage and the gateway use.
export { SHOPIFY_API_VERSION, defaultAdminUrl, ShopifyAdminClient } from './admin-client';
export {
  syncShopify,
  isShopifySyncConfigured,
  type SyncDeps,
  type SyncOptions,
  type SyncProgress,
  type SyncResult,
} from './shopify-sync';
export { createShopifyWebhookRouter, SHOPIFY_WEBHOOK_PATH, type WebhookRouterDeps } from './webhook-router';
export {
  receiveDelivery,
  sweepWebhookInbox,
  replayWebhooks,
  webhookCounts,
  type InboxDeps,
  type WebhookCounts,
  type SweepResult,
} from './webhook-inbox';
export {
  processShopifyWebhook,
  OrderNotYetKnownError,
  type WebhookProcessorDeps,
  type WebhookOutcome,
  type AttemptInfo,
} from './webhook-processor';
export { verifyShopifyHmac, signShopifyBody } from './webhook-verification';
export { HANDLED_TOPICS } from './webhook-payloads';
export * from './shopify-errors';
