// Nothing Shopify was told "200" about is lost: the delivery is in PostgreSQL before the answer,
// whatever Redis does, and its work is done by a real worker process once Redis is back; work
// that fails every attempt is alerted, counted, and done again on Shopify's retry or a replay.
// Redis trouble is made with a TCP proxy of our own in front of the shared server.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../src/config/config';
import { sweepWebhookInbox } from '../../src/connectors/shopify/webhook-inbox';
import { createShopifyWebhookRouter } from '../../src/connectors/shopify/webhook-router';
import { signShopifyBody } from '../../src/connectors/shopify/webhook-verification';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createRedis } from '../../src/infra/redis';
import { QUEUE, webhookJobId, type SchedulerJobData, type WebhookJobData } from '../../src/queues/registry';
import { bullWebhookQueue } from '../../src/queues/webhook-queue';
import { startChildWorker, waitForWorkerReady, type ChildWorker } from '../support/child-worker';
import { startGateway, type Harness } from '../support/gateway-harness';
import { FxStore, webhookOrder, webhookRefund } from '../support/shopify-fixtures';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';
import { expectMatchesStore, resetTables, SECRET, SHOP, SHOPIFY_ENV, tableCounts, logger } from './shopify-world';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'recs.js');
/** Fast failure for the tests: 3 attempts 100 ms and 200 ms apart; the queue answers within 500 ms or not at all. */
const RETRY_ENV = {
  SHOPIFY_WEBHOOK_ATTEMPTS: '3',
  SHOPIFY_WEBHOOK_RETRY_BASE_MS: '100',
  SHOPIFY_WEBHOOK_ENQUEUE_TIMEOUT_MS: '500',
  SHOPIFY_WEBHOOK_SWEEP_AFTER_MS: '0',
};

describe('Shopify webhook durability (real worker process, Redis behind a proxy we control)', () => {
  let ctx: TestContext;
  let proxy: TcpProxy;
  let gatewayRedis: Redis;
  let directRedis: Redis;
  let gatewayQueue: Queue<WebhookJobData>;
  let directQueue: Queue<WebhookJobData>;
  let scheduler: Queue<SchedulerJobData>;
  let worker: ChildWorker;
  let harness: Harness;
  let admin: string;
  const servers: http.Server[] = [];
  let fast: string;
  let slow: string;

  async function listenRouter(config: Config, queue: Queue<WebhookJobData>): Promise<string> {
    const app = express();
    app.use(createShopifyWebhookRouter({ config, db: ctx.db, logger, queue: bullWebhookQueue(queue, config) }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    ctx = await createTestContext({ ...SHOPIFY_ENV, ...RETRY_ENV });
    const target = new URL(ctx.config.redis.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    // The gateway reaches Redis through the proxy; the worker process goes straight to it.
    gatewayRedis = createRedis({ redis: { ...ctx.config.redis, url: proxy.url } }, 'worker');
    directRedis = createRedis(ctx.config, 'worker');
    const prefix = ctx.config.redis.prefix;
    gatewayQueue = new Queue(QUEUE.webhooks, { connection: gatewayRedis, prefix });
    directQueue = new Queue(QUEUE.webhooks, { connection: directRedis, prefix });
    scheduler = new Queue(QUEUE.scheduler, { connection: directRedis, prefix });
    // The proxy's outages surface as connection errors on the gateway's queue; they are the point here.
    gatewayQueue.on('error', () => undefined);
    fast = await listenRouter(ctx.config, gatewayQueue);
    // Retries far apart (10 minutes): only Shopify's retry of the delivery can bring the next attempt now.
    const slowConfig: Config = {
      ...ctx.config,
      shopify: { ...ctx.config.shopify, webhooks: { ...ctx.config.shopify.webhooks, retryBaseMs: 600_000 } },
    };
    slow = await listenRouter(slowConfig, directQueue);
    worker = startChildWorker(ctx, { ...SHOPIFY_ENV, ...RETRY_ENV }, ['--queues', 'webhooks,scheduler']);
    await waitForWorkerReady(worker);
    admin = (await createApiKey(ctx.db.pool, 'admin')).key;
    harness = await startGateway(ctx);
  }, 60_000);
  beforeEach(async () => {
    proxy.resume();
    proxy.up();
    await resetTables(ctx);
    await ctx.db.pool.query(`TRUNCATE alerts`);
  });
  afterAll(async () => {
    proxy.resume();
    proxy.up();
    await harness.close();
    await worker.stop();
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    await Promise.all([gatewayQueue.close(), directQueue.close(), scheduler.close()]);
    gatewayRedis.disconnect();
    directRedis.disconnect();
    await proxy.close();
    await ctx.close();
  }, 60_000);

  let seq = 0;
  async function post(base: string, topic: string, payload: unknown, id = `wh-${++seq}`) {
    const body = JSON.stringify(payload);
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
    return { status: res.status, body: (await res.json()) as { status?: string }, id };
  }
  const delivery = async (id: string) =>
    (
      await ctx.db.pool.query<{ status: string; body: string | null; round: number; attempts: number }>(
        `SELECT status, body, round, attempts FROM webhook_deliveries WHERE webhook_id = $1`,
        [id],
      )
    ).rows[0];
  const statusIs = (id: string, status: string) => async () => (await delivery(id))?.status === status;
  const activeAlerts = async () =>
    (await ctx.db.pool.query<{ kind: string }>(`SELECT kind FROM alerts WHERE resolved_at IS NULL`)).rows.map(
      (r) => r.kind,
    );
  const orderStored = (id: number) => async () =>
    (await ctx.db.pool.query(`SELECT 1 FROM orders WHERE id = $1`, [String(id)])).rowCount === 1;
  const storeWithOrder = () => {
    const store = new FxStore(3);
    FxStore.generate({ orders: 0 }).products.forEach((p) => store.products.set(p.id, p));
    store.customers.set(5000, { id: 5000, city: 'Lahore', province: 'Punjab' });
    const order = store.addOrder(5000, 3);
    return { store, order };
  };

  it('Redis paused during the enqueue: answered 200 once stored, the retry of it is pending, the worker stores the order once', async () => {
    const { store, order } = storeWithOrder();
    proxy.pause();
    const res = await post(fast, 'orders/create', webhookOrder(store, order));
    expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    const row = await delivery(res.id);
    expect(row).toMatchObject({ status: 'received' });
    expect(JSON.parse(row!.body!)).toMatchObject({ id: order.id });
    // Shopify retries the same delivery while Redis still hangs: not "duplicate" of nothing, it is owed.
    expect(await post(fast, 'orders/create', webhookOrder(store, order), res.id)).toMatchObject({
      status: 200,
      body: { status: 'pending' },
    });
    proxy.resume();
    await waitFor('the paused delivery processed', statusIs(res.id, 'processed'), 60_000);
    expectMatchesStore(await tableCounts(ctx), store);
    expect(await delivery(res.id)).toMatchObject({ body: null, attempts: 1 });
  });

  it('Redis down at the gateway: stored and answered 200; the sweep on the scheduler queues it and the worker stores it', async () => {
    const { store, order } = storeWithOrder();
    proxy.down();
    const res = await post(fast, 'orders/create', webhookOrder(store, order));
    expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect(await directQueue.getJob(webhookJobId(res.id))).toBeUndefined();
    // The scheduler's webhook-sweep firing, as its cron would send it, in the worker process.
    await scheduler.add('scheduled-webhook-sweep', { kind: 'webhook-sweep' });
    await waitFor('the swept delivery processed', statusIs(res.id, 'processed'), 60_000);
    expect(await orderStored(order.id)()).toBe(true);
    expectMatchesStore(await tableCounts(ctx), store);
  });

  it('a job lost from Redis (restart without persistence): the sweep adds it again', async () => {
    const { store, order } = storeWithOrder();
    worker.proc.kill('SIGSTOP');
    try {
      const res = await post(fast, 'orders/create', webhookOrder(store, order));
      expect(res.body.status).toBe('queued');
      await (await directQueue.getJob(webhookJobId(res.id)))!.remove();
      expect(
        await sweepWebhookInbox(
          { pool: ctx.db.pool, queue: bullWebhookQueue(directQueue, ctx.config), logger },
          { olderThanMs: 0 },
        ),
      ).toEqual({ checked: 1, enqueued: 1, markedFailed: 0 });
      worker.proc.kill('SIGCONT');
      await waitFor('the re-added delivery processed', statusIs(res.id, 'processed'), 60_000);
    } finally {
      worker.proc.kill('SIGCONT');
    }
    expectMatchesStore(await tableCounts(ctx), store);
  });

  it('processing fails every attempt: failed, alerted, counted; Shopify’s retry processes it again once it can succeed', async () => {
    const { store, order } = storeWithOrder();
    const refund = store.refund(order.id, [{ lineItemId: order.lines[0]!.id, quantity: 1 }]);
    // The refund before its order: each attempt fails (order not stored yet).
    const early = await post(fast, 'refunds/create', webhookRefund(order, refund));
    expect(early.body.status).toBe('queued');
    await waitFor('the refund failed every attempt', statusIs(early.id, 'failed'), 60_000);
    expect(await delivery(early.id)).toMatchObject({ attempts: 3, round: 0 });
    await waitFor('webhook_failed raised', async () => (await activeAlerts()).includes('webhook_failed'), 60_000);
    const status = await harness.gql<{ systemStatus: { webhooks: Record<string, unknown> } }>(
      `{ systemStatus { webhooks { pending retrying failed } } }`,
      {},
      admin,
    );
    expect(status.body.data?.systemStatus.webhooks).toEqual({ pending: 0, retrying: 0, failed: 1 });

    const placed = await post(fast, 'orders/create', { ...webhookOrder(store, order), refunds: [] });
    await waitFor('the order processed', statusIs(placed.id, 'processed'), 60_000);
    // Shopify retries the failed delivery (same id): taken again, not answered "duplicate".
    expect(await post(fast, 'refunds/create', webhookRefund(order, refund), early.id)).toMatchObject({
      status: 200,
      body: { status: 'requeued' },
    });
    await waitFor('the retried refund processed', statusIs(early.id, 'processed'), 60_000);
    expect(await delivery(early.id)).toMatchObject({ round: 1, attempts: 4 });
    expectMatchesStore(await tableCounts(ctx), store);
    // The alert clears on the next check: nothing is failed any more.
    await scheduler.add('scheduled-alerts', { kind: 'alerts' });
    await waitFor('webhook_failed resolved', async () => !(await activeAlerts()).includes('webhook_failed'), 60_000);
  });

  it('an attempt failed and its retry is hours away: Shopify’s retry of the delivery runs it now', async () => {
    const { store, order } = storeWithOrder();
    const refund = store.refund(order.id, [{ lineItemId: order.lines[0]!.id, quantity: 1 }]);
    const early = await post(slow, 'refunds/create', webhookRefund(order, refund));
    await waitFor('the first attempt failed', statusIs(early.id, 'retrying'), 60_000);
    expect((await directQueue.getJob(webhookJobId(early.id)))!.opts.backoff).toEqual({
      type: 'exponential',
      delay: 600_000,
    });
    const placed = await post(slow, 'orders/create', { ...webhookOrder(store, order), refunds: [] });
    await waitFor('the order processed', statusIs(placed.id, 'processed'), 60_000);
    expect(await post(slow, 'refunds/create', webhookRefund(order, refund), early.id)).toMatchObject({
      body: { status: 'pending' },
    });
    await waitFor('the promoted retry processed', statusIs(early.id, 'processed'), 60_000);
    expect(await delivery(early.id)).toMatchObject({ round: 0, attempts: 2 });
    expectMatchesStore(await tableCounts(ctx), store);
  });

  it('an admin replays failed deliveries: by GraphQL mutation and by `recs webhooks replay`', async () => {
    const { store, order } = storeWithOrder();
    const r1 = store.refund(order.id, [{ lineItemId: order.lines[0]!.id, quantity: 1 }]);
    const r2 = store.refund(order.id, [{ lineItemId: order.lines[1]!.id, quantity: 1 }]);
    const a = await post(fast, 'refunds/create', webhookRefund(order, r1));
    const b = await post(fast, 'refunds/create', webhookRefund(order, r2));
    await waitFor('both refunds failed', async () => (await statusIs(a.id, 'failed')()) && statusIs(b.id, 'failed')());
    const placed = await post(fast, 'orders/create', { ...webhookOrder(store, order), refunds: [] });
    await waitFor('the order processed', statusIs(placed.id, 'processed'), 60_000);

    const replay = await harness.gql<{ replayWebhooks: { replayed: number; webhookIds: string[] } }>(
      `mutation($ids: [ID!]) { replayWebhooks(ids: $ids) { replayed webhookIds } }`,
      { ids: [a.id, placed.id] },
      admin,
    );
    expect(replay.body.errors).toBeUndefined();
    // Only failed deliveries are replayed: the processed order is left alone.
    expect(replay.body.data?.replayWebhooks).toEqual({ replayed: 1, webhookIds: [a.id] });
    await waitFor('the replayed refund processed', statusIs(a.id, 'processed'), 60_000);

    const env = {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: ctx.config.database.url,
      DATABASE_SCHEMA: ctx.config.database.schema,
      REDIS_URL: ctx.config.redis.url,
      QUEUE_PREFIX: ctx.config.redis.prefix,
      LOG_LEVEL: 'silent',
    };
    const before = await run(process.execPath, [BIN, 'webhooks', 'status'], { env });
    expect(before.stdout).toMatch(/0 pending, 0 retrying, 1 failed/);
    const cli = await run(process.execPath, [BIN, 'webhooks', 'replay', '--failed'], { env });
    expect(cli.stdout).toBe(`replayed 1 webhook(s): ${b.id}\n`);
    await waitFor('the CLI-replayed refund processed', statusIs(b.id, 'processed'), 60_000);
    expectMatchesStore(await tableCounts(ctx), store);
  }, 120_000);
});
