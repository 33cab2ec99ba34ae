// Applies one queued Shopify webhook idempotently and records the outcome on its delivery row.
// Bad payloads fail for good (UnrecoverableError: retrying cannot fix them); a refund whose order
// we have not seen yet fails retryably, since orders/create is usually just behind it.
import { UnrecoverableError } from 'bullmq';
import type { Pool, PoolClient } from 'pg';
import type { z } from 'zod';
import type { Database } from '../../db/database';
import type { Logger } from '../../infra/logger';
import type { WebhookJobData } from '../../queues/registry';
import { mapOrder, refundLineRow } from './order-mapper';
import { applyOrderRows, quarantine, upsertCustomers, upsertProducts } from './order-store';
import {
  customerPayload,
  isHandledTopic,
  normalizeWebhookCustomer,
  normalizeWebhookOrder,
  normalizeWebhookProduct,
  normalizeWebhookRefund,
  orderPayload,
  productPayload,
  refundPayload,
} from './webhook-payloads';

export interface WebhookProcessorDeps {
  db: Database;
  logger: Logger;
}

export type WebhookOutcome = 'processed' | 'ignored' | 'already-processed';

export class OrderNotYetKnownError extends Error {
  constructor(readonly orderId: string) {
    super(`refund for order ${orderId}, which is not stored yet; will retry`);
    this.name = 'OrderNotYetKnownError';
  }
}

function parse<S extends z.ZodType>(schema: S, payload: unknown, topic: string): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnrecoverableError(
      `malformed ${topic} payload: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  return parsed.data;
}

async function markDelivery(
  q: Pool | PoolClient,
  data: WebhookJobData,
  status: string,
  error: string | null,
): Promise<void> {
  await q.query(
    `INSERT INTO webhook_deliveries (webhook_id, topic, shop, status, error, processed_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (webhook_id) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error, processed_at = now()`,
    [data.webhookId, data.topic, data.shop, status, error],
  );
}

export async function processShopifyWebhook(deps: WebhookProcessorDeps, data: WebhookJobData): Promise<WebhookOutcome> {
  const { db, logger } = deps;
  const { rows } = await db.pool.query<{ status: string }>(
    `SELECT status FROM webhook_deliveries WHERE webhook_id = $1`,
    [data.webhookId],
  );
  if (rows[0]?.status === 'processed') return 'already-processed';
  if (!isHandledTopic(data.topic)) {
    await markDelivery(db.pool, data, 'ignored', null);
    return 'ignored';
  }
  try {
    await db.transaction(async (tx) => {
      await apply(tx, data);
      await markDelivery(tx, data, 'processed', null);
    });
    logger.debug({ webhookId: data.webhookId, topic: data.topic }, 'shopify webhook processed');
    return 'processed';
  } catch (err) {
    await markDelivery(db.pool, data, 'failed', (err as Error).message);
    logger.warn(
      { webhookId: data.webhookId, topic: data.topic, err: (err as Error).message },
      'shopify webhook failed',
    );
    throw err;
  }
}

async function apply(tx: PoolClient, data: WebhookJobData): Promise<void> {
  switch (data.topic) {
    case 'orders/create':
    case 'orders/updated':
    case 'orders/cancelled': {
      const order = normalizeWebhookOrder(parse(orderPayload, data.payload, data.topic));
      await applyOrderRows(tx, [mapOrder(order)]);
      return;
    }
    case 'refunds/create':
      await applyRefund(tx, parse(refundPayload, data.payload, data.topic));
      return;
    case 'products/update':
      await upsertProducts(tx, [normalizeWebhookProduct(parse(productPayload, data.payload, data.topic))]);
      return;
    case 'customers/update':
      await upsertCustomers(tx, [normalizeWebhookCustomer(parse(customerPayload, data.payload, data.topic))]);
      return;
    default:
      throw new UnrecoverableError(`no handler for topic ${data.topic}`);
  }
}

async function applyRefund(tx: PoolClient, payload: z.infer<typeof refundPayload>): Promise<void> {
  const { orderId, refund } = normalizeWebhookRefund(payload);
  const order = await tx.query<{ customer_id: string }>(`SELECT customer_id FROM orders WHERE id = $1 FOR UPDATE`, [
    orderId,
  ]);
  const customerId = order.rows[0]?.customer_id;
  if (!customerId) throw new OrderNotYetKnownError(orderId);
  const purchases = await tx.query<{ line_key: string; product_id: string }>(
    `SELECT line_key, product_id FROM order_items WHERE order_id = $1 AND event_type = 'purchase'`,
    [orderId],
  );
  const productOfLine = new Map(purchases.rows.map((r) => [r.line_key, r.product_id]));
  for (const line of refund.lines) {
    const productId = line.productId ?? productOfLine.get(`shopify:${orderId}:${line.lineItemId}`);
    if (!productId) {
      await quarantine(tx, [
        {
          file: `refund/${refund.id}/line/${line.id}`,
          reason: 'refund line refers to a line item without a product',
          raw: line,
        },
      ]);
      continue;
    }
    if (line.quantity <= 0) continue;
    const row = refundLineRow(refund, line, orderId, customerId, productId);
    const inserted = await tx.query(
      `INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, unit_price, event_type, event_value, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (line_key) DO NOTHING RETURNING id`,
      [
        row.lineKey,
        row.orderId,
        row.customerId,
        row.productId,
        row.quantity,
        row.unitPrice,
        row.eventType,
        row.eventValue,
        row.occurredAt,
      ],
    );
    // A refund after a cancellation returns what the cancellation already returned: count it once.
    if (inserted.rowCount) {
      await tx.query(`UPDATE order_items SET quantity = quantity - $2 WHERE line_key = $1`, [
        `shopify:cancel:${line.lineItemId}`,
        line.quantity,
      ]);
      await tx.query(`DELETE FROM order_items WHERE line_key = $1 AND quantity <= 0`, [
        `shopify:cancel:${line.lineItemId}`,
      ]);
    }
  }
}
