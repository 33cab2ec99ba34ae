// Publishable keys are limited by the gateway's request limiter (window counts in Redis, in memory
// while Redis cannot answer), like every other limit: the per-IP budget is shared by all
// gateways. A per-process window let each gateway grant the whole budget again.
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';
import { createTestContext, type TestContext } from '../support/test-context';

const SHOP = 'https://shop.example.com';

describe('the publishable-key limit across gateways', () => {
  let ctx: TestContext;
  let gateways: Harness[];
  let pk: string;

  beforeAll(async () => {
    ctx = await createTestContext({ PUBLISHABLE_RATE_PER_MINUTE: '3' });
    await seedServing(ctx.db);
    pk = (await createApiKey(ctx.db.pool, 'publishable', 'widget', [SHOP])).key;
    gateways = [await startGateway(ctx), await startGateway(ctx)];
  });
  afterAll(async () => {
    for (const g of gateways) await g.close();
    await ctx.close();
  });

  const ask = async (g: Harness) => {
    const res = await fetch(`${g.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SHOP, authorization: `Bearer ${pk}` },
      body: JSON.stringify({ query: '{ popularItems(limit: 1) { source } }' }),
    });
    return { status: res.status, body: (await res.json()) as { errors?: { extensions?: { code?: string } }[] } };
  };

  it('counts one address once, whichever gateway it reaches', async () => {
    const statuses: number[] = [];
    for (const g of [gateways[0]!, gateways[1]!, gateways[0]!, gateways[1]!]) statuses.push((await ask(g)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await ask(gateways[0]!);
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
  }, 60_000);
});
