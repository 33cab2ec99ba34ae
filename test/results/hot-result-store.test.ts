import { HotCache, HotResultStore, PostgresResultStore } from '../../src/results';
import { createLogger } from '../../src/infra/logger';
import { createRedis } from '../../src/infra/redis';
import { CatalogRepository } from '../../src/serving/catalog-repository';
import { createTestContext, type TestContext } from '../support/test-context';
import { describeResultStoreContract } from './result-store.contract';

let ctx: TestContext;
let redis: ReturnType<typeof createRedis>;
describeResultStoreContract(
  'HotResultStore over PostgresResultStore',
  async () => {
    ctx = await createTestContext();
    redis = createRedis(ctx.config, 'request');
    const hot = new HotCache(redis, ctx.config.redis.prefix, 60, createLogger({ logLevel: 'silent' }));
    if (!(await hot.waitUntilReady(5_000))) throw new Error('Redis is not reachable');
    return {
      ctx,
      store: new HotResultStore(hot, new PostgresResultStore(ctx.db.pool, new CatalogRepository(ctx.db.pool))),
    };
  },
  async () => {
    redis.disconnect();
    await ctx.close();
  },
);
