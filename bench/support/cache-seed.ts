// Seeds a bench schema's cache tables directly (no training): products, a 25-item list per
// customer, 25 similar items per product, the global popular list and a loaded cache batch, as a
// pipeline run would leave them. Lists are drawn from a fixed-seed generator, so runs compare.
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { batchVersionKey } from '../../src/results';
import { present } from './present';

export interface SeededStore {
  users: string[];
  products: string[];
  /** Each customer's cached list (product ids, best first), in `users` order. */
  lists: string[][];
  /** Each product's similar items (product ids, best first), in `products` order. */
  similar: string[][];
}

const LIST_LENGTH = 25;

/** A list as the cache tables store it: scores falling 0.02 a rank from 0.9. */
export function scoredEntries(list: readonly string[]): { product_id: string; score: number }[] {
  return list.map((product_id, k) => ({ product_id, score: Math.round((0.9 - k * 0.02) * 1e4) / 1e4 }));
}

export async function seedCacheTables(
  pool: Pool,
  redis: Redis,
  prefix: string,
  size: { customers: number; products: number },
  /** A store's own ids (e.g. a synthetic store already written), instead of prod-N and cust-N. */
  own?: { users: string[]; products: string[] },
): Promise<SeededStore> {
  const ids = own?.products ?? Array.from({ length: size.products }, (_, i) => `prod-${i + 1}`);
  const cats = ['Shoes', 'Bags', 'Hats', 'Shirts', 'Watches'];
  await pool.query(
    `INSERT INTO products (id, name, category, price) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[])
     ON CONFLICT (id) DO NOTHING`,
    [ids, ids.map((id) => `Product ${id}`), ids.map((_, i) => cats[i % cats.length]), ids.map((_, i) => 5 + (i % 300))],
  );
  let rng = 42;
  const rand = () => (rng = (rng * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const drawList = () =>
    Array.from({ length: LIST_LENGTH }, () => present(ids[Math.floor(rand() * ids.length)], 'a product id'));
  const scored = (list: string[]) => JSON.stringify(scoredEntries(list));
  const users = own?.users ?? Array.from({ length: size.customers }, (_, i) => `cust-${i + 1}`);
  const lists = users.map(drawList);
  // In chunks: one statement's parameters stay well below PostgreSQL's limits at any size.
  for (let i = 0; i < users.length; i += 20_000)
    await pool.query(
      `INSERT INTO offline_user_recommendations (user_id, recommendations, recipe_name) SELECT u, r::jsonb, 'user-personalization' FROM unnest($1::text[], $2::text[]) AS t(u, r)`,
      [users.slice(i, i + 20_000), lists.slice(i, i + 20_000).map(scored)],
    );
  const similar = ids.map(drawList);
  await pool.query(
    `INSERT INTO offline_similar_items (product_id, similar_products, recipe_name) SELECT p, r::jsonb, 'similar-items' FROM unnest($1::text[], $2::text[]) AS t(p, r)`,
    [ids, similar.map(scored)],
  );
  await pool.query(
    `INSERT INTO offline_popular_items (scope, scope_value, items, recipe_name) VALUES ('global', '', $1, 'popularity-count')`,
    [JSON.stringify(ids.slice(0, 25).map((product_id, i) => ({ product_id, score: 1 - i / 25 })))],
  );
  await pool.query(
    `INSERT INTO model_versions (engine, recipe) VALUES ('local', 'user-personalization'), ('local', 'popularity-count')`,
  );
  const { rows } = await pool.query<{ id: number }>(`INSERT INTO cache_batches (mode) VALUES ('FULL') RETURNING id`);
  await redis.set(batchVersionKey(prefix), String(present(rows[0], 'the new cache batch').id));
  return { users, products: ids, lists, similar };
}
