// A hung PostgreSQL (connected, silent: a frozen TCP proxy in front of the real server) must cost a
// request a bounded time: a degraded answer from Redis where the hot layer has it, else a coded
// SERVICE_UNAVAILABLE. Without the request pool's bounds every one of these requests hangs forever.
import { Redis } from 'ioredis';
import { createApiKey, revokeApiKey } from '../../src/gateway/auth/api-keys';
import { Authenticator } from '../../src/gateway/auth/authenticator';
import { createLogger } from '../../src/infra/logger';
import { batchVersionKey } from '../../src/results';
import { createDatabase, type Database } from '../../src/db/database';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing, type ServingFixture } from '../support/serving-fixtures';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { waitFor, within } from '../support/wait-for';

const LIST = `query($u: ID!) { recommendations(userId: $u, limit: 3) { items { product { id } } source } }`;
type List = { recommendations: { items: { product: { id: string } }[]; source: string } };

describe('PostgreSQL hung behind a frozen proxy', () => {
  let ctx: TestContext;
  let fx: ServingFixture;
  let proxy: TcpProxy;
  let db: Database;
  let h: Harness;

  beforeAll(async () => {
    ctx = await createTestContext({
      PG_CONNECT_TIMEOUT_MS: '1000',
      PG_STATEMENT_TIMEOUT_MS: '1000',
      PG_LOCK_TIMEOUT_MS: '500',
      PG_QUERY_TIMEOUT_MS: '1000',
    });
    fx = await seedServing(ctx.db);
    const real = new URL(ctx.config.database.url);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) }, 'postgresql');
    const proxied = new URL(ctx.config.database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    db = createDatabase(
      { database: { ...ctx.config.database, url: proxied.toString() } },
      { max: 2, requestPath: true },
    );
    const redis = new Redis(ctx.config.redis.url);
    await redis.set(batchVersionKey(ctx.config.redis.prefix), String(fx.batchVersion));
    redis.disconnect();
    h = await startGateway({ ...ctx, db }, { responseCacheEntries: 0 });
  });
  afterAll(async () => {
    await h.close();
    proxy.resume();
    await proxy.close();
    await db.pool.end().catch(() => undefined);
    await ctx.close();
  });

  it('answers hot requests from Redis and the rest with SERVICE_UNAVAILABLE, each within a bound', async () => {
    const warm = await h.gql<List>(LIST, { u: 'c1' });
    expect(warm.body.errors).toBeUndefined();
    await h.gql<List>(LIST, { u: 'nobody' }); // warms the global popular list
    await new Promise((r) => setTimeout(r, 200)); // hot writes are not on the response path

    proxy.pause();

    const hot = await within('a hot recommendation', h.gql<List>(LIST, { u: 'c1' }));
    expect(hot.body.errors).toBeUndefined();
    expect(hot.body.data!.recommendations.items.map((i) => i.product.id)).toEqual(['p1', 'p2', 'p3']);

    // Twice: the first waits on a pooled connection's unanswered query, later ones on new connects.
    for (let i = 0; i < 2; i++) {
      const product = await within('a product lookup', h.gql(`{ product(id: "p1") { id } }`));
      expect(product.body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
    }
    const cold = await within('a cold recommendation', h.gql<List>(LIST, { u: 'c2' }));
    expect(cold.body.errors).toBeUndefined();
    expect(cold.body.data!.recommendations.source).toBe('POPULAR');
    // The client is told the list stands in for the customer's own; the hot answer was whole.
    expect((cold.body as { extensions?: { degraded?: boolean } }).extensions?.degraded).toBe(true);
    expect((hot.body as { extensions?: { degraded?: boolean } }).extensions?.degraded).toBeUndefined();

    const ready = await within('/ready', h.get('/ready'));
    const body = JSON.parse(ready.text) as { degraded: { dependency: string; since: string; reason: string }[] };
    expect(body).toMatchObject({ status: 'degraded', checks: { postgres: { ok: false } } });
    // Which dependency, since when, why (the batch's age cannot be read without PostgreSQL either).
    expect(body.degraded.map((d) => d.dependency)).toContain('postgres');
    expect(Number.isNaN(Date.parse(body.degraded[0]!.since))).toBe(false);
  }, 120_000);

  it('tells a key it cannot check SERVICE_UNAVAILABLE, never UNAUTHENTICATED', async () => {
    // Made on the real server (not through the proxy): the key is valid, only the check is hung.
    const { key } = await createApiKey(ctx.db.pool, 'ingest', 'hung check');
    proxy.pause();
    const record = `mutation($e: [EventInput!]!) { recordEvents(events: $e) { accepted } }`;
    const events = [{ userId: 'c1', productId: 'p1', eventType: 'view', eventId: 'hung-check-1' }];
    const res = await within('recordEvents with an unchecked key', h.gql(record, { e: events }, key));
    expect(res.body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.status).not.toBe(401);
    proxy.resume();
  }, 120_000);

  it("keeps a known key's last answer while its re-check fails, and sees a revocation once PostgreSQL answers", async () => {
    const { key, info } = await createApiKey(ctx.db.pool, 'read', 'storefront during a hang');
    // No cache time: every call re-checks, so only a failing database keeps the last answer.
    const auth = new Authenticator(db.pool, createLogger(ctx.config), 0);
    expect(await auth.authenticate(key)).toMatchObject({ kind: 'key', role: 'read' });
    proxy.pause();
    for (let i = 0; i < 3; i++)
      expect(await within('a key re-check', auth.authenticate(key))).toMatchObject({ kind: 'key', role: 'read' });
    // A key never seen cannot be vouched for: its check fails (the gateway answers SERVICE_UNAVAILABLE).
    const unseen = (await createApiKey(ctx.db.pool, 'read', 'unseen')).key;
    await expect(within('an unseen key', auth.authenticate(unseen))).rejects.toThrow();
    await revokeApiKey(ctx.db.pool, String(info.id));
    proxy.resume();
    await waitFor('the revocation seen', async () => (await auth.authenticate(key)).kind === 'invalid', 30_000);
  }, 120_000);
});
