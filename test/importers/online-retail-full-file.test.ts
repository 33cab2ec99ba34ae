import { importOnlineRetail } from '../../src/importers/online-retail/online-retail-importer';
import { describeWithDataset, HEAVY_TEST_TIMEOUT_MS } from '../support/datasets';
import { createTestContext, type TestContext } from '../support/test-context';

describeWithDataset('online-retail', 'importOnlineRetail on the real Online Retail file', (DATASET) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  }, HEAVY_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await ctx.close();
  });

  it(
    'imports all 541,909 rows end to end into an empty store',
    async () => {
      const s = await importOnlineRetail(ctx.db, DATASET);
      expect(s).toMatchObject({
        file: 'online_retail.csv.gz',
        rowsRead: 541_909,
        purchases: 396_370,
        returns: 8_539,
        skippedNoCustomer: 135_078,
        skippedNonProduct: 1_920,
        quarantined: { total: 2, new: 2 },
        customers: { total: 4_363, new: 4_363 },
        products: { total: 3_676, new: 3_676 },
        orders: { total: 21_788, new: 21_788 },
        orderItems: { total: 404_909, new: 404_909, alreadyPresent: 0 },
      });
      const { rows } = await ctx.db.pool.query(
        'SELECT event_type, count(*)::int AS n, sum(quantity)::int AS units FROM order_items GROUP BY 1 ORDER BY 1',
      );
      expect(rows.map((r: { event_type: string; n: number }) => [r.event_type, r.n])).toEqual([
        ['purchase', 396_370],
        ['return', 8_539],
      ]);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
