// Writes mapped Shopify rows idempotently: every statement is an upsert on a natural key (order id,
// line_key, customer id, product id, quarantine key), so a replayed page or webhook changes nothing.
// An order older than the one stored (a late webhook, a sync racing a webhook) is skipped whole.
import type { PoolClient } from 'pg';
import { erasedAmong } from '../../privacy/customer-erasure';
import type { OrderItemRow, OrderRows, QuarantineEntry, ShopifyCustomer, ShopifyProduct } from './order-mapper';

export interface ApplyCounts {
  orders: number;
  lineItems: number;
  customers: number;
  products: number;
  stale: number;
  /** Orders of customers erased on request: never stored again. */
  erased: number;
  quarantined: number;
}

const COUNTED = ['orders', 'lineItems', 'customers', 'products', 'stale', 'erased', 'quarantined'] as const;

export function noApplyCounts(): ApplyCounts {
  return { orders: 0, lineItems: 0, customers: 0, products: 0, stale: 0, erased: 0, quarantined: 0 };
}

/** Adds one batch's counts to a sync's running totals. */
export function addApplyCounts(into: ApplyCounts, batch: ApplyCounts): void {
  for (const k of COUNTED) into[k] += batch[k];
}

export const QUARANTINE_SOURCE = 'shopify';

/** An upsert's guard: data whose source time is unknown, or not older than the stored one, applies. */
const NOT_OLDER = (table: string) =>
  `(EXCLUDED.source_updated_at IS NULL OR ${table}.source_updated_at IS NULL OR EXCLUDED.source_updated_at >= ${table}.source_updated_at)`;

/** Of two versions of one row, the later by source time (the second when either time is unknown). */
function newer<T extends { updatedAt?: Date | null }>(a: T, b: T): T {
  return a.updatedAt && b.updatedAt && a.updatedAt > b.updatedAt ? a : b;
}

function lastById<T extends { id: string }>(rows: T[], prefer?: (a: T, b: T) => T): T[] {
  const byId = new Map<string, T>();
  for (const r of rows) {
    const prev = byId.get(r.id);
    byId.set(r.id, prev && prefer ? prefer(prev, r) : r);
  }
  return [...byId.values()];
}

export async function upsertCustomers(client: PoolClient, customers: ShopifyCustomer[]): Promise<number> {
  const all = lastById(customers, newer);
  // A customer erased on request is never stored again (a late customers/update, an old order).
  const erased = await erasedAmong(
    client,
    all.map((r) => r.id),
  );
  const rows = all.filter((r) => !erased.has(r.id));
  if (!rows.length) return 0;
  // A payload without an address must not erase the one we know; one older than what we hold
  // (a late customers/update) changes nothing.
  await client.query(
    `INSERT INTO customers (id, city, province, source_updated_at)
     SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::timestamptz[])
     ON CONFLICT (id) DO UPDATE SET city = COALESCE(EXCLUDED.city, customers.city),
       province = COALESCE(EXCLUDED.province, customers.province),
       source_updated_at = GREATEST(EXCLUDED.source_updated_at, customers.source_updated_at), updated_at = now()
     WHERE ${NOT_OLDER('customers')}`,
    [rows.map((r) => r.id), rows.map((r) => r.city), rows.map((r) => r.province), rows.map((r) => r.updatedAt ?? null)],
  );
  return rows.length;
}

export async function upsertProducts(client: PoolClient, products: ShopifyProduct[]): Promise<number> {
  const rows = lastById(products, (a, b) => (b.authoritative || !a.authoritative ? newer(a, b) : a));
  if (!rows.length) return 0;
  const full = rows.filter((r) => r.authoritative);
  const partial = rows.filter((r) => !r.authoritative);
  const params = (rs: ShopifyProduct[]) => [
    rs.map((r) => r.id),
    rs.map((r) => r.name),
    rs.map((r) => r.category),
    rs.map((r) => r.price),
  ];
  if (full.length) {
    // A products/update older than the data we hold (delivered late) changes nothing.
    // Availability (status, stock) is kept as stored when the data does not say (the sync).
    await client.query(
      `INSERT INTO products (id, name, category, price, source_updated_at, status, in_stock)
       SELECT i, n, c, p, u, coalesce(s, 'active'), coalesce(k, true)
         FROM unnest($1::varchar[], $2::text[], $3::varchar[], $4::float8[], $5::timestamptz[], $6::varchar[], $7::bool[])
           AS t(i, n, c, p, u, s, k)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category,
         price = EXCLUDED.price, source_updated_at = GREATEST(EXCLUDED.source_updated_at, products.source_updated_at),
         updated_at = now()
       WHERE ${NOT_OLDER('products')}`,
      [
        ...params(full),
        full.map((r) => r.updatedAt ?? null),
        full.map((r) => r.availability?.status ?? null),
        full.map((r) => r.availability?.inStock ?? null),
      ],
    );
    await setAvailability(client, full);
  }
  if (partial.length) {
    // A webhook line only carries the line's title and price: fill gaps, never overwrite the catalogue.
    await client.query(
      `INSERT INTO products (id, name, category, price)
       SELECT * FROM unnest($1::varchar[], $2::text[], $3::varchar[], $4::float8[])
       ON CONFLICT (id) DO UPDATE SET name = COALESCE(products.name, EXCLUDED.name),
         category = COALESCE(products.category, EXCLUDED.category), price = COALESCE(products.price, EXCLUDED.price)`,
      params(partial),
    );
  }
  return rows.length;
}

/** Status and stock of the products whose data says (not older than what is stored; run after the upsert). */
export async function setAvailability(client: PoolClient, products: ShopifyProduct[]): Promise<void> {
  const known = products.filter((p) => p.availability);
  if (!known.length) return;
  await client.query(
    `UPDATE products p SET status = t.s, in_stock = t.k, updated_at = now()
       FROM unnest($1::varchar[], $2::varchar[], $3::bool[], $4::timestamptz[]) AS t(i, s, k, u)
      WHERE p.id = t.i AND (t.u IS NULL OR p.source_updated_at IS NULL OR t.u >= p.source_updated_at)`,
    [
      known.map((p) => p.id),
      known.map((p) => p.availability?.status),
      known.map((p) => p.availability?.inStock),
      known.map((p) => p.updatedAt ?? null),
    ],
  );
}

/** products/delete: the product stays (order lines refer to it) but is never recommended again. */
export async function markProductDeleted(client: PoolClient, productId: string): Promise<void> {
  // Its source time becomes now, so a products/update delivered after the delete cannot revive it.
  await client.query(
    `INSERT INTO products (id, status, in_stock, source_updated_at) VALUES ($1, 'deleted', false, now())
     ON CONFLICT (id) DO UPDATE SET status = 'deleted', in_stock = false, updated_at = now(),
       source_updated_at = GREATEST(products.source_updated_at, now())`,
    [productId],
  );
}

export async function upsertOrderItems(client: PoolClient, items: OrderItemRow[]): Promise<number> {
  const byKey = new Map(items.map((i) => [i.lineKey, i]));
  const rows = [...byKey.values()];
  if (!rows.length) return 0;
  await client.query(
    `INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, unit_price, event_type, event_value,
                              occurred_at, recommendation_id)
     SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::int[], $6::float8[],
                          $7::varchar[], $8::float8[], $9::timestamptz[], $10::varchar[])
     ON CONFLICT (line_key) DO UPDATE SET order_id = EXCLUDED.order_id, customer_id = EXCLUDED.customer_id,
       product_id = EXCLUDED.product_id, quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price,
       event_type = EXCLUDED.event_type, event_value = EXCLUDED.event_value, occurred_at = EXCLUDED.occurred_at,
       recommendation_id = EXCLUDED.recommendation_id`,
    [
      rows.map((r) => r.lineKey),
      rows.map((r) => r.orderId),
      rows.map((r) => r.customerId),
      rows.map((r) => r.productId),
      rows.map((r) => r.quantity),
      rows.map((r) => r.unitPrice),
      rows.map((r) => r.eventType),
      rows.map((r) => r.eventValue),
      rows.map((r) => r.occurredAt),
      rows.map((r) => r.recommendationId),
    ],
  );
  return rows.length;
}

export async function quarantine(client: PoolClient, entries: QuarantineEntry[]): Promise<number> {
  const byFile = new Map(entries.map((e) => [e.file, e]));
  const rows = [...byFile.values()];
  if (!rows.length) return 0;
  await client.query(
    `INSERT INTO quarantine (source, file, line_number, reason, raw)
     SELECT $1, f, 0, r, w FROM unnest($2::text[], $3::text[], $4::text[]) AS t(f, r, w)
     ON CONFLICT (source, file, line_number) DO UPDATE SET reason = EXCLUDED.reason, raw = EXCLUDED.raw`,
    [QUARANTINE_SOURCE, rows.map((e) => e.file), rows.map((e) => e.reason), rows.map((e) => JSON.stringify(e.raw))],
  );
  return rows.length;
}

/** Applies mapped orders inside the caller's transaction. */
export async function applyOrderRows(client: PoolClient, mapped: OrderRows[]): Promise<ApplyCounts> {
  const counts = noApplyCounts();
  counts.quarantined = await quarantine(
    client,
    mapped.flatMap((m) => m.quarantined),
  );
  const withOrder = mapped.filter((m): m is OrderRows & { order: NonNullable<OrderRows['order']> } => m.order !== null);
  if (!withOrder.length) return counts;

  const ids = withOrder.map((m) => m.order.id);
  const { rows: existing } = await client.query<{ id: string; updated_at: Date }>(
    `SELECT id, updated_at FROM orders WHERE id = ANY($1::varchar[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  const storedAt = new Map(existing.map((r) => [r.id, r.updated_at.getTime()]));
  // Within one batch the newest version of an order wins; against the table, a newer stored one wins.
  const newest = new Map<string, (typeof withOrder)[number]>();
  for (const m of withOrder) {
    const prev = newest.get(m.order.id);
    if (!prev || prev.order.updatedAt.getTime() <= m.order.updatedAt.getTime()) newest.set(m.order.id, m);
  }
  const current = [...newest.values()].filter((m) => {
    const stored = storedAt.get(m.order.id);
    return stored === undefined || stored <= m.order.updatedAt.getTime();
  });
  counts.stale = withOrder.length - current.length;
  const erased = await erasedAmong(client, [...new Set(current.map((m) => m.order.customerId))]);
  const fresh = current.filter((m) => !erased.has(m.order.customerId));
  counts.erased = current.length - fresh.length;
  if (!fresh.length) return counts;

  counts.customers = await upsertCustomers(
    client,
    fresh.flatMap((m) => (m.customer ? [m.customer] : [])),
  );
  counts.products = await upsertProducts(
    client,
    fresh.flatMap((m) => m.products),
  );
  const orders = fresh.map((m) => m.order);
  await client.query(
    `INSERT INTO orders (id, customer_id, source, status, ordered_at, updated_at)
     SELECT i, c, 'shopify', s, o, u FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::timestamptz[]) AS t(i, c, s, o, u)
     ON CONFLICT (id) DO UPDATE SET customer_id = EXCLUDED.customer_id, source = 'shopify', status = EXCLUDED.status,
       ordered_at = EXCLUDED.ordered_at, updated_at = EXCLUDED.updated_at`,
    [
      orders.map((o) => o.id),
      orders.map((o) => o.customerId),
      orders.map((o) => o.status),
      orders.map((o) => o.orderedAt),
      orders.map((o) => o.updatedAt),
    ],
  );
  counts.orders = orders.length;
  const items = fresh.flatMap((m) => m.items);
  counts.lineItems = await upsertOrderItems(client, items);
  // An order snapshot is complete: a cancellation's return shrinks or goes when refunds cover it.
  await client.query(
    `DELETE FROM order_items WHERE order_id = ANY($1::varchar[]) AND line_key LIKE 'shopify:cancel:%' AND line_key <> ALL($2::varchar[])`,
    [orders.map((o) => o.id), items.map((i) => i.lineKey)],
  );
  return counts;
}
