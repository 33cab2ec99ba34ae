// rankItems answers from memory and the hot layer (docs/gateway.md, "rankItems"): the catalogue
// ranking knows the products, the customer's batch list comes from the hot layer, and the overall
// popular list is held per batch version, so a request makes no PostgreSQL statement once the
// customer's list is hot. Without a trained model it says so once per batch, not once per request.
import type { ServingRanker } from '../../src/engine/ranker';
import { createLogger } from '../../src/infra/logger';
import { startGateway, type Harness } from '../support/gateway-harness';
import { recordQueries } from '../support/query-recorder';
import { closeSeededGateway, openSeededGateway } from '../support/seeded-gateway';
import type { TestContext } from '../support/test-context';

interface Ranked {
  rankItems: { items: { product: { id: string }; score: number; source: string; rank: number }[]; source: string };
}
const RANK = `query Rank($userId: ID!, $productIds: [ID!]!) {
  rankItems(userId: $userId, productIds: $productIds) { items { product { id } score source rank } source }
}`;

/**
 * Statements the gateway's background timers send (batch version, unavailable products, the
 * experiments served every 5 s, the publishable keys' origins every 10 s: a window slowed on a
 * loaded machine can span those), not requests.
 */
const BACKGROUND =
  /cache_batches|status <> 'active'|erased_customers|FROM experiments WHERE status IN|AS origin FROM api_keys/;

/** A logger whose lines the test reads, at info level. */
function capturingLogger(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const logger = createLogger({ logLevel: 'info' }, 'test', {
    write(line: string) {
      lines.push(line);
    },
  });
  return { lines, logger };
}

// A ranker without a trained model (what LatestModelRanker is before the first run finishes).
const noModel: ServingRanker = { rank: () => Promise.resolve(null) };

describe('rankItems', () => {
  let ctx: TestContext;
  let h: Harness;

  beforeAll(async () => {
    ({ ctx, h } = await openSeededGateway());
  });
  afterAll(() => closeSeededGateway(h, ctx));

  const rank = async (harness: Harness, userId: string, productIds: string[]) => {
    const r = await harness.gql<Ranked>(RANK, { userId, productIds });
    expect(r.body.errors).toBeUndefined();
    return r.body.data!.rankItems;
  };

  it('makes no PostgreSQL statement per request once the customer’s list is hot, and logs no warning per request', async () => {
    const { lines, logger } = capturingLogger();
    // No response cache: every request below is executed, not replayed.
    const other = await startGateway(ctx, { ranker: noModel, logger, responseCacheEntries: 0 });
    try {
      await rank(other, 'c1', ['p1']); // the customer's list and the popular list reach the hot layer
      await rank(other, 'c3', ['p1']); // c3 has no list: remembered as such
      const recorded = recordQueries(ctx.db.pool);
      try {
        for (let i = 0; i < 20; i++) {
          await rank(other, i % 2 ? 'c1' : 'c3', [`p${(i % 60) + 1}`, `p${((i * 7) % 60) + 1}`, 'p2', 'p44']);
        }
      } finally {
        recorded.stop();
      }
      expect(recorded.sql.filter((s) => !BACKGROUND.test(s))).toEqual([]);
      const about = lines.filter((l) => /ranking model|ranker/.test(l));
      expect(about.length).toBeLessThanOrEqual(1);
      expect(lines.filter((l) => /"level":(40|50)/.test(l))).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('orders by the customer’s scores, then the overall popular list, then input order; duplicates once', async () => {
    // c1's list: p1 p2 p3 p10 ... by falling score; popular overall: p1..p25 in that order.
    const list = await rank(h, 'c1', ['p50', 'p24', 'p11', 'p40', 'p2', 'p24', 'p7']);
    expect(list.items.map((i) => i.product.id)).toEqual(['p2', 'p11', 'p7', 'p24', 'p50', 'p40']);
    expect(list.items.map((i) => i.source)).toEqual([
      'CACHED_SCORES',
      'CACHED_SCORES',
      'POPULAR',
      'POPULAR',
      'POPULAR',
      'POPULAR',
    ]);
    expect(list.items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(list.items[0]!.score).toBeGreaterThan(list.items[1]!.score);
    // Neither in the customer's list nor popular: score 0, input order.
    expect(list.items.slice(4).map((i) => i.score)).toEqual([0, 0]);
    expect(list.source).toBe('CACHED_SCORES');
  });

  it('orders a customer without a list by popularity alone', async () => {
    const list = await rank(h, 'c3', ['p9', 'p45', 'p3']);
    expect(list.items.map((i) => i.product.id)).toEqual(['p3', 'p9', 'p45']);
    expect(list.source).toBe('POPULAR');
  });

  it('still knows a product created after the catalogue was loaded, and still refuses unknown ones', async () => {
    await ctx.db.pool.query(`INSERT INTO products (id, name, category, price) VALUES ('fresh', 'Fresh', 'Shoes', 5)`);
    const list = await rank(h, 'c1', ['fresh', 'p2']);
    expect(list.items.map((i) => i.product.id)).toEqual(['p2', 'fresh']);
    const r = await h.gql(RANK, { userId: 'c1', productIds: ['p1', 'made-up'] });
    expect(r.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toContain('made-up');
  });

  it('replays a repeated answer from the response cache, and moves to a new batch’s popularity', async () => {
    const stats = () => ({ ...h.gateway.services.responseCache.stats });
    const first = await rank(h, 'c2', ['p30', 'p3', 'p20']);
    expect(first.items.map((i) => i.product.id)).toEqual(['p20', 'p3', 'p30']);
    const before = stats();
    expect((await rank(h, 'c2', ['p30', 'p3', 'p20'])).items).toEqual(first.items);
    expect(stats().hits).toBe(before.hits + 1);

    // A new batch whose overall popular list puts p30 first.
    await ctx.db.pool.query(`UPDATE offline_popular_items SET items = $1 WHERE scope = 'global'`, [
      JSON.stringify([
        { product_id: 'p30', score: 0.9 },
        { product_id: 'p3', score: 0.8 },
      ]),
    ]);
    const { rows } = await ctx.db.pool.query<{ id: number }>(
      `INSERT INTO cache_batches (mode) VALUES ('FULL') RETURNING id`,
    );
    expect(await h.gateway.refreshBatchVersion()).toBe(rows[0]!.id);
    const after = await rank(h, 'c2', ['p30', 'p3', 'p20']);
    expect(after.items.map((i) => i.product.id)).toEqual(['p20', 'p30', 'p3']);
  });

  it('logs a failing ranker once per batch, not once per request, and is not cached then', async () => {
    const { lines, logger } = capturingLogger();
    const failing: ServingRanker = { rank: () => Promise.reject(new Error('model file missing')) };
    const other = await startGateway(ctx, { ranker: failing, logger });
    try {
      for (let i = 0; i < 5; i++) {
        const list = await rank(other, 'c1', ['p5', 'p2']);
        expect(list.items.map((x) => x.product.id)).toEqual(['p2', 'p5']);
        expect(list.source).toBe('CACHED_SCORES');
      }
      expect(lines.filter((l) => l.includes('model file missing'))).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('does not cache answers of a ranking model (it may change within a batch)', async () => {
    let calls = 0;
    const model: ServingRanker = {
      rank: (_u, ids) => {
        calls += 1;
        return Promise.resolve([...ids].reverse().map((productId, i) => ({ productId, score: 1 - i / 10 })));
      },
    };
    const other = await startGateway(ctx, { ranker: model });
    try {
      for (let i = 0; i < 3; i++) {
        const list = await rank(other, 'c1', ['p1', 'p2', 'p3']);
        expect(list.items.map((x) => x.product.id)).toEqual(['p3', 'p2', 'p1']);
        expect(list.source).toBe('PERSONALIZED_RANKING');
      }
      expect(calls).toBe(3);
    } finally {
      await other.close();
    }
  });
});
