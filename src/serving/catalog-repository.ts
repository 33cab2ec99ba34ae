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

  async productStats(ids: readonly string[]): Promise<Map<string, ProductStats>> {
    const { rows } = await this.pool.query<{ id: string; order_count: number; units: number; revenue: number }>(
      `SELECT product_id AS id, count(*) FILTER (WHERE event_type = 'purchase')::int AS order_count,
              coalesce(sum(quantity) FILTER (WHERE event_type = 'purchase'), 0)::int AS units,
              coalesce(sum(quantity * coalesce(unit_price, 0)) FILTER (WHERE event_type = 'purchase'), 0)::float8 AS revenue
         FROM order_items WHERE product_id = ANY($1::text[]) GROUP BY product_id`,
      [ids],
    );
    const out = new Map<string, ProductStats>();
    for (const r of rows) out.set(r.id, { orderCount: r.order_count, unitsSold: r.units, revenue: r.revenue });
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

  /** Products the customer ordered or interacted with (orders and recorded events). */
  async interactedProductIds(userId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ product_id: string }>(
      `SELECT product_id FROM order_items WHERE customer_id = $1
       UNION SELECT product_id FROM events WHERE user_id = $1`,
      [userId],
    );
    return rows.map((r) => r.product_id);
  }

  /** The last resort of the fill rule: matching products by how often they were ordered. */
  async catalogueFill(q: CatalogueFillQuery): Promise<ProductRow[]> {
    const { rows } = await this.pool.query<ProductRow>(
      `SELECT p.id, p.name, p.category, p.price
         FROM products p
         LEFT JOIN (SELECT product_id, count(*) AS n FROM order_items GROUP BY product_id) c ON c.product_id = p.id
        WHERE ($1::text[] IS NULL OR p.category = ANY($1::text[]))
          AND ($2::float8 IS NULL OR p.price >= $2) AND ($3::float8 IS NULL OR p.price <= $3)
          AND NOT (p.id = ANY($4::text[]))
        ORDER BY coalesce(c.n, 0) DESC, p.id
        LIMIT $5`,
      [q.categories, q.minPrice, q.maxPrice, q.excludeIds, q.limit],
    );
    return rows;
  }
}
