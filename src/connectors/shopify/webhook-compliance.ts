// Shopify's mandatory compliance webhooks. customers/redact and shop/redact erase what we hold
// (src/privacy: order lines, orders, events, cached lists, segments, the customer row; the id's
// hash is kept so nothing about them is stored again). customers/data_request cannot be answered
// through the webhook: it raises an alert telling the operator to send the store owner the
// customer's data (`recs customers export <id>` prints it all).
import type { PoolClient } from 'pg';
import type { z } from 'zod';
import { eraseCustomersIn } from '../../privacy/customer-erasure';
import { shopifyId } from './order-mapper';
import type { customerDataRequestPayload, customerRedactPayload } from './webhook-payloads';

export async function redactCustomer(tx: PoolClient, p: z.infer<typeof customerRedactPayload>): Promise<string[]> {
  const customerId = shopifyId(p.customer.id);
  // Orders Shopify names are removed even when stored under another customer id (a guest order).
  const orderIds = p.orders_to_redact.map(shopifyId);
  if (orderIds.length) {
    await tx.query(`DELETE FROM order_items WHERE order_id = ANY($1::varchar[])`, [orderIds]);
    await tx.query(`DELETE FROM orders WHERE id = ANY($1::varchar[])`, [orderIds]);
  }
  await eraseCustomersIn(tx, [customerId], 'shopify customers/redact');
  return [customerId];
}

/** shop/redact (48 hours after the store uninstalled the app): every customer that came from Shopify. */
export async function redactShop(tx: PoolClient, shop: string | null): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT c.id FROM customers c
      WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.source <> 'shopify')`,
  );
  const ids = rows.map((r) => r.id);
  await eraseCustomersIn(tx, ids, 'shopify shop/redact');
  if (shop) {
    await tx.query(`DELETE FROM shopify_sync_state WHERE shop = $1`, [shop]);
    await tx.query(`DELETE FROM shopify_bulk_syncs WHERE shop = $1`, [shop]);
  }
  return ids;
}

export async function recordDataRequest(tx: PoolClient, p: z.infer<typeof customerDataRequestPayload>): Promise<void> {
  const customerId = shopifyId(p.customer.id);
  const requestId = p.data_request ? shopifyId(p.data_request.id) : customerId;
  // One alert per request (the kind names it), open until an operator resolves it.
  await tx.query(
    `INSERT INTO alerts (kind, severity, message, details)
     SELECT $1::varchar, 'warning', $2::text, $3::jsonb
      WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE kind = $1::varchar AND resolved_at IS NULL)`,
    [
      `customer_data_request:${requestId}`,
      `Shopify customer data request for customer ${customerId}: send the store owner the output of \`recs customers export ${customerId}\` within 30 days`,
      JSON.stringify({ customerId, ordersRequested: p.orders_requested.map(shopifyId), shop: p.shop_domain ?? null }),
    ],
  );
}
