// Applies one stored Shopify delivery idempotently, reading its body from its inbox row, and
// records the outcome there: processed (body cleared) in the same transaction as the work, or
// retrying / failed after an attempt that threw. Bad payloads fail for good (UnrecoverableError:
// retrying cannot fix them); a refund whose order we have not seen yet fails retryably, since
// orders/create is usually just behind it.
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PoolClient } from 'pg';
import { deleteCustomerHotKeys } from '../../privacy/customer-erasure';
import { recordDataRequest, redactCustomer, redactShop } from './webhook-compliance';
import type { z } from 'zod';
import type { Database } from '../../db/database';
import type { Logger } from '../../infra/logger';
import type { WebhookJobData } from '../../queues/registry';
import { parseWebhookBody } from './webhook-body';
import { mapOrder, refundLineRow, shopifyId } from './order-mapper';
import { applyOrderRows, markProductDeleted, quarantine, upsertCustomers, upsertProducts } from './order-store';
import {
  customerPayload,
  isHandledTopic,
  normalizeWebhookCustomer,
  normalizeWebhookOrder,
  normalizeWebhookProduct,
  normalizeWebhookRefund,
  orderPayload,
  customerDataRequestPayload,
  customerRedactPayload,
  productDeletePayload,
  shopRedactPayload,
  productPayload,
  refundPayload,
} from './webhook-payloads';

export interface WebhookProcessorDeps {
  db: Database;
  logger: Logger;
  /** The hot layer, whose keys of erased customers go after a redact commits (absent: they expire with their batch). */
  hot?: { redis: Redis; prefix: string };
}

/** superseded: a job of an earlier round (the delivery was stored again since; the newer job does the work). */
export type WebhookOutcome = 'processed' | 'ignored' | 'already-processed' | 'superseded';

export interface AttemptInfo {
  /** When true a failure is the last: the delivery becomes 'failed' (alerted, replayable). */
  finalAttempt: boolean;
}

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

interface StoredDelivery {
  status: string;
  round: number;
  body: string | null;
}

export async function processShopifyWebhook(
  deps: WebhookProcessorDeps,
  data: WebhookJobData,
  attempt: AttemptInfo = { finalAttempt: true },
): Promise<WebhookOutcome> {
  const { db, logger } = deps;
  let erased: string[] = [];
  try {
    const outcome = await db.transaction(async (tx): Promise<WebhookOutcome> => {
      const { rows } = await tx.query<StoredDelivery>(
        `SELECT status, round, body FROM webhook_deliveries WHERE webhook_id = $1 FOR UPDATE`,
        [data.webhookId],
      );
      const row = rows[0];
      if (!row) throw new UnrecoverableError(`no stored delivery ${data.webhookId}`);
      if (row.status === 'processed') return 'already-processed';
      if (row.status === 'ignored' || !isHandledTopic(data.topic)) return 'ignored';
      if (row.round !== data.round) return 'superseded';
      if (row.body === null) throw new UnrecoverableError(`delivery ${data.webhookId} has no stored body`);
      erased = await apply(tx, data.topic, parseWebhookBody(row.body), data.shop);
      await tx.query(
        `UPDATE webhook_deliveries SET status = 'processed', body = NULL, error = NULL, attempts = attempts + 1,
           processed_at = now(), updated_at = now() WHERE webhook_id = $1`,
        [data.webhookId],
      );
      return 'processed';
    });
    if (erased.length && deps.hot) await deleteCustomerHotKeys(deps.hot.redis, deps.hot.prefix, erased);
    logger.debug({ webhookId: data.webhookId, topic: data.topic, outcome }, 'shopify webhook done');
    return outcome;
  } catch (err) {
    const final = attempt.finalAttempt || err instanceof UnrecoverableError;
    await db.pool.query(
      `UPDATE webhook_deliveries SET status = $3, error = $4, attempts = attempts + 1, updated_at = now()
        WHERE webhook_id = $1 AND round = $2 AND status <> 'processed'`,
      [data.webhookId, data.round, final ? 'failed' : 'retrying', (err as Error).message],
    );
    logger.warn(
      { webhookId: data.webhookId, topic: data.topic, final, err: (err as Error).message },
      final
        ? 'shopify webhook failed; replay it once the cause is fixed'
        : 'shopify webhook attempt failed; will retry',
    );
    throw err;
  }
}

/** Applies one delivery's payload; returns the customers it erased (their hot keys go after commit). */
async function apply(tx: PoolClient, topic: string, payload: unknown, shop: string | null): Promise<string[]> {
  switch (topic) {
    case 'customers/redact':
      return redactCustomer(tx, parse(customerRedactPayload, payload, topic));
    case 'shop/redact':
      parse(shopRedactPayload, payload, topic);
      return redactShop(tx, shop);
    case 'customers/data_request':
      await recordDataRequest(tx, parse(customerDataRequestPayload, payload, topic));
      return [];
    case 'orders/create':
    case 'orders/updated':
    case 'orders/cancelled': {
      const order = normalizeWebhookOrder(parse(orderPayload, payload, topic));
      await applyOrderRows(tx, [mapOrder(order)]);
      return [];
    }
    case 'refunds/create':
      await applyRefund(tx, parse(refundPayload, payload, topic));
      return [];
    case 'products/update':
      await upsertProducts(tx, [normalizeWebhookProduct(parse(productPayload, payload, topic))]);
      return [];
    case 'products/delete':
      await markProductDeleted(tx, shopifyId(parse(productDeletePayload, payload, topic).id));
      return [];
    case 'customers/update':
      await upsertCustomers(tx, [normalizeWebhookCustomer(parse(customerPayload, payload, topic))]);
      return [];
    default:
      throw new UnrecoverableError(`no handler for topic ${topic}`);
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
