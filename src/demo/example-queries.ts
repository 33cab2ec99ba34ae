// The demo's closing act: a few real GraphQL queries against the running gateway, printed with
// their answers, so a newcomer sees the API working on their own data.
import type { Database } from '../db/database';

export interface ExampleQuery {
  title: string;
  query: string;
  variables: Record<string, unknown>;
}

export async function exampleQueries(db: Database): Promise<ExampleQuery[]> {
  // The most active customer with cached recommendations, and that customer's favourite product.
  const { rows: users } = await db.pool.query<{ user_id: string }>(
    `SELECT r.user_id FROM offline_user_recommendations r
       JOIN (SELECT customer_id, count(*) AS n FROM order_items GROUP BY 1) o ON o.customer_id = r.user_id
      ORDER BY o.n DESC, r.user_id LIMIT 1`,
  );
  const { rows: products } = await db.pool.query<{ product_id: string }>(
    `SELECT product_id FROM offline_similar_items s JOIN products p ON p.id = s.product_id
      ORDER BY (SELECT count(*) FROM order_items oi WHERE oi.product_id = s.product_id) DESC, product_id LIMIT 1`,
  );
  const userId = users[0]?.user_id ?? 'unknown-customer';
  const productId = products[0]?.product_id ?? 'unknown-product';
  const list = `items { rank score product { id name category price } } source modelVersion`;
  return [
    {
      title: `Recommendations for customer ${userId}`,
      query: `query ($userId: ID!) { recommendations(userId: $userId, limit: 5) { ${list} } }`,
      variables: { userId },
    },
    {
      title: `Products bought with ${productId}`,
      query: `query ($productId: ID!) { similarItems(productId: $productId, limit: 5) { ${list} } }`,
      variables: { productId },
    },
    {
      title: 'A customer the batch has never seen (popular fallback)',
      query: `query { recommendations(userId: "someone-new", limit: 3) { ${list} } }`,
      variables: {},
    },
    {
      title: 'Most popular products overall',
      query: `query { popularItems(limit: 3) { ${list} } }`,
      variables: {},
    },
  ];
}

export async function runExample(url: string, q: ExampleQuery): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q.query, variables: q.variables }),
  });
  return res.json();
}
