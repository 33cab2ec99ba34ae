// A hung Redis (connected, silent: a frozen TCP proxy in front of the shared server, which every
// gateway connection goes through) must cost each path a bounded time: reads answer from
// PostgreSQL, /metrics and systemStatus answer with the Redis figures marked unavailable, a
// webhook is still stored and answered 200 (the sweep queues it later), triggerRetrain fails fast
// with a coded error. Without command timeouts on the queue connection several of these hang forever.
import express from 'express';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { createShopifyWebhookRouter } from '../../src/connectors/shopify/webhook-router';
import { signShopifyBody } from '../../src/connectors/shopify/webhook-verification';
import type { Config } from '../../src/config/config';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createLogger } from '../../src/infra/logger';
import { createRedis } from '../../src/infra/redis';
import { QUEUE } from '../../src/queues/registry';
import { bullWebhookQueue } from '../../src/queues/webhook-queue';
import { batchVersionKey } from '../../src/results';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing, type ServingFixture } from '../support/serving-fixtures';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { within } from '../support/wait-for';
import { createTestContext, type TestContext } from '../support/test-context';

const SHOP = 'hung-redis.myshopify.com';
const SECRET = 'hung-redis-secret';
const LIST = `query($u: ID!) { recommendations(userId: $u, limit: 3) { items { product { id } } source } }`;
type List = { recommendations: { items: { product: { id: string } }[]; source: string } };

describe('Redis hung behind a frozen proxy', () => {
  let ctx: TestContext;
  let fx: ServingFixture;
  let proxy: TcpProxy;
  let h: Harness;
  let admin: string;
  let webhookRedis: Redis;
  let webhookQueue: Queue;

  beforeAll(async () => {
    ctx = await createTestContext({
      SHOPIFY_SHOP: SHOP,
      SHOPIFY_WEBHOOK_SECRET: SECRET,
    });
    fx = await seedServing(ctx.db);
    const direct = new Redis(ctx.config.redis.url);
    await direct.set(batchVersionKey(ctx.config.redis.prefix), String(fx.batchVersion));
    direct.disconnect();
    const target = new URL(ctx.config.redis.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const config: Config = { ...ctx.config, redis: { ...ctx.config.redis, url: proxy.url } };
    webhookRedis = createRedis(config, 'producer');
    webhookQueue = new Queue(QUEUE.webhooks, { connection: webhookRedis, prefix: config.redis.prefix });
    webhookQueue.on('error', () => undefined);
    const router = express.Router();
    router.use(
      createShopifyWebhookRouter({
        config,
        db: ctx.db,
        logger: createLogger({ logLevel: 'silent' }),
        queue: bullWebhookQueue(webhookQueue, config),
      }),
    );
    h = await startGateway({ ...ctx, config }, { responseCacheEntries: 0, routers: [{ path: '/', router }] });
    admin = (await createApiKey(ctx.db.pool, 'admin')).key;
  });
  afterAll(async () => {
    proxy.resume();
    await h.close();
    await webhookQueue.close();
    webhookRedis.disconnect();
    await proxy.close();
    await ctx.close();
  }, 60_000);

  const postWebhook = async (id: string) => {
    const body = JSON.stringify({ id: 9, title: 'T', product_type: 'x', variants: [{ id: 90, price: '1.00' }] });
    const res = await fetch(`${h.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'products/update',
        'x-shopify-webhook-id': id,
        'x-shopify-shop-domain': SHOP,
        'x-shopify-hmac-sha256': signShopifyBody(body, SECRET),
      },
      body,
    });
    return res.status;
  };

  it('was answering before the freeze', async () => {
    const warm = await h.gql<List>(LIST, { u: 'c1' });
    expect(warm.body.errors).toBeUndefined();
    expect(JSON.parse((await h.get('/ready')).text)).toMatchObject({ checks: { redis: { ok: true } } });
    proxy.pause();
  });

  it('serves a hot list from PostgreSQL', async () => {
    const list = await within('a recommendation', h.gql<List>(LIST, { u: 'c1' }));
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data!.recommendations.items.map((i) => i.product.id)).toEqual(['p1', 'p2', 'p3']);
  }, 60_000);

  it('refreshes the batch version from PostgreSQL', async () => {
    expect(await within('a batch version refresh', h.gateway.refreshBatchVersion())).toBe(fx.batchVersion);
  }, 60_000);

  it('answers /metrics with Redis marked unavailable', async () => {
    const metrics = await within('/metrics', h.get('/metrics'));
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^recs_redis_available 0$/m);
  }, 60_000);

  it('answers systemStatus with Redis marked unavailable and the schedules from PostgreSQL', async () => {
    const status = await within(
      'systemStatus',
      h.gql<{ systemStatus: { redisAvailable: boolean; schedules: { name: string; next: string | null }[] } }>(
        `{ systemStatus { redisAvailable schedules { name next } } }`,
        {},
        admin,
      ),
    );
    expect(status.body.errors).toBeUndefined();
    expect(status.body.data!.systemStatus.redisAvailable).toBe(false);
    expect(status.body.data!.systemStatus.schedules.length).toBeGreaterThan(0);
  }, 60_000);

  it('fails triggerRetrain fast with SERVICE_UNAVAILABLE', async () => {
    const retrain = await within(
      'triggerRetrain',
      h.gql(`mutation { triggerRetrain(input: {}) { run { id } userErrors { code } } }`, {}, admin),
    );
    expect(retrain.body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
  }, 60_000);

  it('stores a webhook and answers 200 (the sweep queues it later)', async () => {
    expect(await within('a webhook', postWebhook('hung-1'))).toBe(200);
    const stored = await ctx.db.pool.query(`SELECT status FROM webhook_deliveries WHERE webhook_id = 'hung-1'`);
    expect(stored.rowCount).toBe(1);
  }, 60_000);

  it('says /ready degraded, which dependency and since when', async () => {
    const ready = await within('/ready', h.get('/ready'));
    const body = JSON.parse(ready.text) as { degraded: { dependency: string; since: string }[] };
    expect(body).toMatchObject({ status: 'degraded', checks: { redis: { ok: false } } });
    expect(body.degraded).toEqual([expect.objectContaining({ dependency: 'redis' })]);
    expect(Number.isNaN(Date.parse(body.degraded[0]!.since))).toBe(false);
  }, 60_000);
});

describe('rate limits while Redis is hung', () => {
  let ctx: TestContext;
  let proxy: TcpProxy;
  let h: Harness;

  beforeAll(async () => {
    ctx = await createTestContext({ RATE_LIMIT_PER_IP: '3', RATE_LIMIT_WINDOW_SECONDS: '600' });
    await seedServing(ctx.db);
    const target = new URL(ctx.config.redis.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const config: Config = { ...ctx.config, redis: { ...ctx.config.redis, url: proxy.url } };
    h = await startGateway({ ...ctx, config }, { responseCacheEntries: 0 });
  });
  afterAll(async () => {
    proxy.resume();
    await h.close();
    await proxy.close();
    await ctx.close();
  }, 60_000);

  it('are counted in memory, each request answered within a bound', async () => {
    proxy.pause();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await within('a limited request', h.gql(`{ popularItems(limit: 1) { source } }`))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  }, 120_000);
});

describe('/ready with only the queues connection hung', () => {
  let ctx: TestContext;
  let proxy: TcpProxy;
  let h: Harness;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedServing(ctx.db);
    const target = new URL(ctx.config.redis.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    // The queues (and the activity subscriber) go through the proxy; the request connection does not.
    const config: Config = { ...ctx.config, redis: { ...ctx.config.redis, url: proxy.url } };
    h = await startGateway({ ...ctx, config }, { redis: createRedis(ctx.config, 'request') });
  });
  afterAll(async () => {
    proxy.resume();
    await h.close();
    await proxy.close();
    await ctx.close();
  }, 60_000);

  it('reports every connection with its circuit, and which one is failing and why', async () => {
    type Ready = {
      status: string;
      checks: { redis: { ok: boolean; connections: { role: string; circuit: string; status: string }[] } };
      degraded: { dependency: string; since: string; reason: string }[];
    };
    const before = JSON.parse((await h.get('/ready')).text) as Ready;
    expect(before.status).toBe('ready');
    expect(before.checks.redis.connections.map((c) => [c.role, c.circuit])).toEqual([
      ['request', 'closed'],
      ['queues', 'closed'],
      ['activity subscriber', 'unguarded'],
    ]);

    proxy.pause();
    // /metrics counts the queues' jobs: those commands time out and open the queues' circuit.
    await within('/metrics', h.get('/metrics'));
    const ready = JSON.parse((await within('/ready', h.get('/ready'))).text) as Ready;
    expect(ready.status).toBe('degraded');
    expect(ready.checks.redis.ok).toBe(false);
    expect(ready.checks.redis.connections).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'request', circuit: 'closed', status: 'ready' }),
        expect.objectContaining({ role: 'queues', circuit: 'open' }),
      ]),
    );
    expect(ready.degraded.map((d) => d.dependency)).toEqual(['redis']);
    expect(ready.degraded[0]?.reason).toMatch(/^queues connection circuit open/);
    // The request path is unaffected: lists still come from the hot layer's Redis.
    expect((await h.gql(`{ popularItems(limit: 1) { source } }`)).status).toBe(200);
  }, 120_000);
});
