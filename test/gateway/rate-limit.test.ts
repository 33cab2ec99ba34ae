// Per-key and per-IP limits: over the limit a request is answered 429 with Retry-After and a
// RATE_LIMITED GraphQL error; with Redis unreachable the in-memory limiter still counts.
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createRedis } from '../../src/infra/redis';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';

const QUERY = `{ popularItems(limit: 1) { source } }`;

describe('rate limits', () => {
  describe('with Redis', () => {
    let ctx: TestContext;
    let h: Harness;
    let key: string;

    beforeAll(async () => {
      // A long window: the counts cannot roll over between two requests of the test.
      ctx = await createTestContext({
        RATE_LIMIT_PER_IP: '5',
        RATE_LIMIT_PER_KEY: '3',
        RATE_LIMIT_WINDOW_SECONDS: '600',
      });
      await seedServing(ctx.db);
      key = (await createApiKey(ctx.db.pool, 'read', 'limited')).key;
      h = await startGateway(ctx);
    });
    afterAll(async () => {
      await h.close();
      await ctx.close();
    });

    it('answers an address over its limit 429 with Retry-After and RATE_LIMITED, cached answers included', async () => {
      for (let i = 0; i < 5; i++) expect((await h.gql(QUERY)).status).toBe(200);
      const refused = await h.gql(QUERY);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(refused.body.errors?.[0]?.extensions?.['retryAfterSeconds']).toBeGreaterThanOrEqual(1);
      // The ops routes are not counted.
      expect((await h.get('/health')).status).toBe(200);
      expect(await h.get('/metrics').then((r) => r.text)).toMatch(/recs_rate_limited_total\{scope="ip"\} [1-9]/);
    });

    it('counts a valid key on its own, and made-up keys against the address', async () => {
      expect((await h.gql(QUERY, {}, 'rk_made-up-key')).status).toBe(429);
      const states = [];
      for (let i = 0; i < 4; i++) states.push((await h.gql(QUERY, {}, key)).status);
      expect(states).toEqual([200, 200, 200, 429]);
    });
  });

  describe('with Redis unreachable', () => {
    let ctx: TestContext;
    let h: Harness;

    beforeAll(async () => {
      ctx = await createTestContext({
        RATE_LIMIT_PER_IP: '3',
        RATE_LIMIT_WINDOW_SECONDS: '600',
      });
      await seedServing(ctx.db);
      // The gateway's request-path Redis points where nothing listens: every command fails at once.
      h = await startGateway(ctx, {
        redis: createRedis({ redis: { ...ctx.config.redis, url: 'redis://127.0.0.1:1' } }, 'request'),
      });
    });
    afterAll(async () => {
      await h.close();
      await ctx.close();
    });

    it('still limits each address from memory', async () => {
      const states = [];
      for (let i = 0; i < 4; i++) states.push((await h.gql(QUERY)).status);
      expect(states).toEqual([200, 200, 200, 429]);
    });
  });
});
