// Session-aware re-ranking through the gateway, on real PostgreSQL and Redis: an acknowledged
// event shows in the very next request (no waiting: the state is written before the ack), a
// purchase leaves the list, an anonymous session gets session-based items after one event, the
// response cache never serves the list an event changed (in this gateway at once, in a second
// one through the broadcast), the per-subject and total caps hold, and Redis down serves the batch.
import { Redis } from 'ioredis';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createRedis } from '../../src/infra/redis';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { scored, seedServing } from '../support/serving-fixtures';
import { startTcpProxy } from '../support/tcp-proxy';

interface Item {
  product: { id: string };
  source: string;
  reason: { kind: string; productIds: string[]; text: string };
}
const RECS = `query($userId: ID, $sessionId: ID, $limit: Int) { recommendations(userId: $userId, sessionId: $sessionId, limit: $limit) { source items { product { id } source reason { kind productIds text } } } }`;
const ids = (l: { items: Item[] }) => l.items.map((i) => i.product.id);
const RECORD = `mutation($events: [EventInput!]!) { recordEvents(events: $events) { accepted } }`;

async function seedNeighbours(ctx: TestContext): Promise<void> {
  await ctx.db.pool.query(
    `INSERT INTO offline_similar_items (product_id, similar_products, recipe_name) VALUES ('p50', $1, 'similar-items')`,
    [JSON.stringify(scored(['p51', 'p52', 'p53']))],
  );
}

describe('session-aware re-ranking through the gateway', () => {
  let ctx: TestContext;
  let h: Harness;
  let ingest: string;

  const recs = async (gw: Harness, variables: Record<string, unknown>) => {
    const r = await gw.gql<{ recommendations: { source: string; items: Item[] } }>(RECS, { limit: 5, ...variables });
    expect(r.body.errors).toBeUndefined();
    return r.body.data!.recommendations;
  };
  const record = async (events: Record<string, unknown>[]) => {
    const r = await h.gql<{ recordEvents: { accepted: number } }>(RECORD, { events }, ingest);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.recordEvents.accepted).toBe(events.length);
  };

  beforeAll(async () => {
    ctx = await createTestContext({ REALTIME_MAX_EVENTS: '5' });
    await seedServing(ctx.db);
    await seedNeighbours(ctx);
    ingest = (await createApiKey(ctx.db.pool, 'ingest')).key;
    h = await startGateway(ctx);
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
  });

  it('reflects a view in the very next request, even when the list was cached, saying why', async () => {
    const before = await recs(h, { userId: 'c1' });
    expect(ids(before)).toEqual(['p1', 'p2', 'p3', 'p10', 'p11']);
    expect(ids(await recs(h, { userId: 'c1' }))).toEqual(ids(before)); // now a cached answer
    await record([{ userId: 'c1', productId: 'p50', eventType: 'view' }]);
    const after = await recs(h, { userId: 'c1' });
    expect(ids(after)[0]).toBe('p51');
    expect(after.items[0]).toMatchObject({
      source: 'REALTIME',
      reason: { kind: 'RECENT_ACTIVITY', productIds: ['p50'], text: 'Because you viewed Product 50 just now' },
    });
    expect(ids(after)).toEqual(expect.arrayContaining(['p52', 'p1']));
  });

  it('removes a product bought since the batch', async () => {
    expect(ids(await recs(h, { userId: 'c2' }))).toContain('p21');
    await record([{ userId: 'c2', productId: 'p21', eventType: 'purchase' }]);
    expect(ids(await recs(h, { userId: 'c2' }))).not.toContain('p21');
  });

  it('gives an anonymous session session-based items after one event instead of plain popularity', async () => {
    const before = await recs(h, { sessionId: 'visit-1' });
    expect(before.items.every((i) => i.source === 'POPULAR')).toBe(true);
    await record([{ userId: 'anon-1', sessionId: 'visit-1', productId: 'p50', eventType: 'view' }]);
    const after = await recs(h, { sessionId: 'visit-1' });
    expect(ids(after).slice(0, 3)).toEqual(['p51', 'p52', 'p53']);
    expect(after.source).toBe('REALTIME');
  });

  it('keeps at most REALTIME_MAX_EVENTS events per subject', async () => {
    await record(Array.from({ length: 8 }, (_, i) => ({ userId: 'c3', productId: `p${i + 1}`, eventType: 'view' })));
    const redis = new Redis(ctx.config.redis.url);
    try {
      expect(await redis.llen(h.gateway.services.activity!.keyOf('u:c3'))).toBe(5);
    } finally {
      redis.disconnect();
    }
  });

  it('drops the cached answer in a second gateway once the event is broadcast', async () => {
    const h2 = await startGateway(ctx);
    try {
      const before = ids(await recs(h2, { userId: 'c1', limit: 3 }));
      expect(ids(await recs(h2, { userId: 'c1', limit: 3 }))).toEqual(before);
      await record([{ userId: 'c1', productId: 'p1', eventType: 'purchase' }]);
      // Cross-process: the broadcast is asynchronous, so this polls (with a deadline) instead of sleeping.
      const deadline = Date.now() + 10_000;
      let now = before;
      while (now.includes('p1') && Date.now() < deadline) now = ids(await recs(h2, { userId: 'c1', limit: 3 }));
      expect(now).not.toContain('p1');
    } finally {
      await h2.close();
    }
  });
});

describe('re-ranking limits and outages', () => {
  it('holds at most REALTIME_MAX_SUBJECTS subjects in total (the least recently active go)', async () => {
    const ctx = await createTestContext({ REALTIME_MAX_SUBJECTS: '3' });
    const h = await startGateway(ctx);
    const redis = new Redis(ctx.config.redis.url);
    try {
      const key = (await createApiKey(ctx.db.pool, 'ingest')).key;
      for (const user of ['a', 'b', 'c', 'd', 'e'])
        await h.gql(RECORD, { events: [{ userId: user, productId: 'p1', eventType: 'view' }] }, key);
      const activity = h.gateway.services.activity!;
      expect(await redis.zrange(activity.indexKey, 0, -1)).toEqual(['u:c', 'u:d', 'u:e']);
      expect(await redis.exists(activity.keyOf('u:a'), activity.keyOf('u:b'))).toBe(0);
    } finally {
      redis.disconnect();
      await h.close();
      await ctx.close();
    }
  });

  it('serves the batch list, without errors, while Redis is down, and accepts events', async () => {
    const ctx = await createTestContext();
    await seedServing(ctx.db);
    await seedNeighbours(ctx);
    const url = new URL(ctx.config.redis.url);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    const config = { ...ctx.config, redis: { ...ctx.config.redis, url: proxy.url } };
    const h = await startGateway(ctx, { config, redis: createRedis(config, 'request') });
    try {
      const key = (await createApiKey(ctx.db.pool, 'ingest')).key;
      const batch = await h.gql<{ recommendations: { items: Item[] } }>(RECS, { userId: 'c1', limit: 5 });
      await h.gql(RECORD, { events: [{ userId: 'c1', productId: 'p50', eventType: 'view' }] }, key);
      const live = await h.gql<{ recommendations: { items: Item[] } }>(RECS, { userId: 'c1', limit: 5 });
      expect(ids(live.body.data!.recommendations)[0]).toBe('p51');
      proxy.down();
      const r = await h.gql<{ recordEvents: { accepted: number } }>(
        RECORD,
        { events: [{ userId: 'c1', productId: 'p52', eventType: 'view' }] },
        key,
      );
      expect(r.body.data?.recordEvents.accepted).toBe(1);
      const during = await h.gql<{ recommendations: { items: Item[] } }>(RECS, { userId: 'c1', limit: 5 });
      expect(during.body.errors).toBeUndefined();
      expect(ids(during.body.data!.recommendations)).toEqual(ids(batch.body.data!.recommendations));
    } finally {
      proxy.up();
      await h.close();
      await proxy.close();
      await ctx.close();
    }
  });

  it('with REALTIME_RERANKING=false serves the batch list whatever the events', async () => {
    const ctx = await createTestContext({ REALTIME_RERANKING: 'false' });
    await seedServing(ctx.db);
    await seedNeighbours(ctx);
    const h = await startGateway(ctx);
    try {
      const key = (await createApiKey(ctx.db.pool, 'ingest')).key;
      const before = await h.gql<{ recommendations: { items: Item[] } }>(RECS, { userId: 'c1', limit: 5 });
      await h.gql(
        RECORD,
        {
          events: [
            { userId: 'c1', productId: 'p50', eventType: 'view' },
            { userId: 'c1', productId: 'p1', eventType: 'purchase' },
          ],
        },
        key,
      );
      h.gateway.services.responseCache.clear();
      const after = await h.gql<{ recommendations: { items: Item[] } }>(RECS, { userId: 'c1', limit: 5 });
      expect(after.body).toEqual(expect.objectContaining({ data: before.body.data }));
    } finally {
      await h.close();
      await ctx.close();
    }
  });
});
