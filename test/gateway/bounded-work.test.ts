// A request may cost only a bounded amount of database work (docs/gateway.md, "Database work per
// request"): lists longer than anything stored are filled from the in-memory catalogue ranking, and
// product sales figures come from it too, so no request ever reads the order lines.
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { closeSeededGateway, openSeededGateway } from '../support/seeded-gateway';
import type { TestContext } from '../support/test-context';
import type { Harness } from '../support/gateway-harness';
import { recordQueries } from '../support/query-recorder';

describe('database work per request', () => {
  let ctx: TestContext;
  let h: Harness;

  beforeAll(async () => {
    ({ ctx, h } = await openSeededGateway());
  });
  afterAll(() => closeSeededGateway(h, ctx));

  it('fills lists far longer than the stored ones without reading the order lines', async () => {
    const aliases = Array.from(
      { length: 8 },
      (_, i) =>
        `a${i}: recommendations(userId: "stranger-${i}", limit: 100, filter: { minPrice: ${10 + i} }) { items { product { id orderCount } } }`,
    );
    const recorded = recordQueries(ctx.db.pool);
    let body;
    try {
      body = (
        await h.gql<Record<string, { items: { product: { id: string; orderCount: number } }[] }>>(
          `{ ${aliases.join(' ')} }`,
        )
      ).body;
    } finally {
      recorded.stop();
    }
    expect(body.errors).toBeUndefined();
    // The catalogue has 60 products: each list is as long as the filter allows, filled from memory.
    expect(body.data!['a0']!.items).toHaveLength(60);
    expect(body.data!['a7']!.items).toHaveLength(53);
    // p1 sold twice (c1 and c2), counted at start-up, not per request.
    const p1 = body.data!['a0']!.items.find((i) => i.product.id === 'p1');
    expect(p1?.product.orderCount).toBe(2);
    expect(recorded.sql.filter((s) => /order_items|orders\b/.test(s))).toEqual([]);
    // Per list at most: its own row, the province, three popular lists, products of each (docs).
    expect(recorded.sql.length).toBeLessThanOrEqual(8 * 7);
  });

  it('reads at most a bounded number of a customer’s lines for excludeInteracted', async () => {
    const recorded = recordQueries(ctx.db.pool);
    try {
      // excludeInteracted reveals what a customer bought, so it needs a key (customer-data.test.ts).
      const key = (await createApiKey(ctx.db.pool, 'read')).key;
      const r = await h.gql(
        `{ recommendations(userId: "c1", limit: 100, filter: { excludeInteracted: true }) { items { product { id } } } }`,
        {},
        key,
      );
      expect(r.body.errors).toBeUndefined();
    } finally {
      recorded.stop();
    }
    const lineReads = recorded.sql.filter((s) => s.includes('order_items'));
    expect(lineReads).toHaveLength(1);
    expect(lineReads[0]).toMatch(/LIMIT \$2/);
  });
});
