// Builders for serving data: a catalogue, customers with orders, the cache tables, a cache batch
// (mirrored in Redis) and model versions. Ids are predictable: p1..pN, c1..cN.
import type { QueryResultRow } from 'pg';
import type { Database } from '../../src/db/database';

export interface ServingFixture {
  products: { id: string; name: string; category: string; price: number }[];
  batchVersion: number;
  modelVersions: Record<string, number>;
}

const CATEGORIES = ['Shoes', 'Bags', 'Hats'];

export async function seedCatalogue(db: Database, productCount = 60): Promise<ServingFixture['products']> {
  const products = Array.from({ length: productCount }, (_, i) => ({
    id: `p${i + 1}`,
    name: `Product ${i + 1}`,
    category: CATEGORIES[i % CATEGORIES.length]!,
    price: 10 + i,
  }));
  await db.pool.query(
    `INSERT INTO products (id, name, category, price) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[])`,
    [
      products.map((p) => p.id),
      products.map((p) => p.name),
      products.map((p) => p.category),
      products.map((p) => p.price),
    ],
  );
  return products;
}

export function scored(ids: string[], top = 0.9): { product_id: string; score: number }[] {
  return ids.map((id, i) => ({ product_id: id, score: Math.round((top - i * 0.01) * 1000) / 1000 }));
}

/** Customers c1..c3 (Punjab, Sindh, none), orders, cache rows, one batch and model versions. */
export async function seedServing(db: Database): Promise<ServingFixture> {
  const products = await seedCatalogue(db);
  const q = <R extends QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    db.pool.query<R>(sql, params);
  await q(
    `INSERT INTO customers (id, city, province) VALUES ('c1','Lahore','Punjab'), ('c2','Karachi','Sindh'), ('c3', NULL, NULL)`,
  );
  await q(
    `INSERT INTO orders (id, customer_id, source, ordered_at) VALUES ('o1','c1','test', now()), ('o2','c1','test', now()), ('o3','c2','test', now())`,
  );
  await q(`INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, unit_price, occurred_at) VALUES
    ('o1:1','o1','c1','p1',2,10,now()), ('o1:2','o1','c1','p2',1,11,now()), ('o2:1','o2','c1','p3',1,12,now()), ('o3:1','o3','c2','p1',1,10,now())`);
  const mv = async (recipe: string) =>
    (
      await q<{ id: number }>(
        `INSERT INTO model_versions (engine, recipe, metrics, trained_at) VALUES ('local', $1, $2, now()) RETURNING id`,
        [recipe, JSON.stringify({ precision_at_10: 0.12, coverage: 0.8 })],
      )
    ).rows[0]!.id;
  const modelVersions = {
    'user-personalization': await mv('user-personalization'),
    'similar-items': await mv('similar-items'),
    'popularity-count': await mv('popularity-count'),
    'item-affinity': await mv('item-affinity'),
  };
  // c1: 12 personalised items (p1..p3 already ordered, p59 missing from the catalogue... no: p99 is)
  await q(
    `INSERT INTO offline_user_recommendations (user_id, recommendations, recipe_name) VALUES ($1, $2, 'user-personalization'), ($3, $4, 'user-personalization')`,
    [
      'c1',
      JSON.stringify(scored(['p1', 'p2', 'p3', 'p10', 'p11', 'p12', 'p13', 'p14', 'p15', 'p16', 'p99', 'p17'])),
      'c2',
      JSON.stringify(scored(['p20', 'p21', 'p22'])),
    ],
  );
  await q(
    `INSERT INTO offline_similar_items (product_id, similar_products, recipe_name) VALUES ('p1', $1, 'similar-items')`,
    [JSON.stringify(scored(['p4', 'p7', 'p10', 'p1']))],
  );
  await q(
    `INSERT INTO offline_item_affinity (user_id, item_affinities, recipe_name) VALUES ('c1', $1, 'item-affinity')`,
    [JSON.stringify(scored(['p30', 'p31', 'p32']))],
  );
  const popular = (ids: string[]) => JSON.stringify(scored(ids, 1));
  await q(
    `INSERT INTO offline_popular_items (scope, scope_value, items, recipe_name) VALUES
      ('global', '', $1, 'popularity-count'), ('province', 'Punjab', $2, 'popularity-count'), ('category', 'Shoes', $3, 'popularity-count')`,
    [
      popular(Array.from({ length: 25 }, (_, i) => `p${i + 1}`)),
      popular(['p40', 'p41', 'p42']),
      popular(['p1', 'p4', 'p7', 'p10', 'p13']),
    ],
  );
  await q(`INSERT INTO offline_item_segments (product_id, users, recipe_name) VALUES ('p1', $1, 'item-affinity')`, [
    JSON.stringify([
      { user_id: 'c1', score: 0.9 },
      { user_id: 'c2', score: 0.5 },
      { user_id: 'c3', score: 0.1 },
    ]),
  ]);
  // The batch names the models whose lists it serves (its provenance), as the loader records it.
  const batch = await q<{ id: number }>(
    `INSERT INTO cache_batches (mode, model_versions) VALUES ('FULL', $1) RETURNING id`,
    [JSON.stringify(modelVersions)],
  );
  return { products, batchVersion: batch.rows[0]!.id, modelVersions };
}
