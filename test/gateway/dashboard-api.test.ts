import { checkAlerts } from '../../src/alerts/check-alerts';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';

describe('the API the dashboard reads and writes', () => {
  let ctx: TestContext;
  let gw: Harness;
  let admin: string;
  let read: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedServing(ctx.db);
    admin = (await createApiKey(ctx.db.pool, 'admin')).key;
    read = (await createApiKey(ctx.db.pool, 'read')).key;
    gw = await startGateway(ctx, { authCacheMs: 0 });
  });
  afterAll(async () => {
    await gw.close();
    await ctx.close();
  });

  it('needs a key for operator reads even when reads are open', async () => {
    for (const q of [`{ systemStatus { engine } }`, `{ healthHistory { coverage } }`, `{ modelVersions { id } }`]) {
      expect((await gw.gql(q)).body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect((await gw.gql(q, {}, read)).body.errors).toBeUndefined();
    }
    expect((await gw.gql(`{ apiKeys { id } }`, {}, read)).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('keeps coverage and freshness over time, one snapshot per alert check, oldest first', async () => {
    await checkAlerts(ctx.db);
    await ctx.db.pool.query(`UPDATE health_snapshots SET taken_at = now() - interval '2 days'`);
    await checkAlerts(ctx.db);
    await ctx.db.pool.query(
      `INSERT INTO health_snapshots (taken_at, coverage_percent, freshness_days, batch_version, ordering_customers, customers_with_recommendations)
       VALUES (now() - interval '40 days', 10, 1, 0, 1, 1)`,
    );
    const r = await gw.gql<{ healthHistory: { takenAt: string; coverage: number; batchVersion: number }[] }>(
      `{ healthHistory(days: 30) { takenAt coverage freshnessDays batchVersion } }`,
      {},
      read,
    );
    const history = r.body.data!.healthHistory;
    expect(history).toHaveLength(2);
    expect(Date.parse(history[0]!.takenAt)).toBeLessThan(Date.parse(history[1]!.takenAt));
    // c1 and c2 ordered and both have cached recommendations.
    expect(history[1]).toMatchObject({ coverage: 100 });
    expect(history[1]!.batchVersion).toBeGreaterThan(0);
    expect((await gw.gql(`{ healthHistory(days: 0) { coverage } }`, {}, read)).body.errors![0]!.extensions!.code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('lists model versions newest first with metrics and parameters, and the configured recipes', async () => {
    await ctx.db.pool.query(
      `UPDATE model_versions SET params = '{"lambda": 250, "topK": 100}' WHERE recipe = 'similar-items'`,
    );
    const r = await gw.gql<{
      modelVersions: { id: string; recipe: string; parameters: { name: string; value: string }[] }[];
    }>(
      `{ modelVersions(first: 10) { id recipe metrics { name value } parameters { name value } } systemStatus { recipes } }`,
      {},
      read,
    );
    const versions = r.body.data!.modelVersions;
    expect(versions.map((v) => Number(v.id))).toEqual([...versions.map((v) => Number(v.id))].sort((a, b) => b - a));
    expect(versions.find((v) => v.recipe === 'similar-items')!.parameters).toEqual([
      { name: 'lambda', value: '250' },
      { name: 'topK', value: '100' },
    ]);
    expect((r.body.data as unknown as { systemStatus: { recipes: string[] } }).systemStatus.recipes).toContain(
      'user-personalization',
    );
  });

  it("shows a customer's orders with lines and recorded events, newest first", async () => {
    await ctx.db.pool.query(`UPDATE orders SET ordered_at = now() - interval '1 day' WHERE id = 'o1'`);
    await ctx.db.pool.query(
      `INSERT INTO events (event_id, user_id, product_id, event_type, occurred_at, source) VALUES
        ('e1', 'c1', 'p5', 'view', now() - interval '1 hour', 'api'), ('e2', 'c1', 'p6', 'cart', now(), 'api')`,
    );
    const r = await gw.gql<{
      customer: {
        orders: { id: string; lines: { product: { id: string }; quantity: number }[] }[];
        events: { eventId: string }[];
      };
    }>(
      `{ customer(id: "c1") { orders { id lines { product { id name } quantity unitPrice eventType } } events { eventId eventType product { id } } } }`,
      {},
      read,
    );
    expect(r.body.errors).toBeUndefined();
    const c = r.body.data!.customer;
    expect(c.orders.map((o) => o.id)).toEqual(['o2', 'o1']);
    expect(c.orders[1]!.lines.map((l) => [l.product.id, l.quantity])).toEqual([
      ['p1', 2],
      ['p2', 1],
    ]);
    expect(c.events.map((e) => e.eventId)).toEqual(['e2', 'e1']);
    expect((await gw.gql(`{ customer(id: "c1") { orders { id } } }`)).body.errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it("gives a product's rank in every popularity list that holds it", async () => {
    const r = await gw.gql<{ product: { popularity: unknown[] } }>(
      `{ product(id: "p4") { popularity { scope scopeValue rank score } } }`,
    );
    expect(r.body.data!.product.popularity).toEqual([
      { scope: 'category', scopeValue: 'Shoes', rank: 2, score: expect.any(Number) as unknown },
      { scope: 'global', scopeValue: null, rank: 4, score: expect.any(Number) as unknown },
    ]);
  });

  it('previews cron expressions and lists the next fires of each schedule', async () => {
    const ok = await gw.gql<{ cronPreview: { valid: boolean; nextFires: string[] } }>(
      `{ cronPreview(cron: "0 2 1,15 * *", count: 3) { valid error nextFires } }`,
      {},
      read,
    );
    const fires = ok.body.data!.cronPreview.nextFires;
    expect(ok.body.data!.cronPreview.valid).toBe(true);
    expect(fires).toHaveLength(3);
    for (const f of fires) expect(f).toMatch(/^\d{4}-\d\d-(01|15)T02:00:00\.000Z$/);
    const bad = await gw.gql<{ cronPreview: { valid: boolean; error: string; nextFires: string[] } }>(
      `{ cronPreview(cron: "0 2 * *") { valid error nextFires } }`,
      {},
      read,
    );
    expect(bad.body.data!.cronPreview).toMatchObject({ valid: false, nextFires: [] });
    expect(bad.body.data!.cronPreview.error).toContain('5 or 6 fields');
  });

  it('creates a key whose secret is shown once, lists keys without secrets, and revokes with userErrors', async () => {
    const made = await gw.gql<{ createApiKey: { apiKey: { id: string; role: string }; secret: string } }>(
      `mutation { createApiKey(input: { role: "ingest", name: "shop" }) { apiKey { id role name prefix } secret userErrors { field message code } } }`,
      {},
      admin,
    );
    const { apiKey, secret } = made.body.data!.createApiKey;
    expect(apiKey.role).toBe('ingest');
    expect(secret).toMatch(/^rk_/);
    const listed = await gw.gql(`{ apiKeys { id name role prefix revokedAt } }`, {}, admin);
    expect(JSON.stringify(listed.body.data)).not.toContain(secret);
    expect(JSON.stringify(listed.body.data)).toContain(secret.slice(0, 11));

    const badRole = await gw.gql<{ createApiKey: { apiKey: null; userErrors: unknown[] } }>(
      `mutation { createApiKey(input: { role: "root" }) { apiKey { id } secret userErrors { field message code } } }`,
      {},
      admin,
    );
    expect(badRole.body.data!.createApiKey).toMatchObject({
      apiKey: null,
      userErrors: [{ field: ['input', 'role'], code: 'INVALID' }],
    });

    const revoked = await gw.gql<{ revokeApiKey: { apiKey: { revokedAt: string } } }>(
      `mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { id revokedAt } userErrors { code } } }`,
      { id: apiKey.id },
      admin,
    );
    expect(revoked.body.data!.revokeApiKey.apiKey.revokedAt).not.toBeNull();
    const missing = await gw.gql(
      `mutation { revokeApiKey(id: "999999") { apiKey { id } userErrors { field code } } }`,
      {},
      admin,
    );
    expect(missing.body.data).toEqual({
      revokeApiKey: { apiKey: null, userErrors: [{ field: ['id'], code: 'NOT_FOUND' }] },
    });
    expect(
      (await gw.gql(`mutation { revokeApiKey(id: "1") { userErrors { code } } }`, {}, read)).body.errors![0]!
        .extensions!.code,
    ).toBe('FORBIDDEN');
  });
});
