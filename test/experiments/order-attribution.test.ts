// Shopify orders attributed to an experiment: a line carrying a served list's recommendationId (a
// line item property, or the cart's attributes) goes to that variant's exposure whatever the
// window, through the orders/create webhook and through the sync alike; a line without one still
// falls back to the last-touch window.
import { randomUUID } from 'node:crypto';
import { ExperimentService, ExposureRecorder } from '../../src/experiments';
import { experimentIdPrefix } from '../../src/experiments/recommendation-id';
import { syncShopify } from '../../src/connectors/shopify/shopify-sync';
import { receiveDelivery } from '../../src/connectors/shopify/webhook-inbox';
import { processShopifyWebhook } from '../../src/connectors/shopify/webhook-processor';
import { createLogger } from '../../src/infra/logger';
import type { WebhookQueue } from '../../src/queues/webhook-queue';
import { FakeShopifyServer } from '../support/fake-shopify-server';
import { FxStore, webhookOrder, type FxOrder } from '../support/shopify-fixtures';
import { createTestContext, type TestContext } from '../support/test-context';
import { logger, resetTables, SHOP, SHOPIFY_ENV, TOKEN } from '../connectors/shopify-world';

const DAY = 86_400_000;
const shopifyTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Outcome {
  source_ref: string;
  variant: string;
  subject_id: string;
  attribution: string;
  value: number;
}

describe('order attribution by recommendationId', () => {
  let ctx: TestContext;
  let service: ExperimentService;
  let experimentId: number;
  let store: FxStore;
  // Customer 5000 (variant a) and 5001 (variant b) saw p1000 40 days ago: far outside the 7-day window.
  // Customer 5002 (variant a) saw p1001 an hour ago: inside it.
  const seenLongAgo = Date.now() - 40 * DAY;
  const seenRecently = Date.now() - 3_600_000;

  beforeAll(async () => {
    ctx = await createTestContext(SHOPIFY_ENV);
    service = new ExperimentService(ctx.db);
    const x = await service.create({
      name: 'orders',
      surfaces: ['RECOMMENDATIONS'],
      controlKey: 'a',
      variants: [
        { key: 'a', name: 'Batch', share: 50, strategy: { kind: 'BATCH' } },
        { key: 'b', name: 'Popular', share: 50, strategy: { kind: 'POPULAR' } },
      ],
      attributionWindowDays: 7,
      plannedCustomersPerVariant: 1000,
    });
    await service.move(x.id, 'start');
    experimentId = x.id;
    const recorder = new ExposureRecorder(ctx.db.pool, createLogger(ctx.config), {
      flushMs: 60_000,
      maxPendingLists: 10_000,
    });
    recorder.record({ experimentId, variantKey: 'a', subject: '5000', productIds: ['1000'], at: seenLongAgo });
    recorder.record({ experimentId, variantKey: 'b', subject: '5001', productIds: ['1000'], at: seenLongAgo });
    recorder.record({ experimentId, variantKey: 'a', subject: '5002', productIds: ['1001'], at: seenRecently });
    await recorder.close();
  });
  beforeEach(async () => {
    await resetTables(ctx);
    await ctx.db.pool.query(`DELETE FROM experiment_outcomes`);
    store = new FxStore();
    for (let i = 0; i < 5; i++)
      store.products.set(1000 + i, { id: 1000 + i, title: `P${i}`, productType: 'Shoes', price: '20.00' });
    for (let i = 0; i < 3; i++) store.customers.set(5000 + i, { id: 5000 + i, city: null, province: null });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const rid = (variant: string) => `${experimentIdPrefix(experimentId, variant)}${randomUUID()}`;

  /** An order placed now by `customerId` with one line per product id, each with these properties. */
  function order(customerId: number, lines: { productId: number; rid?: string; name?: string }[]): FxOrder {
    const o = store.addOrder(customerId, lines.length);
    const now = shopifyTime(Date.now());
    o.createdAt = now;
    o.updatedAt = now;
    lines.forEach((l, i) => {
      const line = o.lines[i]!;
      line.productId = l.productId;
      line.quantity = 1;
      line.price = '20.00';
      line.attributes = l.rid ? [{ key: l.name ?? '_recommendation_id', value: l.rid }] : [];
    });
    return o;
  }

  async function deliverCreate(o: FxOrder): Promise<void> {
    const queue: WebhookQueue = {
      add: async () => {},
      state: () => Promise.resolve('missing'),
      promote: () => Promise.resolve(false),
    };
    const webhookId = `wh-${o.id}-${randomUUID()}`;
    await receiveDelivery(
      { pool: ctx.db.pool, queue, logger },
      { webhookId, topic: 'orders/create', shop: SHOP, body: JSON.stringify(webhookOrder(store, o)), handled: true },
    );
    await processShopifyWebhook({ db: ctx.db, logger }, { webhookId, topic: 'orders/create', shop: SHOP, round: 0 });
  }

  async function outcomes(): Promise<Outcome[]> {
    await service.results(experimentId);
    const { rows } = await ctx.db.pool.query<Outcome>(
      `SELECT source_ref, variant, subject_id, attribution, value FROM experiment_outcomes
        WHERE experiment_id = $1 AND kind = 'order' ORDER BY source_ref`,
      [experimentId],
    );
    return rows;
  }

  const lineRef = (o: FxOrder, i: number) => `line:shopify:${o.id}:${o.lines[i]!.id}`;

  it('attributes an orders/create line carrying a recommendationId to its variant even outside the window', async () => {
    const o = order(5001, [{ productId: 1000, rid: rid('b') }, { productId: 1002 }]);
    await deliverCreate(o);
    const stored = await ctx.db.pool.query<{ line_key: string; recommendation_id: string | null }>(
      `SELECT line_key, recommendation_id FROM order_items ORDER BY line_key`,
    );
    expect(stored.rows.map((r) => r.recommendation_id)).toEqual([o.lines[0]!.attributes![0]!.value, null]);
    // The second line has no recommendationId and the exposure is outside the window: nothing.
    expect(await outcomes()).toEqual([
      { source_ref: lineRef(o, 0), variant: 'b', subject_id: '5001', attribution: 'recommendation_id', value: 20 },
    ]);
    // Idempotent: reading again adds nothing.
    expect(await outcomes()).toHaveLength(1);
  });

  it('reads the recommendationId from the cart attributes when a line has none, and under each accepted name', async () => {
    const cart = order(5000, [{ productId: 1003 }]);
    cart.attributes = [{ key: 'recommendationId', value: rid('a') }];
    const named = order(5001, [{ productId: 1004, rid: rid('b'), name: 'recommendationId' }]);
    await deliverCreate(cart);
    await deliverCreate(named);
    expect((await outcomes()).map((r) => [r.source_ref, r.variant, r.attribution])).toEqual(
      [
        [lineRef(cart, 0), 'a', 'recommendation_id'],
        [lineRef(named, 0), 'b', 'recommendation_id'],
      ].sort((p, q) => String(p[0]).localeCompare(String(q[0]))),
    );
  });

  it('attributes the same line through the sync', async () => {
    const o = order(5001, [{ productId: 1000, rid: rid('b') }]);
    const server = await new FakeShopifyServer(store, { accessToken: TOKEN }).start();
    try {
      await syncShopify(
        { db: ctx.db, config: { shopify: { ...ctx.config.shopify, adminUrl: server.url } }, logger },
        { retryBaseMs: 5 },
      );
    } finally {
      await server.stop();
    }
    expect(await outcomes()).toEqual([
      { source_ref: lineRef(o, 0), variant: 'b', subject_id: '5001', attribution: 'recommendation_id', value: 20 },
    ]);
  });

  it('still uses the last-touch window for a line without one', async () => {
    const recent = order(5002, [{ productId: 1001 }]);
    const old = order(5000, [{ productId: 1000 }]);
    await deliverCreate(recent);
    await deliverCreate(old);
    expect(await outcomes()).toEqual([
      { source_ref: lineRef(recent, 0), variant: 'a', subject_id: '5002', attribution: 'last_touch', value: 20 },
    ]);
  });
});
