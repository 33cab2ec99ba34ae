import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { Queue, UnrecoverableError } from 'bullmq';
import { createRedis } from '../../src/infra/redis';
import type { WebhookJobData } from '../../src/queues/registry';
import { createShopifyWebhookRouter } from '../../src/connectors/shopify/webhook-router';
import { bullWebhookQueue } from '../../src/queues/webhook-queue';
import { SHOPIFY_API_VERSION } from '../../src/connectors/shopify/admin-client';
import { processShopifyWebhook, OrderNotYetKnownError } from '../../src/connectors/shopify/webhook-processor';
import { signShopifyBody, verifyShopifyHmac } from '../../src/connectors/shopify/webhook-verification';
import { syncShopify } from '../../src/connectors/shopify/shopify-sync';
import {
  FxStore,
  webhookCustomer,
  webhookOrder,
  webhookProduct,
  webhookRefund,
  type FxOrder,
} from '../support/shopify-fixtures';
import { FakeShopifyServer } from '../support/fake-shopify-server';
import { createTestContext, type TestContext } from '../support/test-context';
import {
  expectMatchesStore,
  logger,
  resetTables,
  SECRET,
  SHOP,
  SHOPIFY_ENV,
  tableCounts,
  TOKEN,
} from './shopify-world';

describe('verifyShopifyHmac', () => {
  const body = Buffer.from('{"id":1}');
  it('accepts the base64 HMAC-SHA256 of the raw body and nothing else', () => {
    expect(verifyShopifyHmac(body, signShopifyBody(body, 's3cret'), 's3cret')).toBe(true);
    expect(verifyShopifyHmac(body, signShopifyBody(body, 'other'), 's3cret')).toBe(false);
    expect(verifyShopifyHmac(Buffer.from('{"id":2}'), signShopifyBody(body, 's3cret'), 's3cret')).toBe(false);
    expect(verifyShopifyHmac(body, undefined, 's3cret')).toBe(false);
    expect(verifyShopifyHmac(body, 'not base64 at all!', 's3cret')).toBe(false);
    expect(verifyShopifyHmac(body, signShopifyBody(body, 's3cret'), '')).toBe(false);
  });
});

describe('Shopify webhooks: router, queue and processor', () => {
  let ctx: TestContext;
  let queue: Queue<WebhookJobData>;
  let redis: ReturnType<typeof createRedis>;
  let server: http.Server;
  let base: string;
  const logLines: string[] = [];
  let failEnqueue = false;

  beforeAll(async () => {
    ctx = await createTestContext(SHOPIFY_ENV);
    redis = createRedis(ctx.config, 'worker');
    queue = new Queue<WebhookJobData>('webhooks', { connection: redis, prefix: ctx.config.redis.prefix });
    const captured = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _enc, cb) {
          logLines.push(String(chunk));
          cb();
        },
      }),
    );
    const app = express();
    app.use(
      createShopifyWebhookRouter({
        config: ctx.config,
        db: ctx.db,
        logger: captured,
        queue: {
          ...bullWebhookQueue(queue, ctx.config),
          add: async (data) => {
            if (failEnqueue) throw new Error('redis is down');
            await bullWebhookQueue(queue, ctx.config).add(data);
          },
        },
      }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(async () => {
    await resetTables(ctx);
    await queue.obliterate({ force: true });
    logLines.length = 0;
    failEnqueue = false;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await queue.close();
    await redis.quit();
    await ctx.close();
  });

  let seq = 0;
  async function post(
    topic: string,
    payload: unknown,
    opts: { id?: string; secret?: string | null; raw?: string; shop?: string } = {},
  ) {
    const body = opts.raw ?? JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-webhook-id': opts.id ?? `wh-${++seq}`,
      'x-shopify-shop-domain': opts.shop ?? SHOP,
      'x-shopify-api-version': SHOPIFY_API_VERSION,
    };
    if (opts.secret !== null) headers['x-shopify-hmac-sha256'] = signShopifyBody(body, opts.secret ?? SECRET);
    const res = await fetch(`${base}/webhooks/shopify`, { method: 'POST', headers, body });
    return {
      status: res.status,
      body: (await res.json()) as { status?: string; error?: string },
      id: headers['x-shopify-webhook-id'] as string,
    };
  }
  /** Runs every queued job through the processor, as the 'webhooks' worker would. */
  async function drain(): Promise<{ processed: number; failed: Error[] }> {
    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
    const failed: Error[] = [];
    for (const job of jobs) {
      await processShopifyWebhook({ db: ctx.db, logger }, job.data).catch((err: unknown) =>
        failed.push(err instanceof Error ? err : new Error(String(err))),
      );
      await job.remove();
    }
    return { processed: jobs.length - failed.length, failed };
  }
  const delivery = async (id: string) =>
    (
      await ctx.db.pool.query<{ topic: string; status: string; error: string | null }>(
        `SELECT topic, status, error FROM webhook_deliveries WHERE webhook_id = $1`,
        [id],
      )
    ).rows[0];
  const storeWithOrder = () => {
    const store = new FxStore(3);
    FxStore.generate({ orders: 0 }).products.forEach((p) => store.products.set(p.id, p));
    store.customers.set(5000, { id: 5000, city: 'Lahore', province: 'Punjab' });
    const order = store.addOrder(5000, 3);
    return { store, order };
  };

  it('acknowledges a signed orders/create before processing it (queued, not yet stored), and the processor stores it', async () => {
    const { store, order } = storeWithOrder();
    const res = await post('orders/create', webhookOrder(store, order));
    expect(res).toMatchObject({ status: 200, body: { status: 'queued' } });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect(await delivery(res.id)).toMatchObject({ status: 'queued' });
    // The job carries no body: it is in PostgreSQL, where the 200 promised it is.
    expect(Object.keys((await queue.getJobs(['waiting']))[0]!.data).sort()).toEqual([
      'round',
      'shop',
      'topic',
      'webhookId',
    ]);

    expect(await drain()).toEqual({ processed: 1, failed: [] });
    expect(await delivery(res.id)).toMatchObject({ status: 'processed', error: null });
    expectMatchesStore(await tableCounts(ctx), store);
    const c = (
      await ctx.db.pool.query<{ city: string | null; province: string | null }>(
        `SELECT city, province FROM customers WHERE id = '5000'`,
      )
    ).rows[0];
    expect(c).toEqual({ city: 'Lahore', province: 'Punjab' });
  });

  it('answers 401 to unsigned, wrongly signed and tampered webhooks, records nothing and logs no body', async () => {
    const { store, order } = storeWithOrder();
    const payload = { ...webhookOrder(store, order), note: 'SECRET-BODY-MARKER' };
    const unsigned = await post('orders/create', payload, { secret: null });
    const wrong = await post('orders/create', payload, { secret: 'not-the-secret' });
    const tampered = await fetch(`${base}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'x-shopify-topic': 'orders/create',
        'x-shopify-webhook-id': 'tampered',
        'x-shopify-hmac-sha256': signShopifyBody('{"id":1}', SECRET),
      },
      body: JSON.stringify(payload),
    });
    const empty = await fetch(`${base}/webhooks/shopify`, {
      method: 'POST',
      headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': 'empty' },
    });
    expect([unsigned.status, wrong.status, tampered.status, empty.status]).toEqual([401, 401, 401, 401]);
    expect(
      (await ctx.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries`)).rows[0]!.n,
    ).toBe(0);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 0 });
    const logged = logLines.join('');
    expect(logged).toMatch(/bad signature/);
    expect(logged).not.toMatch(/SECRET-BODY-MARKER/);
    expect(logged).not.toContain(SECRET);
  });

  it('treats a replayed X-Shopify-Webhook-Id as owed until processed, then done: 200, no second job, no second row', async () => {
    const { store, order } = storeWithOrder();
    const first = await post('orders/create', webhookOrder(store, order), { id: 'same-id' });
    const again = await post('orders/create', webhookOrder(store, order), { id: 'same-id' });
    expect([first.body.status, again.body.status]).toEqual(['queued', 'pending']);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    const job = (await queue.getJobs(['waiting']))[0]!;
    await drain();
    // A job retried after it was processed (a worker crash before ack) changes nothing.
    expect(await processShopifyWebhook({ db: ctx.db, logger }, job.data)).toBe('already-processed');
    expect(await post('orders/create', webhookOrder(store, order), { id: 'same-id' })).toMatchObject({
      body: { status: 'duplicate' },
    });
    expectMatchesStore(await tableCounts(ctx), store);
  });

  it('rejects malformed bodies: non-JSON with 400, an invalid payload fails its job for good', async () => {
    const notJson = await post('orders/create', null, { raw: '{"id": 1, "line_items": [' });
    expect(notJson.status).toBe(400);
    const invalid = await post('orders/create', { id: 1, created_at: 'yesterday' });
    expect(invalid.status).toBe(200);
    const { failed } = await drain();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toBeInstanceOf(UnrecoverableError);
    expect(await delivery(invalid.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/malformed orders\/create payload/) as unknown,
    });
    expect((await tableCounts(ctx)).orders).toBe(0);
  });

  it('ignores topics it does not handle, refuses other shops and oversized bodies, and keeps a delivery the queue refused', async () => {
    expect(await post('app/uninstalled', { id: 1 })).toMatchObject({ status: 200, body: { status: 'ignored' } });
    expect(await post('orders/create', { id: 1 }, { shop: 'someone-else.myshopify.com' })).toMatchObject({
      status: 403,
    });
    const big = 'x'.repeat(3 * 1024 * 1024);
    expect(await post('orders/create', null, { raw: JSON.stringify({ big }) })).toMatchObject({ status: 413 });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 0 });

    failEnqueue = true;
    const { store, order } = storeWithOrder();
    const down = await post('orders/create', webhookOrder(store, order), { id: 'retry-me' });
    // Stored in PostgreSQL, so acknowledged; the sweep (or Shopify's retry) queues it.
    expect(down).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect(await delivery('retry-me')).toMatchObject({ status: 'received' });
    failEnqueue = false;
    expect(await post('orders/create', webhookOrder(store, order), { id: 'retry-me' })).toMatchObject({
      status: 200,
      body: { status: 'pending' },
    });
    expect(await delivery('retry-me')).toMatchObject({ status: 'queued' });
    expect(await drain()).toEqual({ processed: 1, failed: [] });
    expectMatchesStore(await tableCounts(ctx), store);
  });

  it('applies a refund that arrives before its order once the order is stored, and counts cancel + refund once', async () => {
    const { store, order } = storeWithOrder();
    const refund = store.refund(order.id, [{ lineItemId: order.lines[0]!.id, quantity: 1 }]);
    const early = await post('refunds/create', webhookRefund(order, refund));
    let run = await drain();
    expect(run.failed[0]).toBeInstanceOf(OrderNotYetKnownError);
    expect(await delivery(early.id)).toMatchObject({ status: 'failed' });

    // The refund's job is retried (BullMQ attempts) after orders/create arrives.
    const before = { ...webhookOrder(store, order), refunds: [], updated_at: order.createdAt };
    await post('orders/create', before);
    await drain();
    expect(
      await processShopifyWebhook(
        { db: ctx.db, logger },
        { webhookId: early.id, topic: 'refunds/create', shop: SHOP, round: 0 },
      ),
    ).toBe('processed');

    // Cancelled later without a further refund: the rest of each line comes back, the refunded unit once.
    store.cancel(order.id, false);
    await post('orders/cancelled', webhookOrder(store, order));
    run = await drain();
    expect(run.failed).toEqual([]);
    expectMatchesStore(await tableCounts(ctx), store);
    const bought = order.lines.reduce((s, l) => s + l.quantity, 0);
    expect((await tableCounts(ctx)).returned_qty).toBe(bought);

    // An orders/updated older than what is stored is skipped.
    await post('orders/updated', before);
    await drain();
    expect((await ctx.db.pool.query(`SELECT status FROM orders WHERE id = $1`, [String(order.id)])).rows[0]).toEqual({
      status: 'cancelled',
    });
  });

  it('keeps products and customers current from products/update and customers/update', async () => {
    const { store, order } = storeWithOrder();
    await post('orders/create', webhookOrder(store, order));
    await drain();
    const productId = order.lines[0]!.productId!;
    // A webhook line only fills gaps: its title does not replace the catalogue's.
    const p = store.products.get(productId)!;
    await post('products/update', webhookProduct({ ...p, title: 'Renamed', productType: 'Boots', price: '99.50' }));
    await post('customers/update', webhookCustomer({ id: 5000, city: 'Karachi', province: 'Sindh' }));
    await drain();
    expect(
      (await ctx.db.pool.query(`SELECT name, category, price FROM products WHERE id = $1`, [String(productId)]))
        .rows[0],
    ).toEqual({ name: 'Renamed', category: 'Boots', price: 99.5 });
    expect(
      (
        await ctx.db.pool.query<{ city: string | null; province: string | null }>(
          `SELECT city, province FROM customers WHERE id = '5000'`,
        )
      ).rows[0],
    ).toEqual({ city: 'Karachi', province: 'Sindh' });
    await post('orders/updated', webhookOrder(store, order));
    await drain();
    expect((await ctx.db.pool.query(`SELECT name FROM products WHERE id = $1`, [String(productId)])).rows[0]).toEqual({
      name: 'Renamed',
    });
  });

  it('ignores a products/update or customers/update older than what is stored (delivered out of order)', async () => {
    const { store, order } = storeWithOrder();
    await post('orders/create', webhookOrder(store, order));
    await drain();
    const productId = order.lines[0]!.productId!;
    const p = store.products.get(productId)!;
    const at = (iso: string) => ({ updated_at: iso });
    // Shopify sent the older version first, but the newer one arrives first.
    await post('products/update', { ...webhookProduct({ ...p, title: 'New title' }), ...at('2026-11-02T10:00:00Z') });
    await post('customers/update', {
      ...webhookCustomer({ id: 5000, city: 'Karachi', province: 'Sindh' }),
      ...at('2026-11-02T10:00:00Z'),
    });
    await drain();
    await post('products/update', { ...webhookProduct({ ...p, title: 'Old title' }), ...at('2026-11-01T10:00:00Z') });
    await post('customers/update', {
      ...webhookCustomer({ id: 5000, city: 'Quetta', province: 'Balochistan' }),
      ...at('2026-11-01T10:00:00-05:00'),
    });
    expect(await drain()).toEqual({ processed: 2, failed: [] });
    const product = async () =>
      (await ctx.db.pool.query(`SELECT name FROM products WHERE id = $1`, [String(productId)])).rows[0] as unknown;
    const customer = async () =>
      (await ctx.db.pool.query(`SELECT city, province FROM customers WHERE id = '5000'`)).rows[0] as unknown;
    expect(await product()).toEqual({ name: 'New title' });
    expect(await customer()).toEqual({ city: 'Karachi', province: 'Sindh' });
    // A newer update still applies.
    await post('products/update', { ...webhookProduct({ ...p, title: 'Newest' }), ...at('2026-11-03T10:00:00Z') });
    await drain();
    expect(await product()).toEqual({ name: 'Newest' });
  });

  it("stores Shopify's sample payloads exactly: 64-bit order, line, customer, product and refund ids", async () => {
    const sample = (name: string) =>
      readFileSync(path.join(__dirname, '..', 'support', 'shopify-samples', name), 'utf8');
    // What JSON.parse would have stored instead: another order.
    expect(String((JSON.parse(sample('orders-create.json')) as { id: number }).id)).not.toBe('820982911946154508');
    const order = await post('orders/create', null, { raw: sample('orders-create.json') });
    expect(await drain()).toEqual({ processed: 1, failed: [] });
    const rest = [
      await post('refunds/create', null, { raw: sample('refunds-create.json') }),
      await post('products/update', null, { raw: sample('products-update.json') }),
      await post('customers/update', null, { raw: sample('customers-update.json') }),
    ];
    expect([order, ...rest].map((p) => p.body.status)).toEqual(['queued', 'queued', 'queued', 'queued']);
    expect(await drain()).toEqual({ processed: 3, failed: [] });
    const q = async (sql: string) => (await ctx.db.pool.query<Record<string, unknown>>(sql)).rows;
    expect(await q(`SELECT id, customer_id, status FROM orders`)).toEqual([
      { id: '820982911946154508', customer_id: '115310627314723954', status: 'placed' },
    ]);
    expect(await q(`SELECT line_key, product_id, event_type FROM order_items ORDER BY line_key`)).toEqual([
      {
        line_key: 'shopify:820982911946154508:141249953214522974',
        product_id: '788032119674292922',
        event_type: 'purchase',
      },
      {
        line_key: 'shopify:820982911946154508:866550311766439020',
        product_id: '788032119674292922',
        event_type: 'purchase',
      },
      { line_key: 'shopify:refund:487817672276298627', product_id: '788032119674292922', event_type: 'return' },
    ]);
    expect(await q(`SELECT id, city FROM customers ORDER BY id`)).toEqual([
      { id: '115310627314723954', city: 'Ottawa' },
      { id: '706405506930370084', city: 'Ottawa' },
    ]);
    expect(await q(`SELECT id, name, category, price FROM products`)).toEqual([
      { id: '788032119674292922', name: 'Example T-Shirt', category: 'Shirts', price: 19.99 },
    ]);
  });

  it('gives the same rows as the sync: a whole store by webhooks, shuffled and replayed, then synced', async () => {
    const store = FxStore.generate({ orders: 60 });
    const orders = [...store.orders.values()].filter((o) => !o.corrupt);
    const shuffled: FxOrder[] = [...orders].reverse();
    for (const o of [...shuffled, ...orders.slice(0, 10)]) {
      expect((await post(o.cancelledAt ? 'orders/cancelled' : 'orders/updated', webhookOrder(store, o))).status).toBe(
        200,
      );
    }
    for (const o of orders) for (const r of o.refunds) await post('refunds/create', webhookRefund(o, r));
    const run = await drain();
    expect(run.failed.filter((e) => !(e instanceof OrderNotYetKnownError))).toEqual([]);
    // The corrupt order is only corrupt in the GraphQL API; drop it from what we expect.
    const bad = [...store.orders.values()].find((o) => o.corrupt)!;
    store.orders.delete(bad.id);
    expectMatchesStore(await tableCounts(ctx), store);
    const byHooks = await tableCounts(ctx);

    store.orders.set(bad.id, bad);
    const fake = await new FakeShopifyServer(store, { accessToken: TOKEN, restoreRate: 100_000 }).start();
    try {
      await syncShopify(
        { db: ctx.db, config: { shopify: { ...ctx.config.shopify, adminUrl: fake.url } }, logger },
        { retryBaseMs: 5 },
      );
    } finally {
      await fake.stop();
    }
    const afterSync = await tableCounts(ctx);
    expect({ ...afterSync, quarantined: 0 }).toEqual({ ...byHooks, quarantined: 0 });
  });
});
