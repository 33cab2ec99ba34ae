// Everything held about one customer, as one JSON document: what a store owner sends a customer
// who asked for their data (Shopify's customers/data_request, or any request of access).
import type { Pool } from 'pg';

export interface CustomerDataExport {
  customerId: string;
  customer: Record<string, unknown> | null;
  orders: Record<string, unknown>[];
  orderItems: Record<string, unknown>[];
  events: Record<string, unknown>[];
  recommendations: unknown;
  itemAffinities: unknown;
  segments: string[];
}

export async function exportCustomerData(pool: Pool, customerId: string): Promise<CustomerDataExport> {
  const rows = async (sql: string) => (await pool.query<Record<string, unknown>>(sql, [customerId])).rows;
  const [customer, orders, orderItems, events, recs, affinities, segments] = await Promise.all([
    rows(`SELECT id, city, province, created_at, updated_at FROM customers WHERE id = $1`),
    rows(`SELECT id, source, status, ordered_at, updated_at FROM orders WHERE customer_id = $1 ORDER BY ordered_at`),
    rows(
      `SELECT order_id, product_id, quantity, unit_price, event_type, occurred_at FROM order_items
        WHERE customer_id = $1 ORDER BY occurred_at, line_key`,
    ),
    rows(
      `SELECT event_id, product_id, event_type, event_value, occurred_at, source FROM events
        WHERE user_id = $1 ORDER BY occurred_at`,
    ),
    rows(`SELECT recommendations FROM offline_user_recommendations WHERE user_id = $1`),
    rows(`SELECT item_affinities FROM offline_item_affinity WHERE user_id = $1`),
    rows(
      `SELECT product_id FROM offline_item_segments
        WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(users) e WHERE e->>'user_id' = $1) ORDER BY product_id`,
    ),
  ]);
  return {
    customerId,
    customer: customer[0] ?? null,
    orders,
    orderItems,
    events,
    recommendations: recs[0]?.recommendations ?? null,
    itemAffinities: affinities[0]?.item_affinities ?? null,
    segments: segments.map((s) => String(s.product_id)),
  };
}
