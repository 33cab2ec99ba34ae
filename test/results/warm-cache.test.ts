import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { buildServices, type Services } from '../../src/app/services';
import { hotKey, warmHotLayer } from '../../src/results';
import type { PipelineRunView } from '../../src/pipeline/pipeline-service';
import { QUEUE_NAMES } from '../../src/queues/registry';
import { CatalogRepository } from '../../src/serving/catalog-repository';
import { startWorkers, type WorkerProcess } from '../../src/workers/worker-process';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedSyntheticStore } from '../support/seed-store';
import { waitFor } from '../support/wait-for';
import { createTestContext, type TestContext } from '../support/test-context';

const LIST = `query($u: ID!) { recommendations(userId: $u) {
  items { product { id name category price } score rank source } source filled modelVersion batchVersion } }`;
type List = { recommendations: Record<string, unknown> };

describe('warm-cache stage and the prewarm schedule', () => {
  let ctx: TestContext;
  let dir: string;
  let services: Services;
  let workers: WorkerProcess;
  let redis: Redis;
  let expected: string[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'recs-warm-'));
    ctx = await createTestContext({ OBJECT_STORE_DIR: dir });
    services = buildServices(ctx.config);
    redis = new Redis(ctx.config.redis.url);
    await seedSyntheticStore(ctx.db, { customers: 200, products: 50, interactions: 2_500 });
    // The top 10% by purchase spend, computed here independently of the warmer's SQL.
    const { rows } = await ctx.db.pool.query<{
      customer_id: string;
      quantity: number;
      unit_price: number | null;
      event_type: string;
    }>('SELECT customer_id, quantity, unit_price, event_type FROM order_items');
    const spend = new Map<string, number>();
    for (const r of rows) {
      if (r.event_type === 'purchase')
        spend.set(r.customer_id, (spend.get(r.customer_id) ?? 0) + r.quantity * (r.unit_price ?? 0));
    }
    const { rows: n } = await ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
    const take = Math.ceil(0.1 * Math.max(n[0]!.n, spend.size));
    expected = [...spend]
      .filter(([, s]) => s > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, take)
      .map(([id]) => id);
    workers = await startWorkers(services, { queues: [...QUEUE_NAMES], concurrency: 1 });
  });

  afterAll(async () => {
    await workers.close();
    await services.close();
    redis.disconnect();
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const warmedUsers = async (batch: number): Promise<string[]> => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(
        cursor,
        'MATCH',
        hotKey(ctx.config.redis.prefix, batch, 'user', '*'),
        'COUNT',
        1000,
      );
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    return keys.map((k) => k.slice(k.lastIndexOf(':') + 1)).sort();
  };

  let batch = 0;

  it('does nothing before any batch is loaded', async () => {
    const result = await warmHotLayer({
      config: ctx.config,
      db: ctx.db,
      redis: services.queueRedis,
      logger: services.logger,
      catalog: new CatalogRepository(ctx.db.pool),
    });
    expect(result).toMatchObject({ batchVersion: 0, customers: 0, entries: 0 });
  });

  it('runs after load-results and warms the top 10% of customers by spend under the new batch', async () => {
    expect(expected.length).toBeGreaterThan(5);
    const run = await services.pipeline.startRun({ recipes: ['user-personalization', 'popularity-count'] });
    const done = await waitFor('the run to finish', async () => {
      const r: PipelineRunView | null = await services.pipeline.getRun(run.id);
      return r && ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : null;
    });
    expect(done.error).toBeNull();
    const warm = done.stages['warm-cache']!;
    batch = done.stages['load-results']!.counts!.batchVersion!;
    expect(warm.status).toBe('succeeded');
    expect(warm.counts).toMatchObject({ batchVersion: batch, customers: expected.length });
    expect(warm.counts!.entries).toBeGreaterThan(expected.length);
    expect(warm.counts!.ms).toBeGreaterThanOrEqual(0);
    expect(warm.message).toContain(`warmed ${expected.length} customers`);
    expect(new Date(warm.startedAt!).getTime()).toBeGreaterThanOrEqual(
      new Date(done.stages['load-results']!.finishedAt!).getTime(),
    );
    expect(await warmedUsers(batch)).toEqual([...expected].sort());
    const ttl = await redis.ttl(hotKey(ctx.config.redis.prefix, batch, 'user', expected[0]!));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(ctx.config.cache.ttlSeconds);
  });

  it("a warmed customer's first request is a hot hit with the same answer as an unwarmed request", async () => {
    const hot: Harness = await startGateway(ctx, { responseCacheEntries: 0 });
    const cold: Harness = await startGateway(ctx, { redis: null, responseCacheEntries: 0 });
    try {
      const stats = hot.gateway.services.hot.stats;
      for (const userId of expected.slice(0, 8)) {
        const before = { ...stats };
        const warmed = await hot.gql<List>(LIST, { u: userId });
        expect(warmed.body.errors).toBeUndefined();
        expect(stats.misses).toBe(before.misses);
        expect(stats.hits).toBeGreaterThan(before.hits);
        const unwarmed = await cold.gql<List>(LIST, { u: userId });
        expect(unwarmed.body.errors).toBeUndefined();
        const strip = (l: Record<string, unknown>) => ({ ...l, recommendationId: undefined, generatedAt: undefined });
        expect(strip(warmed.body.data!.recommendations)).toEqual(strip(unwarmed.body.data!.recommendations));
        expect(warmed.body.data!.recommendations.batchVersion).toBe(batch);
        expect(warmed.body.data!.recommendations.items).toHaveLength(10);
      }
      // The check means something: a customer outside the top 10% starts with a miss.
      const { rows } = await ctx.db.pool.query<{ id: string }>(
        'SELECT id FROM customers WHERE NOT (id = ANY($1::text[])) ORDER BY id LIMIT 1',
        [expected],
      );
      const before = stats.misses;
      await hot.gql<List>(LIST, { u: rows[0]!.id });
      expect(stats.misses).toBeGreaterThan(before);
    } finally {
      await hot.close();
      await cold.close();
    }
  });

  it('the prewarm schedule runs the same warm on the current batch', async () => {
    const keys = (await warmedUsers(batch)).map((id) => hotKey(ctx.config.redis.prefix, batch, 'user', id));
    await redis.del(...keys);
    expect(await warmedUsers(batch)).toEqual([]);
    const job = await services.queues.get('scheduler').add('scheduled-prewarm', { kind: 'prewarm' });
    const finished = await waitFor('the prewarm job', async () => {
      const state = await job.getState();
      return state === 'completed' || state === 'failed' ? state : null;
    });
    expect(finished).toBe('completed');
    const { returnvalue } = (await services.queues.get('scheduler').getJob(job.id!))! as { returnvalue: unknown };
    expect(returnvalue).toMatchObject({ batchVersion: batch, customers: expected.length });
    expect(await warmedUsers(batch)).toEqual([...expected].sort());
  });

  it('warms in chunks, writing each shared popular list once', async () => {
    await redis.del(...(await warmedUsers(batch)).map((id) => hotKey(ctx.config.redis.prefix, batch, 'user', id)));
    const result = await warmHotLayer(
      {
        config: ctx.config,
        db: ctx.db,
        redis: services.queueRedis,
        logger: services.logger,
        catalog: new CatalogRepository(ctx.db.pool),
      },
      { chunkSize: 3 },
    );
    expect(result).toMatchObject({ batchVersion: batch, customers: expected.length });
    expect(await warmedUsers(batch)).toEqual([...expected].sort());
    const { rows } = await ctx.db.pool.query<{ n: number }>(
      'SELECT count(DISTINCT province)::int AS n FROM customers WHERE id = ANY($1::text[]) AND province IS NOT NULL',
      [expected],
    );
    // Per customer its list and its province; then each province's popular list and the global one.
    expect(result.entries).toBe(2 * expected.length + rows[0]!.n + 1);
  });

  it('moves the rest of a warm to a batch loaded while it runs', async () => {
    let moved = 0;
    const result = await warmHotLayer(
      {
        config: ctx.config,
        db: ctx.db,
        redis: services.queueRedis,
        logger: services.logger,
        catalog: new CatalogRepository(ctx.db.pool),
      },
      {
        chunkSize: 4,
        progress: async (percent) => {
          if (percent > 0 && moved === 0) {
            const { rows } = await ctx.db.pool.query<{ id: number }>(
              `INSERT INTO cache_batches (mode) VALUES ('UPDATE') RETURNING id`,
            );
            moved = rows[0]!.id;
          }
        },
      },
    );
    expect(moved).toBeGreaterThan(batch);
    expect(result).toMatchObject({ batchVersion: moved, customers: expected.length });
    const later = await warmedUsers(moved);
    expect(later.length).toBe(expected.length - 4);
    expect(later.every((id) => expected.includes(id))).toBe(true);
  });
});
