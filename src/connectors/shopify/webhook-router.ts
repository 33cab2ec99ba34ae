// POST /webhooks/shopify: verify, store, enqueue, answer. A 200 is sent only once the delivery's
// raw body is stored in PostgreSQL (the inbox, webhook-inbox.ts); the work happens in the
// 'webhooks' queue (processShopifyWebhook), so Shopify gets its answer in milliseconds, and a
// queue that is down or slow delays the work without losing it. The raw body is read on this
// route only (the HMAC covers the exact bytes) and never logged.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Config } from '../../config/config';
import type { Database } from '../../db/database';
import type { Logger } from '../../infra/logger';
import type { WebhookQueue } from '../../queues/webhook-queue';
import { receiveDelivery } from './webhook-inbox';
import { parseWebhookBody } from './webhook-body';
import { isHandledTopic, normalizeWebhookOrder, orderPayload } from './webhook-payloads';
import { verifyShopifyHmac } from './webhook-verification';

export const SHOPIFY_WEBHOOK_PATH = '/webhooks/shopify';
/** Shopify's order payloads with many lines run to a few hundred KB; anything past this is refused. */
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

export interface WebhookRouterDeps {
  config: Pick<Config, 'shopify'>;
  db: Database;
  logger: Logger;
  queue: WebhookQueue;
  /**
   * A new order's purchases, told before the 200 (the gateway's recent-activity state for
   * re-ranking); never throws. The order itself is applied by the webhooks queue as before.
   */
  onPurchases?: (purchases: OrderPurchases) => Promise<void>;
}

export interface OrderPurchases {
  customerId: string;
  productIds: string[];
  at: Date;
}

/** The customer and products of an orders/create body, or null (no customer, or not an order we can read). */
function purchasesOf(text: string): OrderPurchases | null {
  const parsed = orderPayload.safeParse(parseWebhookBody(text));
  if (!parsed.success) return null;
  const order = normalizeWebhookOrder(parsed.data);
  if (!order.customer || order.cancelledAt) return null;
  const productIds = [...new Set(order.lineItems.flatMap((l) => (l.product && l.quantity > 0 ? [l.product.id] : [])))];
  return productIds.length ? { customerId: order.customer.id, productIds, at: order.createdAt } : null;
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function createShopifyWebhookRouter(deps: WebhookRouterDeps): Router {
  const { config, db, logger, queue } = deps;
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES });

  router.post(SHOPIFY_WEBHOOK_PATH, raw, async (req: Request, res: Response) => {
    const topic = header(req, 'x-shopify-topic');
    const webhookId = header(req, 'x-shopify-webhook-id');
    const shop = header(req, 'x-shopify-shop-domain') ?? null;
    const meta = { topic, webhookId, shop, ip: req.ip };
    const secret = config.shopify.webhookSecret;
    if (!secret) {
      logger.error(meta, 'shopify webhook received but SHOPIFY_WEBHOOK_SECRET is not set');
      res.status(503).json({ error: 'webhooks are not configured' });
      return;
    }
    if (req.body !== undefined && !Buffer.isBuffer(req.body)) {
      // A JSON parser mounted before this router consumed the bytes the signature covers.
      logger.error(meta, 'shopify webhook: raw body unavailable; mount the webhook router before any body parser');
      res.status(500).json({ error: 'webhook endpoint misconfigured' });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyShopifyHmac(body, header(req, 'x-shopify-hmac-sha256'), secret)) {
      logger.warn(
        { ...meta, bytes: body.length, signed: !!header(req, 'x-shopify-hmac-sha256') },
        'shopify webhook rejected: bad signature',
      );
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    if (config.shopify.shop && shop && shop !== config.shopify.shop) {
      logger.warn(meta, 'shopify webhook rejected: from another shop');
      res.status(403).json({ error: 'unknown shop' });
      return;
    }
    if (!topic || !webhookId) {
      logger.warn(meta, 'shopify webhook rejected: X-Shopify-Topic or X-Shopify-Webhook-Id missing');
      res.status(400).json({ error: 'X-Shopify-Topic and X-Shopify-Webhook-Id are required' });
      return;
    }
    const text = body.toString('utf8');
    try {
      // Only a validity check: the processor parses the stored text losslessly (64-bit ids).
      JSON.parse(text);
    } catch {
      logger.warn({ ...meta, bytes: body.length }, 'shopify webhook rejected: body is not JSON');
      res.status(400).json({ error: 'body is not JSON' });
      return;
    }
    try {
      const status = await receiveDelivery(
        { pool: db.pool, queue, logger },
        { webhookId, topic, shop, body: text, handled: isHandledTopic(topic) },
      );
      if (status === 'duplicate') logger.info(meta, 'shopify webhook replayed; already processed');
      const purchases =
        deps.onPurchases && topic === 'orders/create' && status !== 'duplicate' ? purchasesOf(text) : null;
      if (purchases) await deps.onPurchases?.(purchases);
      res.status(200).json({ status });
    } catch (err) {
      // Not stored (PostgreSQL down): a non-2xx answer makes Shopify retry the delivery later.
      logger.error({ ...meta, err: (err as Error).message }, 'shopify webhook could not be stored');
      res.status(503).json({ error: 'could not store the webhook; Shopify will retry' });
    }
  });

  // Body-parser errors (too large, aborted): answer plainly, never echo or log the body.
  router.use(
    SHOPIFY_WEBHOOK_PATH,
    (err: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) {
        next(err);
        return;
      }
      const status = err.status && err.status >= 400 && err.status < 600 ? err.status : 500;
      logger[status >= 500 ? 'error' : 'warn'](
        { status, type: err.type, message: err.message, ip: req.ip },
        'shopify webhook request failed',
      );
      res.status(status).json({ error: status === 413 ? 'payload too large' : 'webhook request failed' });
    },
  );
  return router;
}
