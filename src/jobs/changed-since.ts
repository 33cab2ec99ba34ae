// UPDATE mode (the analogue of Personalize's trainingMode UPDATE): only customers and products
// new or changed since the last successful run are replaced in the live cache.
import type { Database } from '../db/database';

export async function changedSince(db: Database, runId: number): Promise<{ users: Set<string>; items: Set<string> }> {
  const { rows: last } = await db.pool.query<{ started_at: Date }>(
    `SELECT started_at FROM pipeline_runs WHERE status = 'succeeded' AND id < $1 AND started_at IS NOT NULL
      ORDER BY id DESC LIMIT 1`,
    [runId],
  );
  const since = last[0]?.started_at ?? new Date(0);
  const users = await db.pool.query<{ id: string }>(
    `SELECT id FROM customers WHERE updated_at >= $1
     UNION SELECT customer_id FROM order_items WHERE created_at >= $1
     UNION SELECT user_id FROM events WHERE created_at >= $1`,
    [since],
  );
  const items = await db.pool.query<{ id: string }>(
    `SELECT id FROM products WHERE updated_at >= $1
     UNION SELECT product_id FROM order_items WHERE created_at >= $1
     UNION SELECT product_id FROM events WHERE created_at >= $1`,
    [since],
  );
  return { users: new Set(users.rows.map((r) => r.id)), items: new Set(items.rows.map((r) => r.id)) };
}
