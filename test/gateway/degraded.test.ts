import { Redis } from 'ioredis';
import { batchVersionKey } from '../../src/results';
import { createDatabase } from '../../src/db/database';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { deleteRedisPrefix } from '../../src/infra/redis-prefix';
import { isDatabaseUnavailable } from '../../src/serving/database-unavailable';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway } from '../support/gateway-harness';
import { seedServing, type ServingFixture } from '../support/serving-fixtures';

const LIST = `query($u: ID!) { recommendations(userId: $u, limit: 3) { items { product { id name } source } source modelVersion } }`;
type List = {
  recommendations: {
    items: { product: { id: string }; source: string }[];
    source: string;
    modelVersion: string | null;
  };
};

/** Well-formed, so the gateway tries to look it up (and cannot, with PostgreSQL down). */
const UNCHECKABLE_KEY = `rk_${'x'.repeat(30)}`;

describe('degraded operation', () => {
  let ctx: TestContext;
  let fx: ServingFixture;

  beforeAll(async () => {
    ctx = await createTestContext();
    fx = await seedServing(ctx.db);
  });
  afterAll(() => ctx.close());

  describe('Redis down', () => {
    it('serves from PostgreSQL and /ready says degraded', async () => {
      // A request client pointed at a port nobody listens on: every command fails at once.
      const deadRedis = new Redis('redis://127.0.0.1:1', {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        lazyConnect: true,
        retryStrategy: () => null,
      });
      deadRedis.on('error', () => undefined);
      const h = await startGateway(ctx, { redis: deadRedis });
      try {
        const r = await h.gql<List>(LIST, { u: 'c1' });
        expect(r.body.errors).toBeUndefined();
        expect(r.body.data!.recommendations.items.map((i) => i.product.id)).toEqual(['p1', 'p2', 'p3']);
        const ready = await h.get('/ready');
        expect(ready.status).toBe(200);
        expect(JSON.parse(ready.text)).toMatchObject({
          status: 'degraded',
          checks: { postgres: { ok: true }, redis: { ok: false } },
        });
        const admin = (await createApiKey(ctx.db.pool, 'admin')).key;
        const s = await h.gql<{ systemStatus: { redisAvailable: boolean } }>(
          `{ systemStatus { redisAvailable } }`,
          {},
          admin,
        );
        expect(s.body.data!.systemStatus.redisAvailable).toBe(false);
        const inv = await h.gql(`mutation { invalidateCache { removedKeys } }`, {}, admin);
        expect(inv.body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
        expect(inv.body.errors![0]!.message).toContain('hot layer could not be cleared');
      } finally {
        await h.close();
      }
    });
  });

  describe('PostgreSQL down', () => {
    it('still serves hot keys, falls back to hot popular lists, and /ready says degraded', async () => {
      const redis = new Redis(ctx.config.redis.url);
      await redis.set(batchVersionKey(ctx.config.redis.prefix), String(fx.batchVersion));
      redis.disconnect();
      const db = createDatabase(ctx.config, { max: 2 });
      const admin = (await createApiKey(ctx.db.pool, 'admin')).key;
      // No response cache: the hot layer alone must carry the load.
      const h = await startGateway({ ...ctx, db }, { responseCacheEntries: 0 });
      try {
        const warm = await h.gql<List>(LIST, { u: 'c1' });
        expect(warm.body.errors).toBeUndefined();
        await h.gql<List>(LIST, { u: 'nobody' }); // warms the global popular list
        await new Promise((r) => setTimeout(r, 100)); // hot writes are not on the response path

        await db.pool.end(); // PostgreSQL is gone for this gateway
        await h.gateway.refreshBatchVersion();

        const hot = await h.gql<List>(LIST, { u: 'c1' }, admin);
        expect(hot.body.errors).toBeUndefined();
        expect(hot.body.data!.recommendations.items.map((i) => i.product.id)).toEqual(['p1', 'p2', 'p3']);
        expect(hot.body.data!.recommendations.modelVersion).toBe(String(fx.modelVersions['user-personalization']));

        const cold = await h.gql<List>(LIST, { u: 'c2' });
        expect(cold.body.errors).toBeUndefined();
        expect(cold.body.data!.recommendations.source).toBe('POPULAR');

        const ready = await h.get('/ready');
        expect(ready.status).toBe(200);
        expect(JSON.parse(ready.text)).toMatchObject({
          status: 'degraded',
          checks: { postgres: { ok: false }, redis: { ok: true } },
        });

        const product = await h.gql(`{ product(id: "p1") { id } }`);
        expect(product.body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
        expect(product.body.errors![0]!.message).toContain('PostgreSQL is unavailable');
      } finally {
        await h.close();
      }
    });

    it('answers SERVICE_UNAVAILABLE when nothing for the request is hot', async () => {
      const db = createDatabase({
        database: { ...ctx.config.database, url: 'postgresql://postgres@127.0.0.1:1/postgres' },
      });
      const h = await startGateway(
        {
          ...ctx,
          db,
          config: { ...ctx.config, redis: { ...ctx.config.redis, prefix: `${ctx.config.redis.prefix}-empty` } },
        },
        { responseCacheEntries: 0 },
      );
      try {
        const r = await h.gql<List>(LIST, { u: 'c1' });
        expect(r.body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
        const product = await h.gql(`{ product(id: "p1") { id } }`);
        expect(product.body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
        // Customer data needs a key, and a key cannot be checked without PostgreSQL.
        const customer = await h.gql(`{ customer(id: "c1") { id } }`, {}, UNCHECKABLE_KEY);
        expect(customer.body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
        const ready = await h.get('/ready');
        expect((JSON.parse(ready.text) as { checks: { postgres: { ok: boolean } } }).checks.postgres.ok).toBe(false);
      } finally {
        await h.close();
        await db.pool.end();
        // Its own prefix: the test context removes only keys under its prefix and a colon.
        await deleteRedisPrefix(ctx.config.redis.url, `${ctx.config.redis.prefix}-empty`);
      }
    });
  });

  describe('isDatabaseUnavailable', () => {
    it('tells an unreachable server from a failing query', async () => {
      const down = createDatabase({
        database: { ...ctx.config.database, url: 'postgresql://postgres@127.0.0.1:1/postgres' },
      });
      const refused = await down.pool.query('SELECT 1').catch((err: unknown) => err);
      await down.pool.end();
      expect(isDatabaseUnavailable(refused)).toBe(true);
      const ended = await down.pool.query('SELECT 1').catch((err: unknown) => err);
      expect(isDatabaseUnavailable(ended)).toBe(true);
      const badSql = await ctx.db.pool.query('SELECT * FROM no_such_table').catch((err: unknown) => err);
      expect(isDatabaseUnavailable(badSql)).toBe(false);
      expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    });
  });
});
