// Unknown ids must not fill Redis (it holds the job queues and never evicts): "nothing here" is
// remembered in a bounded in-process LRU, and the hot layer writes nothing while Redis is over its cap.
import type { Redis } from 'ioredis';
import { createRedis } from '../../src/infra/redis';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';

async function countKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

describe('negative caching and the hot layer memory cap', () => {
  describe('unknown ids', () => {
    let ctx: TestContext;
    let h: Harness;
    let redis: Redis;

    beforeAll(async () => {
      ctx = await createTestContext({ NEGATIVE_CACHE_ENTRIES: '300' });
      await seedServing(ctx.db);
      h = await startGateway(ctx);
      redis = createRedis(ctx.config, 'worker');
    });
    afterAll(async () => {
      redis.disconnect();
      await h.close();
      await ctx.close();
    });

    it('1,000 unknown ids in 40-alias requests create no Redis key each, and memory keeps at most the configured number', async () => {
      for (let r = 0; r < 25; r++) {
        const aliases = Array.from(
          { length: 40 },
          (_, i) => `u${i}: recommendations(userId: "nobody-${r}-${i}", limit: 1) { source }`,
        );
        const res = await h.gql<Record<string, { source: string }>>(`{ ${aliases.join(' ')} }`);
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data!['u0']!.source).toBe('POPULAR');
      }
      // The overall popular list is one key; the unknown ids (and their unknown provinces) none.
      expect(await countKeys(redis, `${ctx.config.redis.prefix}:cache:*`)).toBeLessThan(5);
      expect(h.gateway.services.hot.negativeSize).toBeLessThanOrEqual(300);
      expect(h.gateway.services.hot.negativeSize).toBeGreaterThan(0);
    });

    it('still stores known lists in Redis', async () => {
      const res = await h.gql(`{ recommendations(userId: "c1", limit: 3) { source } }`);
      expect(res.body.errors).toBeUndefined();
      expect(
        await redis.exists(`${ctx.config.redis.prefix}:cache:v${h.gateway.services.recs.batchVersion}:user:c1`),
      ).toBe(1);
    });
  });

  describe('over the cap', () => {
    let ctx: TestContext;
    let h: Harness;
    let redis: Redis;

    beforeAll(async () => {
      // Redis uses more than 1 MB whatever else it holds: the hot layer must write nothing.
      ctx = await createTestContext({ HOT_LAYER_MAX_MB: '1' });
      await seedServing(ctx.db);
      h = await startGateway(ctx);
      redis = createRedis(ctx.config, 'worker');
    });
    afterAll(async () => {
      redis.disconnect();
      await h.close();
      await ctx.close();
    });

    it('serves from PostgreSQL and writes no hot entry', async () => {
      const res = await h.gql<{ recommendations: { items: { product: { id: string } }[] } }>(
        `{ recommendations(userId: "c1", limit: 3) { items { product { id } } } }`,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.recommendations.items.map((i) => i.product.id)).toEqual(['p1', 'p2', 'p3']);
      expect(await countKeys(redis, `${ctx.config.redis.prefix}:cache:v*`)).toBe(0);
      expect(h.gateway.services.hot.stats.skippedWrites).toBeGreaterThan(0);
    });
  });
});
