// Privacy: Shopify's compliance webhooks (customers/redact, shop/redact, customers/data_request),
// the eraseCustomer mutation and `recs customers erase|export`. An erased customer's orders, lines,
// events, cached lists, segment places and hot keys are gone, served answers forget them at once,
// and later data for the id is refused.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { processShopifyWebhook } from '../../src/connectors/shopify/webhook-processor';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createRedis } from '../../src/infra/redis';
import { customerIdHash, scrubErasedFromCache } from '../../src/privacy/customer-erasure';
import { hotKey } from '../../src/results';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing, type ServingFixture } from '../support/serving-fixtures';
import { FxStore, webhookOrder } from '../support/shopify-fixtures';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';
import { logger, SHOP } from './shopify-world';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'recs.js');

describe('privacy: erasure and data requests', () => {
  let ctx: TestContext;
  let h: Harness;
  let redis: Redis;
  let fx: ServingFixture;
  let admin: string;
  let seq = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    fx = await seedServing(ctx.db);
    redis = createRedis(ctx.config, 'worker');
    admin = (await createApiKey(ctx.db.pool, 'admin')).key;
    h = await startGateway(ctx);
    await ctx.db.pool.query(
      `INSERT INTO events (event_id, user_id, product_id, event_type, occurred_at, source) VALUES
        ('e1', 'c1', 'p5', 'view', now(), 'api'), ('e2', 'c2', 'p6', 'view', now(), 'api')`,
    );
  });
  afterAll(async () => {
    await h.close();
    redis.disconnect();
    await ctx.close();
  });

  async function deliver(topic: string, payload: unknown): Promise<void> {
    const webhookId = `priv-${++seq}`;
    await ctx.db.pool.query(
      `INSERT INTO webhook_deliveries (webhook_id, topic, shop, status, body) VALUES ($1, $2, $3, 'queued', $4)`,
      [webhookId, topic, SHOP, JSON.stringify(payload)],
    );
    const hot = { redis, prefix: ctx.config.redis.prefix };
    expect(await processShopifyWebhook({ db: ctx.db, logger, hot }, { webhookId, topic, shop: SHOP, round: 0 })).toBe(
      'processed',
    );
  }
  const held = async (customerId: string) => {
    const { rows } = await ctx.db.pool.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM customers WHERE id = $1) AS customers,
              (SELECT count(*)::int FROM orders WHERE customer_id = $1) AS orders,
              (SELECT count(*)::int FROM order_items WHERE customer_id = $1) AS "orderItems",
              (SELECT count(*)::int FROM events WHERE user_id = $1) AS events,
              (SELECT count(*)::int FROM offline_user_recommendations WHERE user_id = $1)
                + (SELECT count(*)::int FROM offline_item_affinity WHERE user_id = $1) AS "cachedLists",
              (SELECT count(*)::int FROM offline_item_segments s, jsonb_array_elements(s.users) e
                WHERE e->>'user_id' = $1) AS segments`,
      [customerId],
    );
    return rows[0];
  };
  const servedSource = async (userId: string) => {
    const r = await h.gql<{ recommendations: { source: string } }>(
      `query($u: ID!) { recommendations(userId: $u, limit: 3) { source } }`,
      { u: userId },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data!.recommendations.source;
  };

  it('customers/redact erases the customer everywhere, served answers forget them, and later data for the id is refused', async () => {
    expect(await held('c1')).toEqual({
      customers: 1,
      orders: 2,
      orderItems: 3,
      events: 1,
      cachedLists: 2,
      segments: 1,
    });
    expect(await servedSource('c1')).toBe('PERSONALIZED'); // now in the response cache
    const key = hotKey(ctx.config.redis.prefix, fx.batchVersion, 'user-recommendations', 'c1');
    await redis.set(key, '[]');

    await deliver('customers/redact', { shop_domain: SHOP, customer: { id: 'c1' }, orders_to_redact: ['o1', 'o2'] });
    expect(await held('c1')).toEqual({
      customers: 0,
      orders: 0,
      orderItems: 0,
      events: 0,
      cachedLists: 0,
      segments: 0,
    });
    // The others stay, in their order.
    const segment = await ctx.db.pool.query<{ users: { user_id: string }[] }>(
      `SELECT users FROM offline_item_segments WHERE product_id = 'p1'`,
    );
    expect(segment.rows[0]!.users.map((u) => u.user_id)).toEqual(['c2', 'c3']);
    expect(await redis.exists(key)).toBe(0);
    expect(
      (await ctx.db.pool.query(`SELECT 1 FROM erased_customers WHERE id_hash = $1`, [customerIdHash('c1')])).rowCount,
    ).toBe(1);
    await waitFor('the cached answer forgotten', async () => (await servedSource('c1')) !== 'PERSONALIZED', 30_000);

    // A late order and a customers/update for the erased id store nothing.
    const store = new FxStore(3);
    FxStore.generate({ orders: 0 }).products.forEach((p) => store.products.set(p.id, p));
    const order = store.addOrder(5000, 2);
    await deliver('orders/create', { ...webhookOrder(store, order), customer: { id: 'c1', default_address: null } });
    await deliver('customers/update', { id: 'c1', default_address: { city: 'Lahore', province: 'Punjab' } });
    expect(await held('c1')).toEqual({
      customers: 0,
      orders: 0,
      orderItems: 0,
      events: 0,
      cachedLists: 0,
      segments: 0,
    });
  });

  it('a batch loaded after the erasure (exported before it) is scrubbed of the erased ids', async () => {
    await ctx.db.pool.query(
      `INSERT INTO offline_user_recommendations (user_id, recommendations, recipe_name) VALUES ('c1', '[]', 'user-personalization')`,
    );
    await ctx.db.pool.query(
      `UPDATE offline_item_segments SET users = '[{"user_id":"c2","score":0.5},{"user_id":"c1","score":0.4}]' WHERE product_id = 'p1'`,
    );
    expect(await scrubErasedFromCache(ctx.db.pool)).toBe(2);
    expect(await held('c1')).toMatchObject({ cachedLists: 0, segments: 0 });
    const segment = await ctx.db.pool.query<{ users: { user_id: string }[] }>(
      `SELECT users FROM offline_item_segments WHERE product_id = 'p1'`,
    );
    expect(segment.rows[0]!.users.map((u) => u.user_id)).toEqual(['c2']);
    await ctx.db.pool.query(
      `UPDATE offline_item_segments SET users = '[{"user_id":"c2","score":0.5},{"user_id":"c3","score":0.1}]' WHERE product_id = 'p1'`,
    );
  });

  it('customers/data_request raises an alert naming the export command; `recs customers export` prints what is held', async () => {
    await deliver('customers/data_request', {
      shop_domain: SHOP,
      customer: { id: 'c2' },
      orders_requested: ['o3'],
      data_request: { id: 9999 },
    });
    const alert = await ctx.db.pool.query<{ message: string }>(
      `SELECT message FROM alerts WHERE kind = 'customer_data_request:9999' AND resolved_at IS NULL`,
    );
    expect(alert.rows[0]?.message).toMatch(/recs customers export c2/);
    const out = await run(process.execPath, [BIN, 'customers', 'export', 'c2'], { env: cliEnv() });
    const data = JSON.parse(out.stdout) as { customer: { city: string }; orders: unknown[]; events: unknown[] };
    expect(data.customer.city).toBe('Karachi');
    expect(data.orders).toHaveLength(1);
    expect(data.events).toHaveLength(1);
  });

  it('an admin erases any customer: by the eraseCustomer mutation and by `recs customers erase`', async () => {
    const r = await h.gql<{ eraseCustomer: { erased: boolean; removed: { name: string; value: number }[] } }>(
      `mutation { eraseCustomer(id: "c2") { erased removed { name value } userErrors { message } } }`,
      {},
      admin,
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.eraseCustomer.erased).toBe(true);
    expect(Object.fromEntries(r.body.data!.eraseCustomer.removed.map((c) => [c.name, c.value]))).toMatchObject({
      customers: 1,
      orders: 1,
      orderItems: 1,
      events: 1,
      cachedLists: 1,
      segments: 1,
    });
    expect(await held('c2')).toEqual({
      customers: 0,
      orders: 0,
      orderItems: 0,
      events: 0,
      cachedLists: 0,
      segments: 0,
    });

    const out = await run(process.execPath, [BIN, 'customers', 'erase', 'c3'], { env: cliEnv() });
    expect(out.stdout).toMatch(/^erased customer c3: 1 customers, 0 orders/);
    const segment = await ctx.db.pool.query<{ users: unknown[] }>(
      `SELECT users FROM offline_item_segments WHERE product_id = 'p1'`,
    );
    expect(segment.rows[0]!.users).toEqual([]);
  });

  it('shop/redact erases every customer that came from Shopify and the shop’s sync state', async () => {
    const store = new FxStore(3);
    FxStore.generate({ orders: 0 }).products.forEach((p) => store.products.set(p.id, p));
    store.customers.set(7000, { id: 7000, city: 'Multan', province: 'Punjab' });
    await deliver('orders/create', webhookOrder(store, store.addOrder(7000, 2)));
    await ctx.db.pool.query(`INSERT INTO customers (id) VALUES ('imported-only')`);
    await ctx.db.pool.query(
      `INSERT INTO orders (id, customer_id, source, ordered_at) VALUES ('csv-1', 'imported-only', 'online-retail', now())`,
    );
    expect((await held('7000'))!.orders).toBe(1);
    await ctx.db.pool.query(
      `INSERT INTO shopify_bulk_syncs (shop, operation_id, status, started_at) VALUES ($1, 'gid://shopify/BulkOperation/1', 'done', now())`,
      [SHOP],
    );
    await deliver('shop/redact', { shop_id: 1, shop_domain: SHOP });
    const bulk = await ctx.db.pool.query(`SELECT 1 FROM shopify_bulk_syncs WHERE shop = $1`, [SHOP]);
    expect(bulk.rowCount).toBe(0);
    expect(await held('7000')).toEqual({
      customers: 0,
      orders: 0,
      orderItems: 0,
      events: 0,
      cachedLists: 0,
      segments: 0,
    });
    // A customer with orders from elsewhere (a file import) is not the shop's to erase.
    expect((await held('imported-only'))!.customers).toBe(1);
  });

  function cliEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: ctx.config.database.url,
      DATABASE_SCHEMA: ctx.config.database.schema,
      REDIS_URL: ctx.config.redis.url,
      QUEUE_PREFIX: ctx.config.redis.prefix,
      LOG_LEVEL: 'silent',
    };
  }
});
