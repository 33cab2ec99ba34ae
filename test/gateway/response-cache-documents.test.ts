// The response cache's document table must not be drivable by junk: only documents whose answer was
// executed, valid and allowed enter it, and a flood of distinct documents cannot push out the
// documents real clients use (src/gateway/document-table.ts).
import { closeSeededGateway, openSeededGateway } from '../support/seeded-gateway';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';

const LEGIT = `query Recs($u: ID!) { recommendations(userId: $u, limit: 3) { items { product { id } } } }`;

async function flood(h: Harness, documents: (i: number) => string, n: number): Promise<void> {
  for (let start = 0; start < n; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - start) }, (_, i) => h.gql(documents(start + i)).catch(() => undefined)),
    );
  }
}

describe('response cache document table under junk', () => {
  describe('open reads', () => {
    let ctx: TestContext;
    let h: Harness;

    beforeAll(async () => {
      ({ ctx, h } = await openSeededGateway());
    });
    afterAll(() => closeSeededGateway(h, ctx));

    it('invalid documents never enter the table', async () => {
      await flood(h, (i) => `{ junk${i}: `, 200);
      expect(h.gateway.services.responseCache.documentCount).toBe(0);
    });

    it('a cached answer still hits after 1,000 distinct tiny valid documents', async () => {
      const cache = h.gateway.services.responseCache;
      for (let i = 0; i < 3; i++) expect((await h.gql(LEGIT, { u: 'c1' })).body.errors).toBeUndefined();
      const before = cache.stats.hits;
      expect(before).toBeGreaterThanOrEqual(1);
      await flood(h, (i) => `{ t${i}: __typename }`, 1_000);
      expect(cache.documentCount).toBeLessThanOrEqual(1_000);
      const again = await h.gql<{ recommendations: { items: { product: { id: string } }[] } }>(LEGIT, { u: 'c1' });
      expect(again.body.data!.recommendations.items.map((i) => i.product.id)).toEqual(['p1', 'p2', 'p3']);
      expect(cache.stats.hits).toBe(before + 1);
    });
  });

  describe('READ_AUTH=key', () => {
    let ctx: TestContext;
    let h: Harness;

    beforeAll(async () => {
      ctx = await createTestContext({ READ_AUTH: 'key' });
      await seedServing(ctx.db);
      h = await startGateway(ctx);
    });
    afterAll(async () => {
      await h.close();
      await ctx.close();
    });

    it('documents sent without a key are refused and never numbered', async () => {
      await flood(h, (i) => `{ a${i}: recommendations(userId: "c1", limit: 1) { source } }`, 200);
      expect(h.gateway.services.responseCache.documentCount).toBe(0);
    });
  });
});
