// "Exclude purchased" is the same on both engines. Personalize's filters only see each user's 100
// most recent interactions per event type, so for a customer with more than 100 purchases its
// batch output can hold a product they bought long ago: the fake answers as Personalize would
// (the recent purchases filtered out, the old favourite not), and the loader must still leave it
// out, as the local engine does from the whole history.
import { startAwsPipeline, waitForRun, type AwsPipeline } from '../support/aws-pipeline-harness';

const OLD_FAVOURITE = 'p-old-favourite';
const RECENT_PURCHASES = 101;

describe('exclude purchased on the AWS path, for a customer with more than 100 purchases', () => {
  let p: AwsPipeline;
  let heavy = '';
  let neverBought: string[] = [];

  beforeAll(async () => {
    p = await startAwsPipeline(({ products, customers }) => {
      heavy = customers[0]!;
      return {
        respond: (recipe, input) => {
          if (recipe !== 'user-personalization') return { recommendedItems: products.slice(0, 3) };
          const items =
            input.userId === heavy
              ? // What Personalize's filter leaves: only the 100 most recent purchases are excluded.
                [OLD_FAVOURITE, ...neverBought.slice(0, 3)]
              : products.slice(0, 4);
          return { recommendedItems: items, scores: items.map((_, i) => 0.9 - i * 0.1) };
        },
      };
    });
    const db = p.t.db.pool;
    await db.query(`INSERT INTO products (id, name) VALUES ($1, 'Old favourite')`, [OLD_FAVOURITE]);
    await db.query(
      `INSERT INTO orders (id, customer_id, source, ordered_at) VALUES ('heavy-old', $1, 'test', now() - interval '700 days'), ('heavy-new', $1, 'test', now() - interval '1 day')`,
      [heavy],
    );
    // Bought long ago, then more than 100 more recent purchases of other products.
    await db.query(
      `INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, occurred_at)
       SELECT 'heavy-old:' || g, 'heavy-old', $1, $2, 1, now() - interval '700 days' + g * interval '1 minute' FROM generate_series(1, 5) g`,
      [heavy, OLD_FAVOURITE],
    );
    const recentlyBought = p.products.slice(0, 10);
    await db.query(
      `INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, occurred_at)
       SELECT 'heavy-new:' || g, 'heavy-new', $1, ($2::text[])[1 + g % 10], 1, now() - interval '1 day' + g * interval '1 minute'
         FROM generate_series(1, $3::int) g`,
      [heavy, recentlyBought, RECENT_PURCHASES],
    );
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM products p WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.customer_id = $1 AND i.product_id = p.id)
         AND NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = $1 AND e.product_id = p.id AND e.event_type = 'purchase')
       ORDER BY id`,
      [heavy],
    );
    neverBought = rows.map((r) => r.id);
  }, 60_000);

  afterAll(async () => {
    await p.close();
  });

  it('leaves the long-ago purchase out of the loaded and the served list', async () => {
    const purchases = await p.t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM order_items WHERE customer_id = $1 AND event_type = 'purchase'`,
      [heavy],
    );
    expect(purchases.rows[0]!.n).toBeGreaterThan(100);
    expect(neverBought.length).toBeGreaterThanOrEqual(3);

    const started = await p.services.pipeline.startRun({ recipes: ['user-personalization'] });
    const run = await waitForRun(p.services, started.id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    // The batch output did hold it (as Personalize's would): the loader took it out.
    const output = await p.services.store.get(`runs/${started.id}/batch/user-personalization.jsonl`);
    let text = '';
    for await (const chunk of output) text += String(chunk);
    expect(text).toContain(OLD_FAVOURITE);

    const { rows } = await p.t.db.pool.query<{ recommendations: { product_id: string }[] }>(
      `SELECT recommendations FROM offline_user_recommendations WHERE user_id = $1`,
      [heavy],
    );
    expect(rows[0]!.recommendations.map((r) => r.product_id)).toEqual(neverBought.slice(0, 3));

    const served = await p.gql<{ recommendations: { items: { product: { id: string } }[] } }>(
      `query($u: ID!) { recommendations(userId: $u, limit: 5) { items { product { id } } } }`,
      { u: heavy },
    );
    const ids = served.data!.recommendations.items.map((i) => i.product.id);
    expect(ids.slice(0, 3)).toEqual(neverBought.slice(0, 3));
    expect(ids).not.toContain(OLD_FAVOURITE);
  });
});
