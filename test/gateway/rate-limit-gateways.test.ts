// The request limits hold across gateways: two gateways over one Redis (each with its own limiter,
// Redis connection and leases, as two `recs serve` processes have) admit no more than the limit
// between them, and refuse at most 1.5 leases per other gateway early (rate-allowance.ts).
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';

const QUERY = `{ popularItems(limit: 1) { source } }`;
const PER_IP = 400;
/** 1% of the limit (LeasedWindow's lease). */
const LEASE = 4;

describe('rate limits across two gateways', () => {
  let ctx: TestContext;
  let a: Harness;
  let b: Harness;
  let key: string;

  beforeAll(async () => {
    // A long window: the counts cannot roll over during the test.
    ctx = await createTestContext({
      RATE_LIMIT_PER_IP: String(PER_IP),
      RATE_LIMIT_PER_KEY: '3',
      RATE_LIMIT_WINDOW_SECONDS: '600',
    });
    await seedServing(ctx.db);
    key = (await createApiKey(ctx.db.pool, 'read', 'shared')).key;
    a = await startGateway(ctx);
    b = await startGateway(ctx);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await ctx.close();
  });

  it('holds a small limit exactly: a key of 3 requests gets 3 between both gateways', async () => {
    const states = [];
    for (let i = 0; i < 6; i++) states.push((await (i % 2 ? b : a).gql(QUERY, {}, key)).status);
    expect(states).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it('admits an address at most its limit between both gateways, and at most 1.5 leases fewer', async () => {
    let admitted = 0;
    const refusedBy = new Set<Harness>();
    for (let i = 0; refusedBy.size < 2 && i < 2 * PER_IP; i++) {
      const gateway = i % 2 ? b : a;
      const { status } = await gateway.gql(QUERY);
      if (status === 200) {
        // Once refused, a gateway refuses for the rest of the window.
        expect(refusedBy.has(gateway)).toBe(false);
        admitted += 1;
      } else {
        expect(status).toBe(429);
        refusedBy.add(gateway);
      }
    }
    expect(refusedBy.size).toBe(2);
    expect(admitted).toBeLessThanOrEqual(PER_IP);
    expect(admitted).toBeGreaterThanOrEqual(PER_IP - 1.5 * LEASE);
    // Both keep refusing.
    expect((await a.gql(QUERY)).status).toBe(429);
    expect((await b.gql(QUERY)).status).toBe(429);
  });
});
