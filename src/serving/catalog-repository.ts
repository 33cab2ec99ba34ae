// PostgreSQL reads of the catalogue and the store's order history (not batch-versioned data).
import type { Pool } from 'pg';
import type { ProductRow } from '../results';

export interface ProductStats {
  orderCount: number;
  unitsSold: number;
  revenue: number;
}

export interface CustomerRow {
  id: string;
  city: string | null;
  province: string | null;
}

export interface CustomerStats {
  orderCount: number;
  totalSpend: number;
}

/** The most order lines (and, apart, events) of one customer that excludeInteracted reads. */
export const MAX_INTERACTED_LINES = 5_000;

export interface CatalogueFillQuery {
  limit: number;
  categories: string[] | null;
  minPrice: number | null;
  maxPrice: number | null;
  excludeIds: string[];
}

export class CatalogRepository {
  constructor(private readonly pool: Pool) {}

  async productsByIds(ids: readonly string[]): Promise<Map<string, ProductRow>> {
    const out = new Map<string, ProductRow>();
    if (!ids.length) return out;
    const { rows } = await this.pool.query<ProductRow>(
      'SELECT id, name, category, price FROM products WHERE id = ANY($1::text[])',
      [ids],
    );
    for (const row of rows) out.set(row.id, row);
    return out;
  }

  async customer(id: string): Promise<CustomerRow | null> {
    const { rows } = await this.pool.query<CustomerRow>('SELECT id, city, province FROM customers WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  /** Provinces of many customers (null for unknown customers and those without one). */
  async customerProvinces(ids: readonly string[]): Promise<Map<string, string | null>> {
    const { rows } = await this.pool.query<{ id: string; province: string | null }>(
      'SELECT id, province FROM customers WHERE id = ANY($1::text[])',
      [ids],
    );
    const out = new Map<string, string | null>(ids.map((id) => [id, null]));
    for (const r of rows) out.set(r.id, r.province);
    return out;
  }

  async customerStats(id: string): Promise<CustomerStats> {
    const { rows } = await this.pool.query<{ orders: number; spend: number }>(
      `SELECT (SELECT count(*) FROM orders WHERE customer_id = $1)::int AS orders,
              (SELECT coalesce(sum(quantity * coalesce(unit_price, 0)), 0) FROM order_items
                WHERE customer_id = $1 AND event_type = 'purchase')::float8 AS spend`,
      [id],
    );
    return { orderCount: rows[0]?.orders ?? 0, totalSpend: rows[0]?.spend ?? 0 };
  }

  /**
   * Products the customer ordered or interacted with (orders and recorded events): index reads of
   * at most MAX_INTERACTED_LINES of each (the index read stops there), so one request's work stays bounded whatever
   * the customer's history.
   */
  async interactedProductIds(userId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ product_id: string }>(
      `SELECT product_id FROM (SELECT product_id FROM order_items WHERE customer_id = $1 LIMIT $2) o
       UNION SELECT product_id FROM (SELECT product_id FROM events WHERE user_id = $1 LIMIT $2) e`,
      [userId, MAX_INTERACTED_LINES],
    );
    return rows.map((r) => r.product_id);
  }
}
