// Catalogue changes reach serving at once: a product that Shopify says is archived, draft,
// deleted or sold out leaves every served list (cached answers included) without waiting for the
// next batch, and the list is filled from the fallbacks; back in stock, it returns.
import { processShopifyWebhook } from '../../src/connectors/shopify/webhook-processor';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';
import { logger, SHOP } from './shopify-world';

interface Item {
  product: { id: string };
  source: string;
}

describe('catalogue changes from Shopify webhooks leave the recommendable set at once', () => {
  let ctx: TestContext;
  let h: Harness;
  let seq = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedServing(ctx.db);
    h = await startGateway(ctx);
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
  });

  /** Stores a delivery as the webhook route does and processes it as the worker does. */
  async function deliver(topic: string, payload: unknown): Promise<void> {
    const webhookId = `cat-${++seq}`;
    await ctx.db.pool.query(
      `INSERT INTO webhook_deliveries (webhook_id, topic, shop, status, body) VALUES ($1, $2, $3, 'queued', $4)`,
      [webhookId, topic, SHOP, JSON.stringify(payload)],
    );
    expect(await processShopifyWebhook({ db: ctx.db, logger }, { webhookId, topic, shop: SHOP, round: 0 })).toBe(
      'processed',
    );
  }
  const product = (id: string, extra: Record<string, unknown>) => ({
    id,
    title: `Product ${id.slice(1)}`,
    product_type: 'Shoes',
    updated_at: new Date(Date.now() + seq * 1000).toISOString(),
    variants: [{ price: '20.00', inventory_quantity: 5, inventory_policy: 'deny', inventory_management: 'shopify' }],
    ...extra,
  });
  const recommendations = async (limit: number) => {
    const r = await h.gql<{ recommendations: { items: Item[]; filled: boolean } }>(
      `query($limit: Int) { recommendations(userId: "c1", limit: $limit) { items { product { id } source } filled } }`,
      { limit },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data!.recommendations;
  };
  const similar = async () => {
    const r = await h.gql<{ similarItems: { items: Item[] } }>(
      `{ similarItems(productId: "p1", limit: 3) { items { product { id } source } } }`,
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data!.similarItems.items.map((i) => i.product.id);
  };
  const ids = (items: Item[]) => items.map((i) => i.product.id);

  it('skips archived, draft, deleted and out-of-stock products in served lists, fills from the fallback, and takes them back', async () => {
    // c1's cached list: p1 p2 p3 p10 p11 p12 ... (answered once, so the response cache holds it).
    expect(ids((await recommendations(5)).items)).toEqual(['p1', 'p2', 'p3', 'p10', 'p11']);
    expect(await similar()).toEqual(['p4', 'p7', 'p10']);

    await deliver('products/update', product('p2', { status: 'archived' }));
    await deliver('products/update', product('p3', { status: 'draft' }));
    await deliver('products/delete', { id: 'p10' });
    await deliver(
      'products/update',
      product('p11', {
        variants: [
          { price: '20.00', inventory_quantity: 0, inventory_policy: 'deny', inventory_management: 'shopify' },
        ],
      }),
    );
    // Overselling allowed: still recommendable with no stock.
    await deliver(
      'products/update',
      product('p12', {
        variants: [
          { price: '20.00', inventory_quantity: 0, inventory_policy: 'continue', inventory_management: 'shopify' },
        ],
      }),
    );

    const gone = ['p2', 'p3', 'p10', 'p11'];
    const list = await waitFor(
      'the unavailable products gone from the served list',
      async () => {
        const l = await recommendations(5);
        return ids(l.items).some((id) => gone.includes(id)) ? null : l;
      },
      30_000,
    );
    expect(ids(list.items)).toEqual(['p1', 'p12', 'p13', 'p14', 'p15']);
    // The batch list runs out sooner now: the rest comes from the fallbacks, never an unavailable product.
    const long = await recommendations(12);
    expect(long.filled).toBe(true);
    expect(ids(long.items)).toEqual(['p1', 'p12', 'p13', 'p14', 'p15', 'p16', 'p17', 'p40', 'p41', 'p42', 'p4', 'p5']);
    expect(long.items.slice(7).map((i) => i.source)).toEqual([
      'POPULAR_IN_PROVINCE',
      'POPULAR_IN_PROVINCE',
      'POPULAR_IN_PROVINCE',
      'POPULAR',
      'POPULAR',
    ]);
    expect(await similar()).toEqual(['p4', 'p7', 'p13']);

    // Active and in stock again: back in the list.
    await deliver('products/update', product('p2', { status: 'active' }));
    await waitFor('p2 back', async () => ids((await recommendations(5)).items).includes('p2'), 30_000);
    expect(ids((await recommendations(5)).items)).toEqual(['p1', 'p2', 'p12', 'p13', 'p14']);
  });
});
