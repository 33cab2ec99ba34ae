import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writePersonalizeCsvFiles } from '../../src/generate/personalize-csv-writer';
import { generateSyntheticStore } from '../../src/generate/synthetic-store';
import { writeSyntheticStore } from '../../src/generate/synthetic-store-writer';
import { importPersonalize } from '../../src/importers/personalize/personalize-importer';
import { compareSchemaWithDatabase, parseSchema } from '../support/schema-agreement';
import { createTestContext, type TestContext } from '../support/test-context';

describe('writeSyntheticStore', () => {
  let ctx: TestContext;
  const store = generateSyntheticStore({
    customers: 500,
    products: 120,
    interactions: 6_000,
    seed: 3,
    end: new Date('2026-11-25T00:00:00Z'),
  });

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.close();
  });

  const counts = async () =>
    (
      await ctx.db.pool.query<
        Record<'customers' | 'products' | 'orders' | 'lines', number>
      >(`SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM products) AS products,
      (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM order_items) AS lines`)
    ).rows[0];

  it('writes customers, products, orders and order lines', async () => {
    const s = await writeSyntheticStore(ctx.db, store);
    expect(s.orderItems).toEqual({ total: 6_000, new: 6_000, alreadyPresent: 0 });
    expect(await counts()).toEqual({ customers: 500, products: 120, orders: store.orders.count, lines: 6_000 });
    const { rows } = await ctx.db.pool.query(`SELECT o.source, count(DISTINCT o.id)::int AS orders,
        bool_and(i.customer_id = o.customer_id AND i.occurred_at = o.ordered_at) AS consistent
      FROM order_items i JOIN orders o ON o.id = i.order_id GROUP BY o.source`);
    expect(rows).toEqual([{ source: 'synthetic', orders: store.orders.count, consistent: true }]);
    const { rows: cats } = await ctx.db.pool.query<{ n: number }>(
      'SELECT count(DISTINCT category)::int AS n FROM products',
    );
    expect(cats[0]!.n).toBe(store.categories.length);
    // Loading into empty tables drops and rebuilds their indexes: they must all be back as migrated.
    expect(await compareSchemaWithDatabase(parseSchema(), ctx.db.pool, ctx.id)).toEqual([]);
  });

  it('is a no-op when the same store is written again', async () => {
    const before = await counts();
    const s = await writeSyntheticStore(ctx.db, store);
    expect(s.customers).toEqual({ total: 500, new: 0, alreadyPresent: 500 });
    expect(s.orderItems).toEqual({ total: 6_000, new: 0, alreadyPresent: 6_000 });
    expect(await counts()).toEqual(before);
  });

  it('round-trips through its Personalize CSV files and the Personalize importer', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'synthetic-rt-'));
    try {
      const files = await writePersonalizeCsvFiles(store, dir);
      const s = await importPersonalize(ctx.db, files);
      const byKind = Object.fromEntries(s.files.map((f) => [f.kind, f]));
      expect(byKind.interactions?.loaded.total).toBe(6_000);
      expect(byKind.interactions?.quarantined).toBe(0);
      // Same ids and attributes as written directly: nothing new, nothing changed.
      expect(byKind.users?.loaded).toMatchObject({ total: 500, new: 0, updated: 0 });
      expect(byKind.items?.loaded).toMatchObject({ total: 120, new: 0, updated: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
