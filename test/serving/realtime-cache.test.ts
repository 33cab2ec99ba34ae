// The response cache and recent activity, through two gateways on real PostgreSQL and Redis: a
// re-ranked answer is cached and reused until an event of its subject, and an event recorded
// through one gateway shows in the very next request to the other even when that one holds a
// cached answer and its broadcast is held back (the copy is checked against the subject's activity
// version in Redis). A lost subscription is counted and logged; a shutdown is not a loss.
import type { Writable } from 'node:stream';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createLogger } from '../../src/infra/logger';
import { createRedis } from '../../src/infra/redis';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { scored, seedServing } from '../support/serving-fixtures';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

interface Item {
  product: { id: string };
  source: string;
}
const RECS = `query($userId: ID, $limit: Int) { recommendations(userId: $userId, limit: $limit) { items { product { id } source } } }`;
const RECORD = `mutation($events: [EventInput!]!) { recordEvents(events: $events) { accepted } }`;

/** Log lines written at warn or above (pino JSON), for the loss messages. */
function logSink(): { stream: Writable; warnings: () => string[] } {
  const lines: string[] = [];
  const stream = {
    write(line: string) {
      lines.push(line);
      return true;
    },
  } as unknown as Writable;
  const warnings = () =>
    lines
      .filter((l) => (JSON.parse(l) as { level: number }).level >= 40)
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
  return { stream, warnings };
}

describe('response cache with recent activity across two gateways', () => {
  let ctx: TestContext;
  let h1: Harness;
  let h2: Harness;
  let proxy: TcpProxy;
  let ingest: string;
  const sink = logSink();

  const recs = async (gw: Harness, userId: string) => {
    const r = await gw.gql<{ recommendations: { items: Item[] } }>(RECS, { userId, limit: 5 });
    expect(r.body.errors).toBeUndefined();
    return r.body.data!.recommendations.items.map((i) => i.product.id);
  };
  const record = async (userId: string, productId: string, eventType: string) => {
    const r = await h1.gql<{ recordEvents: { accepted: number } }>(
      RECORD,
      { events: [{ userId, productId, eventType }] },
      ingest,
    );
    expect(r.body.data?.recordEvents.accepted).toBe(1);
  };
  const hits = (gw: Harness) => gw.gateway.services.responseCache.stats.hits;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedServing(ctx.db);
    await ctx.db.pool.query(
      `INSERT INTO offline_similar_items (product_id, similar_products, recipe_name)
       VALUES ('p50', $1, 'similar-items'), ('p45', $2, 'similar-items')`,
      [JSON.stringify(scored(['p51', 'p52', 'p53'])), JSON.stringify(scored(['p46', 'p47']))],
    );
    ingest = (await createApiKey(ctx.db.pool, 'ingest')).key;
    h1 = await startGateway(ctx);
    // The second gateway's subscription goes through a proxy the test can hold or cut; its
    // request reads (activity, versions, hot layer) go straight to Redis.
    const url = new URL(ctx.config.redis.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    const config = { ...ctx.config, redis: { ...ctx.config.redis, url: proxy.url } };
    h2 = await startGateway(ctx, {
      config,
      redis: createRedis(ctx.config, 'request'),
      logger: createLogger({ logLevel: 'info' }, 'gateway', sink.stream),
    });
  });
  afterAll(async () => {
    await h2.close();
    await h1.close();
    await proxy.close();
    await ctx.close();
  });

  it('caches a re-ranked answer and reuses it until an event of its subject', async () => {
    await record('c1', 'p50', 'view');
    const reranked = await recs(h1, 'c1');
    expect(reranked[0]).toBe('p51');
    const before = hits(h1);
    expect(await recs(h1, 'c1')).toEqual(reranked);
    expect(hits(h1)).toBe(before + 1);
    await record('c1', 'p45', 'cart');
    const after = await recs(h1, 'c1');
    expect(after).toEqual(expect.arrayContaining(['p46']));
    expect(hits(h1)).toBe(before + 1);
  });

  it('shows an event recorded through one gateway in the very next request to the other, broadcast held back', async () => {
    // c2 without activity (a plain cached answer), c3 with activity (a re-ranked cached answer).
    await record('c3', 'p50', 'view');
    const plain = await recs(h2, 'c2');
    const reranked = await recs(h2, 'c3');
    const before = hits(h2);
    expect(await recs(h2, 'c2')).toEqual(plain);
    expect(await recs(h2, 'c3')).toEqual(reranked);
    expect(hits(h2)).toBe(before + 2);
    expect(plain).toContain('p21');
    proxy.pause();
    try {
      await record('c2', 'p21', 'purchase');
      await record('c3', 'p45', 'view');
      // No waiting: h2 has not heard of either event, and its cached copies are there.
      expect(await recs(h2, 'c2')).not.toContain('p21');
      expect(await recs(h2, 'c3')).toEqual(expect.arrayContaining(['p46']));
      expect(hits(h2)).toBe(before + 2);
    } finally {
      proxy.resume();
    }
  });

  it('counts and logs a lost subscription, keeps serving correctly meanwhile, and logs nothing at shutdown', async () => {
    const metric = async () => {
      const text = (await h2.get('/metrics')).text;
      return Number(/^recs_activity_subscription_losses_total (\d+)/m.exec(text)?.[1]);
    };
    expect(await metric()).toBe(0);
    proxy.down();
    // The close reaches h2's client asynchronously: wait for the count (bounded), no sleep.
    const deadline = Date.now() + 10_000;
    while ((await metric()) === 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(await metric()).toBe(1);
    expect(sink.warnings().filter((m) => m.startsWith('recent-activity subscription lost'))).toHaveLength(1);
    const cached = await recs(h2, 'c1');
    await record('c1', 'p1', 'purchase');
    expect(cached).toContain('p1');
    expect(await recs(h2, 'c1')).not.toContain('p1');
    proxy.up();

    const quiet = logSink();
    const h3 = await startGateway(ctx, { logger: createLogger({ logLevel: 'info' }, 'gateway', quiet.stream) });
    await recs(h3, 'c1');
    await h3.close();
    expect(quiet.warnings().filter((m) => m.includes('recent-activity'))).toEqual([]);
  });
});
