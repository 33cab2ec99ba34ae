// Products added since the batch, and events through Shopify webhooks, across two gateway OS
// processes (`recs serve`) and a real worker process, on real PostgreSQL and Redis:
// - a product created by a products/update webhook answers its category and price neighbours as
//   its similar items, and joins its neighbours' similar items (after the batch's own items),
//   on both gateways, cached answers included;
// - once it sells (orders/create webhook, applied by the worker) it counts toward the popular list;
// - the orders/create webhook's purchase leaves the buyer's list (EXCLUDE_PURCHASED) on the other gateway;
// - an event recorded through one gateway shows on the other (cached answer dropped by the broadcast).
// Cross-process steps poll with a deadline: nothing here depends on how fast the machine is.
import { signShopifyBody } from '../../src/connectors/shopify/webhook-verification';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { startChildCli, startChildWorker, waitForWorkerReady, type ChildWorker } from '../support/child-worker';
import { scored, seedServing } from '../support/serving-fixtures';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';
import { SECRET, SHOP, SHOPIFY_ENV } from '../connectors/shopify-world';

interface Item {
  product: { id: string };
  source: string;
  reason: { kind: string; text: string };
}
interface List {
  source: string;
  items: Item[];
}
const ids = (l: List) => l.items.map((i) => i.product.id);
const ITEM = 'items { product { id } source reason { kind text } }';
const DEADLINE_MS = 20_000;

interface Gateway {
  proc: ChildWorker;
  url: string;
}

async function startServe(ctx: TestContext): Promise<Gateway> {
  const proc = startChildCli(ctx, ['serve', '--port', '0'], { ...SHOPIFY_ENV, EXCLUDE_PURCHASED: 'true' });
  const url = await waitFor(
    'the gateway to listen',
    () => {
      if (proc.proc.exitCode !== null) throw new Error(`gateway exited early:\n${proc.output()}`);
      return Promise.resolve(/gateway listening on (http:\/\/\S+)\/graphql/.exec(proc.output())?.[1]);
    },
    90_000,
  );
  return { proc, url };
}

describe('new products and webhook events across two gateway processes', () => {
  let ctx: TestContext;
  let worker: ChildWorker;
  let a: Gateway;
  let b: Gateway;
  let ingest: string;
  let seq = 0;

  const gql = async <T>(gw: Gateway, query: string, variables: Record<string, unknown> = {}, key?: string) => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  const similar = async (gw: Gateway, productId: string, limit = 5) =>
    (
      await gql<{ similarItems: List }>(
        gw,
        `query($p: ID!, $l: Int) { similarItems(productId: $p, limit: $l) { source ${ITEM} } }`,
        { p: productId, l: limit },
      )
    ).similarItems;
  const popular = async (gw: Gateway) =>
    (await gql<{ popularItems: List }>(gw, `{ popularItems(limit: 5) { source ${ITEM} } }`)).popularItems;
  const recs = async (gw: Gateway, userId: string) =>
    (
      await gql<{ recommendations: List }>(
        gw,
        `query($u: ID) { recommendations(userId: $u, limit: 5) { source ${ITEM} } }`,
        { u: userId },
      )
    ).recommendations;
  const webhook = async (gw: Gateway, topic: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const res = await fetch(`${gw.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-webhook-id': `np-${++seq}`,
        'x-shopify-shop-domain': SHOP,
        'x-shopify-hmac-sha256': signShopifyBody(body, SECRET),
      },
      body,
    });
    expect(res.status).toBe(200);
  };
  const order = (id: number, customerId: number, productId: number) => ({
    id,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    cancelled_at: null,
    customer: { id: customerId, default_address: { city: 'Lahore', province: 'Punjab' } },
    line_items: [{ id: id * 10, product_id: productId, quantity: 1, price: '10.50', title: 'Lamp', properties: [] }],
    note_attributes: [],
    refunds: [],
  });
  /** Polls `read` on a gateway until `ok` holds (cross-process: another process's refresh or broadcast). */
  const until = <T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean) =>
    waitFor(
      what,
      async () => {
        const v = await read();
        return ok(v) ? { v } : null;
      },
      DEADLINE_MS,
    ).then((r) => r.v);

  beforeAll(async () => {
    ctx = await createTestContext(SHOPIFY_ENV);
    await seedServing(ctx.db);
    // Customer 5000's batch list leads with product 901 (a Shopify product the batch knows: older than it).
    await ctx.db.pool.query(
      `INSERT INTO products (id, name, category, price, created_at) VALUES ('901', 'Vase', 'Bags', 30, now() - interval '1 day')`,
    );
    await ctx.db.pool.query(
      `INSERT INTO offline_user_recommendations (user_id, recommendations, recipe_name) VALUES ('5000', $1, 'user-personalization')`,
      [JSON.stringify(scored(['901', 'p20', 'p21', 'p22', 'p23', 'p24']))],
    );
    await ctx.db.pool.query(
      `INSERT INTO offline_similar_items (product_id, similar_products, recipe_name) VALUES ('p50', $1, 'similar-items'), ('p13', $2, 'similar-items')`,
      [JSON.stringify(scored(['p51', 'p52', 'p53'])), JSON.stringify(scored(['p4', 'p7', 'p1']))],
    );
    ingest = (await createApiKey(ctx.db.pool, 'ingest')).key;
    worker = startChildWorker(ctx, SHOPIFY_ENV, ['--queues', 'webhooks']);
    // Generous start-up bounds: the machine may be loaded (they are not what is tested).
    await waitForWorkerReady(worker, 90_000);
    [a, b] = await Promise.all([startServe(ctx), startServe(ctx)]);
  }, 240_000);
  afterAll(async () => {
    await Promise.all([a.proc.stop(), b.proc.stop(), worker.stop()]);
    await ctx.close();
  }, 60_000);

  it('a product created by a webhook is similar to its category and price neighbours and joins their lists, on both gateways', async () => {
    // Before: a product the batch does not know gets only its category's popular list.
    const unknown = await similar(b, '900');
    expect(unknown.items.map((i) => i.source)).not.toContain('CATEGORY_NEIGHBOURS');
    // Cached on B before the product exists: p13's batch list, then popular in Shoes.
    const before = await similar(b, 'p13');
    expect(ids(before).slice(0, 3)).toEqual(['p4', 'p7', 'p1']);
    expect(ids(await similar(b, 'p13'))).toEqual(ids(before));

    await webhook(a, 'products/update', {
      id: 900,
      title: 'Desk lamp',
      product_type: 'Shoes',
      updated_at: new Date().toISOString(),
      variants: [{ id: 9000, price: '20.50' }],
    });

    for (const gw of [a, b]) {
      const own = await until(
        'similar items of the new product',
        () => similar(gw, '900'),
        (l) => l.source === 'CATEGORY_NEIGHBOURS',
      );
      // Shoes nearest 20.50 in price: p13 (22), p10 (19), p16 (25), p7 (16), p19 (28).
      expect(ids(own)).toEqual(['p13', 'p10', 'p16', 'p7', 'p19']);
      expect(own.items[0]).toMatchObject({
        source: 'CATEGORY_NEIGHBOURS',
        reason: { kind: 'SAME_CATEGORY', text: 'Same category, similar price' },
      });
      const joined = await until(
        'the new product in p13 similar items',
        () => similar(gw, 'p13'),
        (l) => ids(l).includes('900'),
      );
      // After the batch's own items (p4 p7 p1), before the fallbacks.
      expect(ids(joined).slice(0, 4)).toEqual(['p4', 'p7', 'p1', '900']);
      expect(joined.items[3]).toMatchObject({
        source: 'CATEGORY_NEIGHBOURS',
        reason: { kind: 'NEW_PRODUCT', text: 'New: same category, similar price' },
      });
      // Bounded: a full list keeps the batch's items but the last place.
      expect(ids(await similar(gw, 'p13', 3))).toEqual(['p4', 'p7', '900']);
      // A product it is not a neighbour of is unchanged (p1 is eleventh nearest; 10 neighbours are kept).
      expect(ids(await similar(gw, 'p1'))).not.toContain('900');
    }
  });

  it('once the new product sells it counts toward the popular list, on both gateways', async () => {
    expect(ids(await popular(b))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']); // cached on B now
    await webhook(a, 'orders/create', order(7001, 6001, 900));
    for (const gw of [a, b]) {
      // One order: ahead of every product ordered fewer times (p1 has 2 orders, p2 and p3 one each).
      const list = await until(
        'the new product in the popular list',
        () => popular(gw),
        (l) => ids(l).includes('900'),
      );
      expect(ids(list)).toEqual(['p1', 'p2', 'p3', '900', 'p4']);
    }
    await webhook(a, 'orders/create', order(7002, 6002, 900));
    await webhook(a, 'orders/create', order(7003, 6003, 900));
    const top = await until(
      'the new product first',
      () => popular(b),
      (l) => ids(l)[0] === '900',
    );
    expect(ids(top).slice(0, 3)).toEqual(['900', 'p1', 'p2']);
  });

  it("an orders/create webhook through one gateway removes the bought product from the buyer's list on the other", async () => {
    const before = await recs(b, '5000');
    expect(ids(before)[0]).toBe('901');
    expect(ids(await recs(b, '5000'))).toEqual(ids(before)); // cached on B
    await webhook(a, 'orders/create', order(7004, 5000, 901));
    // Uncached: the purchase is in Redis before the webhook's 200, so A shows it at once.
    expect(ids(await recs(a, '5000'))).not.toContain('901');
    const after = await until(
      'the purchase on the other gateway',
      () => recs(b, '5000'),
      (l) => !ids(l).includes('901'),
    );
    // The purchase also blends in 901's neighbours (Bags near 30): re-ranked, not only filtered.
    expect(ids(after)).toContain('p20');
  });

  it('an event recorded through one gateway shows on the other', async () => {
    const before = await recs(b, 'c1');
    expect(ids(before)[0]).toBe('p1');
    expect(ids(await recs(b, 'c1'))).toEqual(ids(before)); // cached on B
    await gql(
      a,
      `mutation($e: [EventInput!]!) { recordEvents(events: $e) { accepted } }`,
      { e: [{ userId: 'c1', productId: 'p50', eventType: 'view' }] },
      ingest,
    );
    const after = await until(
      'the view on the other gateway',
      () => recs(b, 'c1'),
      (l) => ids(l)[0] === 'p51',
    );
    expect(after.items[0]).toMatchObject({ source: 'REALTIME', reason: { kind: 'RECENT_ACTIVITY' } });
  });
});
