// Shopify webhook scenarios (issue 12, store data in): a gateway's webhook route and a real
// worker process on a Redis server of the scenario's own. Redis is killed while deliveries
// arrive (they are stored in PostgreSQL and answered 200; the sweep queues them once Redis is
// back), Shopify's sample payload with 64-bit ids, and processing that fails every attempt (a
// refund before its order) until Shopify's retry after the order arrives.
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { Queue } from 'bullmq';
import { createShopifyWebhookRouter } from '../../../src/connectors/shopify/webhook-router';
import { signShopifyBody } from '../../../src/connectors/shopify/webhook-verification';
import { createLogger } from '../../../src/infra/logger';
import { createRedis } from '../../../src/infra/redis';
import { QUEUE, type WebhookJobData } from '../../../src/queues/registry';
import { bullWebhookQueue } from '../../../src/queues/webhook-queue';
import { startChildWorker, waitForWorkerReady, type ChildWorker } from '../../../test/support/child-worker';
import { startOwnRedis, type OwnRedis } from '../../../test/support/own-redis';
import { FxStore, webhookOrder, webhookRefund } from '../../../test/support/shopify-fixtures';
import { createTestContext, type TestContext } from '../../../test/support/test-context';
import type { ChaosOutcome, ChaosScenario } from '../chaos-scenario';

const SHOP = 'chaos-shop.myshopify.com';
const SECRET = 'chaos-webhook-secret';
const ENV = {
  SHOPIFY_SHOP: SHOP,
  SHOPIFY_WEBHOOK_SECRET: SECRET,
  SHOPIFY_WEBHOOK_ATTEMPTS: '3',
  SHOPIFY_WEBHOOK_RETRY_BASE_MS: '100',
  SHOPIFY_WEBHOOK_ENQUEUE_TIMEOUT_MS: '500',
  SHOPIFY_WEBHOOK_SWEEP_AFTER_MS: '0',
};
const SAMPLES = path.resolve(__dirname, '..', '..', '..', 'test', 'support', 'shopify-samples');

interface World {
  ctx: TestContext;
  own: OwnRedis;
  worker: ChildWorker;
  base: string;
  scheduler: Queue;
  post(topic: string, body: string, id: string): Promise<number>;
  count(sql: string, params?: unknown[]): Promise<number>;
  until(what: () => Promise<boolean>, ms?: number): Promise<boolean>;
  close(): Promise<void>;
}

async function world(): Promise<World> {
  const own = await startOwnRedis();
  const ctx = await createTestContext({ ...ENV, REDIS_URL: own.url });
  const redis = createRedis(ctx.config, 'worker');
  const queue = new Queue<WebhookJobData>(QUEUE.webhooks, { connection: redis, prefix: ctx.config.redis.prefix });
  const scheduler = new Queue(QUEUE.scheduler, { connection: redis, prefix: ctx.config.redis.prefix });
  for (const q of [queue, scheduler]) q.on('error', () => undefined);
  const app = express();
  const logger = createLogger({ logLevel: 'silent' });
  app.use(
    createShopifyWebhookRouter({ config: ctx.config, db: ctx.db, logger, queue: bullWebhookQueue(queue, ctx.config) }),
  );
  const server: http.Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const worker = startChildWorker(ctx, { ...ENV, REDIS_URL: own.url }, ['--queues', 'webhooks,scheduler']);
  await waitForWorkerReady(worker);
  return {
    ctx,
    own,
    worker,
    base,
    scheduler,
    async post(topic, body, id) {
      const res = await fetch(`${base}/webhooks/shopify`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': topic,
          'x-shopify-webhook-id': id,
          'x-shopify-shop-domain': SHOP,
          'x-shopify-hmac-sha256': signShopifyBody(body, SECRET),
        },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    },
    async count(sql, params = []) {
      const { rows } = await ctx.db.pool.query<{ n: number }>(sql, params);
      return rows[0]?.n ?? 0;
    },
    async until(what, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        if (await what()) return true;
        await new Promise((r) => setTimeout(r, 200));
      }
      return false;
    },
    async close() {
      await own.start();
      await worker.stop();
      server.closeAllConnections();
      server.close();
      await Promise.all([queue.close(), scheduler.close()]);
      redis.disconnect();
      await ctx.close();
      await own.stop();
    },
  };
}

function store(orders: number): FxStore {
  const s = FxStore.generate({ orders });
  for (const o of [...s.orders.values()]) if (o.corrupt || o.customerId === null) s.orders.delete(o.id);
  return s;
}

export const webhooksRedisDown: ChaosScenario = {
  name: 'webhooks: Redis killed while orders arrive',
  async run(): Promise<ChaosOutcome> {
    const w = await world();
    try {
      const s = store(40);
      const orders = [...s.orders.values()];
      await w.own.stop();
      const faultAt = Date.now();
      let acknowledged = 0;
      for (const o of orders) {
        if ((await w.post('orders/create', JSON.stringify(webhookOrder(s, o)), `down-${o.id}`)) === 200)
          acknowledged += 1;
      }
      await w.own.start(); // empty: every job the gateway may have queued is gone
      await w.scheduler.add('scheduled-webhook-sweep', { kind: 'webhook-sweep' });
      const stored = () => w.count(`SELECT count(*)::int AS n FROM orders WHERE source = 'shopify'`);
      const recovered = await w.until(async () => (await stored()) >= acknowledged);
      const ordersStored = await stored();
      return {
        webhooks: { acknowledged, ordersStored },
        runsStuck: 0,
        rowsLost: Math.max(0, acknowledged - ordersStored),
        recoverMs: recovered ? Date.now() - faultAt : null,
        alertRaised: null,
        note: `${orders.length} orders/create with Redis dead; swept and stored after restart`,
      };
    } finally {
      await w.close();
    }
  },
};

export const webhooks64BitIds: ChaosScenario = {
  name: "webhooks: Shopify's sample payload (64-bit ids)",
  async run(): Promise<ChaosOutcome> {
    const w = await world();
    try {
      const started = Date.now();
      const status = await w.post(
        'orders/create',
        readFileSync(path.join(SAMPLES, 'orders-create.json'), 'utf8'),
        'big-1',
      );
      const exact = () =>
        w.count(
          `SELECT count(*)::int AS n FROM orders WHERE id = '820982911946154508' AND customer_id = '115310627314723954'`,
        );
      const stored = await w.until(async () => (await exact()) === 1);
      return {
        webhooks: { acknowledged: status === 200 ? 1 : 0, ordersStored: await exact() },
        runsStuck: 0,
        rowsLost: stored ? 0 : 1,
        recoverMs: stored ? Date.now() - started : null,
        alertRaised: null,
        note: stored ? 'order 820982911946154508 stored digit for digit' : 'the sample order was not stored exactly',
      };
    } finally {
      await w.close();
    }
  },
};

export const webhooksFailingThenRetry: ChaosScenario = {
  name: 'webhooks: processing fails every attempt, then Shopify retries',
  async run(): Promise<ChaosOutcome> {
    const w = await world();
    try {
      const s = store(0);
      FxStore.generate({ orders: 0 }).products.forEach((p) => s.products.set(p.id, p));
      s.customers.set(5000, { id: 5000, city: 'Lahore', province: 'Punjab' });
      const order = s.addOrder(5000, 3);
      const line = order.lines[0];
      if (!line) throw new Error('chaos: the fixture order has no line');
      const refund = s.refund(order.id, [{ lineItemId: line.id, quantity: 1 }]);
      const refundBody = JSON.stringify(webhookRefund(order, refund));
      const faultAt = Date.now();
      let acknowledged = 0;
      if ((await w.post('refunds/create', refundBody, 'refund-1')) === 200) acknowledged += 1;
      const status = (id: string) =>
        w.count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1 AND status = $2`, [
          id,
          'failed',
        ]);
      await w.until(async () => (await status('refund-1')) === 1);
      const alertRaised = await w.until(
        async () =>
          (await w.count(
            `SELECT count(*)::int AS n FROM alerts WHERE kind = 'webhook_failed' AND resolved_at IS NULL`,
          )) > 0,
        20_000,
      );
      if (
        (await w.post('orders/create', JSON.stringify({ ...webhookOrder(s, order), refunds: [] }), 'order-1')) === 200
      )
        acknowledged += 1;
      await w.until(async () => (await w.count(`SELECT count(*)::int AS n FROM orders`)) === 1);
      await w.post('refunds/create', refundBody, 'refund-1'); // Shopify's retry of the same delivery
      const returned = () => w.count(`SELECT count(*)::int AS n FROM order_items WHERE event_type = 'return'`);
      const recovered = await w.until(async () => (await returned()) === 1);
      const ordersStored = await w.count(`SELECT count(*)::int AS n FROM orders`);
      return {
        webhooks: { acknowledged, ordersStored: ordersStored + (await returned()) },
        runsStuck: 0,
        rowsLost: recovered ? 0 : 1,
        recoverMs: recovered ? Date.now() - faultAt : null,
        alertRaised,
        note: 'refund failed 3 attempts (alerted); stored on the retry after its order',
      };
    } finally {
      await w.close();
    }
  },
};
