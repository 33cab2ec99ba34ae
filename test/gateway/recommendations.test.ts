import { createApiKey } from '../../src/gateway/auth/api-keys';
import { batchVersionKey } from '../../src/results';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing, type ServingFixture } from '../support/serving-fixtures';

interface ListData {
  items: {
    product: { id: string; name: string; category: string; price: number };
    score: number;
    rank: number;
    source: string;
  }[];
  source: string;
  filled: boolean;
  recommendationId: string;
  modelVersion: string | null;
  batchVersion: number;
  generatedAt: string;
}

const LIST = `items { product { id name category price } score rank source } source filled recommendationId modelVersion batchVersion generatedAt`;

describe('recommendation queries', () => {
  let ctx: TestContext;
  let h: Harness;
  let fx: ServingFixture;
  /** Customer data (customer, usersForItem, excludeInteracted) needs a key whatever READ_AUTH says. */
  let readKey: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    fx = await seedServing(ctx.db);
    readKey = (await createApiKey(ctx.db.pool, 'read', 'customer data')).key;
    h = await startGateway(ctx);
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
  });

  const recs = async (variables: Record<string, unknown>) => {
    const r = await h.gql<{ recommendations: ListData }>(
      `query($userId: ID!, $limit: Int, $filter: RecommendationFilter) { recommendations(userId: $userId, limit: $limit, filter: $filter) { ${LIST} } }`,
      variables,
      readKey,
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data!.recommendations;
  };

  describe('recommendations', () => {
    it("serves the customer's cached list with product fields, ranks, model and batch versions", async () => {
      const list = await recs({ userId: 'c1', limit: 5 });
      expect(list.items.map((i) => i.product.id)).toEqual(['p1', 'p2', 'p3', 'p10', 'p11']);
      expect(list.items[0]).toEqual({
        product: { id: 'p1', name: 'Product 1', category: 'Shoes', price: 10 },
        score: 0.9,
        rank: 1,
        source: 'PERSONALIZED',
      });
      expect(list.items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5]);
      expect(list.source).toBe('PERSONALIZED');
      expect(list.filled).toBe(false);
      expect(list.modelVersion).toBe(String(fx.modelVersions['user-personalization']));
      expect(list.batchVersion).toBe(fx.batchVersion);
      expect(Date.parse(list.generatedAt)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('leaves out products missing from the catalogue', async () => {
      const list = await recs({ userId: 'c1', limit: 20 });
      expect(list.items.map((i) => i.product.id)).not.toContain('p99');
    });

    it('gives every response its own recommendationId, also when the response is reused', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) ids.add((await recs({ userId: 'c1', limit: 3 })).recommendationId);
      expect(ids.size).toBe(5);
      expect(h.gateway.services.responseCache.stats.hits).toBeGreaterThan(0);
    });

    it("fills a short list from popular in the customer's province, then popular overall, and says so", async () => {
      const list = await recs({ userId: 'c2', limit: 8 });
      expect(list.items.map((i) => i.product.id)).toEqual(['p20', 'p21', 'p22', 'p1', 'p2', 'p3', 'p4', 'p5']);
      expect(list.items.map((i) => i.source)).toEqual([
        ...Array<string>(3).fill('PERSONALIZED'),
        ...Array<string>(5).fill('POPULAR'),
      ]);
      expect(list.filled).toBe(true);
      expect(list.source).toBe('PERSONALIZED');
    });

    it('serves popular items in the province to a customer without recommendations', async () => {
      await ctx.db.pool.query(`INSERT INTO customers (id, province) VALUES ('c9', 'Punjab')`);
      const list = await recs({ userId: 'c9', limit: 4 });
      expect(list.items.map((i) => i.product.id)).toEqual(['p40', 'p41', 'p42', 'p1']);
      expect(list.source).toBe('POPULAR_IN_PROVINCE');
      expect(list.items[3]!.source).toBe('POPULAR');
    });

    it('serves popular items overall to an unknown customer', async () => {
      const list = await recs({ userId: 'nobody', limit: 3 });
      expect(list.source).toBe('POPULAR');
      expect(list.items.map((i) => i.product.id)).toEqual(['p1', 'p2', 'p3']);
      expect(list.modelVersion).toBe(String(fx.modelVersions['popularity-count']));
    });

    describe('filter fill rule', () => {
      it('excludes interacted products and still returns `limit` items', async () => {
        await ctx.db.pool.query(
          `INSERT INTO events (event_id, user_id, product_id, event_type, occurred_at, source) VALUES ('e-c1', 'c1', 'p10', 'view', now(), 'api')`,
        );
        const list = await recs({ userId: 'c1', limit: 10, filter: { excludeInteracted: true } });
        const ids = list.items.map((i) => i.product.id);
        expect(ids).toHaveLength(10);
        for (const seen of ['p1', 'p2', 'p3', 'p10']) expect(ids).not.toContain(seen);
        expect(ids.slice(0, 6)).toEqual(['p11', 'p12', 'p13', 'p14', 'p15', 'p16']);
        expect(list.filled).toBe(true);
      });

      it('keeps only the given categories and prices, filling from the catalogue when the fallbacks run dry', async () => {
        const list = await recs({
          userId: 'c1',
          limit: 15,
          filter: { categories: ['Bags'], minPrice: 20, maxPrice: 70 },
        });
        expect(list.items).toHaveLength(15);
        for (const i of list.items) {
          expect(i.product.category).toBe('Bags');
          expect(i.product.price).toBeGreaterThanOrEqual(20);
          expect(i.product.price).toBeLessThanOrEqual(70);
        }
        expect(new Set(list.items.map((i) => i.product.id)).size).toBe(15);
      });

      it('drops excluded product ids', async () => {
        const list = await recs({ userId: 'c1', limit: 5, filter: { excludeProductIds: ['p1', 'p10'] } });
        expect(list.items.map((i) => i.product.id)).toEqual(['p2', 'p3', 'p11', 'p12', 'p13']);
      });

      it('returns fewer than `limit` only when the catalogue has no more matching products', async () => {
        const list = await recs({ userId: 'c1', limit: 50, filter: { categories: ['Hats'] } });
        expect(list.items).toHaveLength(20); // 60 products, every third a hat
      });
    });
  });

  describe('similarItems', () => {
    it('serves related products without the product itself, filled from its category', async () => {
      const r = await h.gql<{ similarItems: ListData }>(`{ similarItems(productId: "p1", limit: 6) { ${LIST} } }`);
      const list = r.body.data!.similarItems;
      expect(list.items.map((i) => i.product.id)).toEqual(['p4', 'p7', 'p10', 'p13', 'p2', 'p3']);
      expect(list.items.map((i) => i.source)).toEqual([
        'SIMILAR_ITEMS',
        'SIMILAR_ITEMS',
        'SIMILAR_ITEMS',
        'POPULAR_IN_CATEGORY',
        'POPULAR',
        'POPULAR',
      ]);
      expect(list.modelVersion).toBe(String(fx.modelVersions['similar-items']));
    });

    it("falls back to popular in the product's category for a product without similar items", async () => {
      const r = await h.gql<{ similarItems: ListData }>(`{ similarItems(productId: "p4", limit: 3) { ${LIST} } }`);
      expect(r.body.data!.similarItems.source).toBe('POPULAR_IN_CATEGORY');
      expect(r.body.data!.similarItems.items.map((i) => i.product.id)).toEqual(['p1', 'p7', 'p10']);
    });
  });

  describe('itemAffinity and usersForItem', () => {
    it("serves the customer's item affinities", async () => {
      const r = await h.gql<{ itemAffinity: ListData }>(`{ itemAffinity(userId: "c1", limit: 3) { ${LIST} } }`);
      expect(r.body.data!.itemAffinity.items.map((i) => i.product.id)).toEqual(['p30', 'p31', 'p32']);
      expect(r.body.data!.itemAffinity.source).toBe('ITEM_AFFINITY');
    });

    it('serves the item-affinity segment of a product, and an empty one for others', async () => {
      const r = await h.gql<{
        a: { productId: string; users: { userId: string; score: number; rank: number }[]; modelVersion: string };
        b: { users: unknown[] };
      }>(
        `{ a: usersForItem(productId: "p1", limit: 2) { productId users { userId score rank } modelVersion batchVersion generatedAt } b: usersForItem(productId: "p2") { users { userId } } }`,
        {},
        readKey,
      );
      expect(r.body.data!.a.users).toEqual([
        { userId: 'c1', score: 0.9, rank: 1 },
        { userId: 'c2', score: 0.5, rank: 2 },
      ]);
      expect(r.body.data!.a.modelVersion).toBe(String(fx.modelVersions['item-affinity']));
      expect(r.body.data!.b.users).toEqual([]);
    });
  });

  describe('popularItems', () => {
    it('serves popular overall, in a category and in a province', async () => {
      const r = await h.gql<Record<string, ListData>>(
        `{ all: popularItems(limit: 2) { ${LIST} } shoes: popularItems(limit: 6, category: "Shoes") { ${LIST} } punjab: popularItems(limit: 2, province: "Punjab") { ${LIST} } }`,
      );
      const d = r.body.data!;
      expect(d.all!.items.map((i) => i.product.id)).toEqual(['p1', 'p2']);
      expect(d.all!.source).toBe('POPULAR');
      expect(d.shoes!.source).toBe('POPULAR_IN_CATEGORY');
      expect(d.shoes!.items.map((i) => i.product.id)).toEqual(['p1', 'p4', 'p7', 'p10', 'p13', 'p16']);
      expect(d.shoes!.items.every((i) => i.product.category === 'Shoes')).toBe(true);
      expect(d.punjab!.source).toBe('POPULAR_IN_PROVINCE');
      expect(new Set([d.all!.recommendationId, d.shoes!.recommendationId, d.punjab!.recommendationId]).size).toBe(3);
    });
  });

  describe('rankItems', () => {
    it("orders by the customer's cached scores, then popularity, without a ranker", async () => {
      const r = await h.gql<{ rankItems: ListData }>(
        `{ rankItems(userId: "c1", productIds: ["p30", "p5", "p11", "p2"]) { ${LIST} } }`,
      );
      const list = r.body.data!.rankItems;
      expect(list.items.map((i) => i.product.id)).toEqual(['p2', 'p11', 'p5', 'p30']);
      expect(list.items.map((i) => i.source)).toEqual(['CACHED_SCORES', 'CACHED_SCORES', 'POPULAR', 'POPULAR']);
      expect(list.source).toBe('CACHED_SCORES');
    });

    it('rejects unknown products', async () => {
      const r = await h.gql(`{ rankItems(userId: "c1", productIds: ["p1", "nope"]) { source } }`);
      expect(r.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(r.body.errors![0]!.message).toContain('nope');
    });

    it('uses the ranker when one is given', async () => {
      const other = await startGateway(ctx, {
        ranker: {
          rank: (_u, ids) =>
            Promise.resolve([...ids].reverse().map((productId, i) => ({ productId, score: 1 - i / 10 }))),
        },
      });
      try {
        const r = await other.gql<{ rankItems: ListData }>(
          `{ rankItems(userId: "c1", productIds: ["p1", "p2", "p3"]) { ${LIST} } }`,
        );
        expect(r.body.data!.rankItems.items.map((i) => i.product.id)).toEqual(['p3', 'p2', 'p1']);
        expect(r.body.data!.rankItems.source).toBe('PERSONALIZED_RANKING');
      } finally {
        await other.close();
      }
    });
  });

  it('falls back to cached scores when the ranker fails', async () => {
    const other = await startGateway(ctx, {
      ranker: { rank: async () => Promise.reject(new Error('model file missing')) },
    });
    try {
      const r = await other.gql<{ rankItems: ListData }>(
        `{ rankItems(userId: "c1", productIds: ["p5", "p2"]) { ${LIST} } }`,
      );
      expect(r.body.data!.rankItems.source).toBe('CACHED_SCORES');
      expect(r.body.data!.rankItems.items.map((i) => i.product.id)).toEqual(['p2', 'p5']);
    } finally {
      await other.close();
    }
  });

  describe('product and customer', () => {
    it('serves a product with its order figures', async () => {
      const r = await h.gql<{ product: Record<string, unknown> }>(
        `{ product(id: "p1") { id name category price orderCount unitsSold revenue } }`,
      );
      expect(r.body.data!.product).toEqual({
        id: 'p1',
        name: 'Product 1',
        category: 'Shoes',
        price: 10,
        orderCount: 2,
        unitsSold: 3,
        revenue: 30,
      });
    });

    it('serves a customer with order count and spend', async () => {
      const r = await h.gql<{ customer: Record<string, unknown> }>(
        `{ customer(id: "c1") { id city province orderCount totalSpend hasRecommendations } }`,
        {},
        readKey,
      );
      expect(r.body.data!.customer).toEqual({
        id: 'c1',
        city: 'Lahore',
        province: 'Punjab',
        orderCount: 2,
        totalSpend: 43,
        hasRecommendations: true,
      });
    });

    it('answers null for unknown ids without failing the rest of the response', async () => {
      const r = await h.gql(
        `{ product(id: "zzz") { id } customer(id: "zzz") { id } known: product(id: "p1") { id } }`,
        {},
        readKey,
      );
      expect(r.body).toEqual({ data: { product: null, customer: null, known: { id: 'p1' } } });
    });
  });

  describe('batch versions', () => {
    it('serves the new batch after a load: hot entries and cached responses of the old one are not used', async () => {
      const before = await recs({ userId: 'c2', limit: 1 });
      expect(before.items[0]!.product.id).toBe('p20');
      await ctx.db.pool.query(`UPDATE offline_user_recommendations SET recommendations = $1 WHERE user_id = 'c2'`, [
        JSON.stringify([{ product_id: 'p50', score: 0.7 }]),
      ]);
      const stale = await recs({ userId: 'c2', limit: 1 });
      expect(stale.items[0]!.product.id).toBe('p20');
      const { rows } = await ctx.db.pool.query<{ id: number }>(
        `INSERT INTO cache_batches (mode) VALUES ('FULL') RETURNING id`,
      );
      expect(await h.gateway.refreshBatchVersion()).toBe(rows[0]!.id);
      const after = await recs({ userId: 'c2', limit: 1 });
      expect(after.items[0]!.product.id).toBe('p50');
      expect(after.batchVersion).toBe(rows[0]!.id);
      expect(batchVersionKey(ctx.config.redis.prefix)).toContain(ctx.config.redis.prefix);
    });
  });
});
