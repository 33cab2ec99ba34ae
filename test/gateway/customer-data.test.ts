// Customer data needs a secret API key whatever READ_AUTH says: customer(id) (city, spend,
// orders), usersForItem (who is likely to buy), and excludeInteracted (comparing a list with and
// without it shows what a customer bought). Open reads stay open for everything else.
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';

const CUSTOMER_DATA = [
  `{ customer(id: "c1") { city totalSpend orderCount } }`,
  `{ usersForItem(productId: "p1") { users { userId } } }`,
  `{ recommendations(userId: "c1", filter: { excludeInteracted: true }) { items { product { id } } } }`,
];

describe('customer data under READ_AUTH=open', () => {
  let ctx: TestContext;
  let h: Harness;
  let readKey: string;

  beforeAll(async () => {
    ctx = await createTestContext({ READ_AUTH: 'open' });
    await seedServing(ctx.db);
    readKey = (await createApiKey(ctx.db.pool, 'read', 'back office')).key;
    h = await startGateway(ctx);
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
  });

  it.each(CUSTOMER_DATA)('refuses %s without a key (401, UNAUTHENTICATED, no data)', async (query) => {
    const r = await h.gql(query);
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Nullable fields answer null beside the error: nothing of the customer's shows.
    expect(Object.values(r.body.data ?? {}).every((v) => v === null)).toBe(true);
  });

  it.each(CUSTOMER_DATA)('serves %s to a read key', async (query) => {
    const r = await h.gql(query, {}, readKey);
    expect(r.body.errors).toBeUndefined();
  });

  it('still serves the open reads without a key', async () => {
    const r = await h.gql(`{ recommendations(userId: "c1", limit: 2) { items { product { id } } } }`);
    expect(r.body.errors).toBeUndefined();
  });

  it('never hands a keyed usersForItem answer to an anonymous caller from the response cache', async () => {
    const query = `{ usersForItem(productId: "p1") { users { userId } } }`;
    expect((await h.gql(query, {}, readKey)).body.errors).toBeUndefined();
    expect((await h.gql(query, {}, readKey)).body.errors).toBeUndefined();
    expect((await h.gql(query)).status).toBe(401);
  });

  it('refuses exclude_interacted on the REST endpoint without a key', async () => {
    const res = await fetch(`${h.url}/api/v1/personalize/recommendations/c1?exclude_interacted=true`);
    expect(res.status).toBe(401);
  });
});
