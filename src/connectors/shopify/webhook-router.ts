// POST /webhooks/shopify: verify, record, enqueue, answer. The work happens in the 'webhooks' queue
// (processShopifyWebhook), so Shopify gets its 200 in milliseconds. The raw body is read on this
// route only (the HMAC covers the exact bytes) and never logged.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Config } from '../../config/config';
import type { Database } from '../../db/database';
import type { Logger } from '../../infra/logger';
import type { WebhookJobData } from '../../queues/registry';
import { isHandledTopic } from './webhook-payloads';
import { verifyShopifyHmac } from './webhook-verification';

export const SHOPIFY_WEBHOOK_PATH = '/webhooks/shopify';
/** Shopify's order payloads with many lines run to a few hundred KB; anything past this is refused. */
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

export interface WebhookRouterDeps {
  config: Pick<Config, 'shopify'>;
  db: Database;
  logger: Logger;
  enqueue: (data: WebhookJobData) => Promise<void>;
}

/** A deterministic BullMQ job id for a delivery, so a re-enqueue of the same delivery is a no-op. */
export function webhookJobId(webhookId: string): string {
  return `shopify-webhook-${webhookId}`;
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function createShopifyWebhookRouter(deps: WebhookRouterDeps): Router {
  const { config, db, logger, enqueue } = deps;
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
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      logger.warn({ ...meta, bytes: body.length }, 'shopify webhook rejected: body is not JSON');
      res.status(400).json({ error: 'body is not JSON' });
      return;
    }
    const handled = isHandledTopic(topic);
    const inserted = await db.pool.query(
      `INSERT INTO webhook_deliveries (webhook_id, topic, shop, status) VALUES ($1, $2, $3, $4)
       ON CONFLICT (webhook_id) DO NOTHING RETURNING webhook_id`,
      [webhookId, topic, shop, handled ? 'queued' : 'ignored'],
    );
    if (!inserted.rowCount) {
      logger.info(meta, 'shopify webhook replayed; already recorded');
      res.status(200).json({ status: 'duplicate' });
      return;
    }
    if (!handled) {
      res.status(200).json({ status: 'ignored' });
      return;
    }
    try {
      await enqueue({ webhookId, topic, shop, payload });
    } catch (err) {
      // Forget the delivery so Shopify's retry is accepted rather than taken for a replay.
      await db.pool.query(`DELETE FROM webhook_deliveries WHERE webhook_id = $1`, [webhookId]);
      logger.error({ ...meta, err: (err as Error).message }, 'shopify webhook could not be queued');
      res.status(503).json({ error: 'could not queue the webhook; Shopify will retry' });
      return;
    }
    res.status(200).json({ status: 'queued' });
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
