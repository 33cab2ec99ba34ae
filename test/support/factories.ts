// Builders for test data, written straight to the test's schema.
import { loadConfig } from '../../src/config/config';
import type { Database } from '../../src/db/database';
import type { LoadGuard } from '../../src/results';

export interface LineSpec {
  customer: string;
  product: string;
  order?: string;
  at?: string; // ISO time
  quantity?: number;
  price?: number;
  eventType?: string;
}

export async function insertStore(
  db: Database,
  spec: {
    customers?: { id: string; city?: string; province?: string }[];
    products?: { id: string; name?: string; category?: string; price?: number }[];
    lines?: LineSpec[];
    events?: {
      eventId: string;
      userId: string;
      productId: string;
      eventType: string;
      eventValue?: number;
      at?: string;
    }[];
  },
): Promise<void> {
  for (const c of spec.customers ?? []) {
    await db.pool.query('INSERT INTO customers (id, city, province) VALUES ($1, $2, $3)', [
      c.id,
      c.city ?? null,
      c.province ?? null,
    ]);
  }
  for (const p of spec.products ?? []) {
    await db.pool.query('INSERT INTO products (id, name, category, price) VALUES ($1, $2, $3, $4)', [
      p.id,
      p.name ?? `Product ${p.id}`,
      p.category ?? null,
      p.price ?? null,
    ]);
  }
  let n = 0;
  for (const l of spec.lines ?? []) {
    n += 1;
    const order = l.order ?? `o-${l.customer}-${n}`;
    const at = l.at ?? '2024-01-01T00:00:00Z';
    await db.pool.query(
      `INSERT INTO orders (id, customer_id, source, ordered_at) VALUES ($1, $2, 'test', $3) ON CONFLICT DO NOTHING`,
      [order, l.customer, at],
    );
    await db.pool.query(
      `INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, unit_price, event_type, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [`test:${n}`, order, l.customer, l.product, l.quantity ?? 1, l.price ?? 1, l.eventType ?? 'purchase', at],
    );
  }
  for (const e of spec.events ?? []) {
    await db.pool.query(
      `INSERT INTO events (event_id, user_id, product_id, event_type, event_value, occurred_at, source)
       VALUES ($1, $2, $3, $4, $5, $6, 'test')`,
      [e.eventId, e.userId, e.productId, e.eventType, e.eventValue ?? null, e.at ?? '2024-01-02T00:00:00Z'],
    );
  }
}

/** The load guard with the production defaults (1% failed lines, 50% coverage), not forced. */
export const DEFAULT_LOAD_GUARD: LoadGuard = { ...loadConfig({}).pipeline.load, force: false };
