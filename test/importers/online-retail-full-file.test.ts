import { importOnlineRetail } from '../../src/importers/online-retail/online-retail-importer';
import { createTestContext, type TestContext } from '../support/test-context';

const DATASET = '/work/shared/datasets/online-retail/online_retail.csv.gz';

describe('importOnlineRetail on the real Online Retail file', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('imports all 541,909 rows end to end into an empty store', async () => {
    const s = await importOnlineRetail(ctx.db, DATASET);
    expect(s).toMatchObject({
      file: 'online_retail.csv.gz',
      rowsRead: 541_909, purchases: 397_924, returns: 8_905, skippedNoCustomer: 135_078,
      quarantined: { total: 2, new: 2 },
      customers: { total: 4_372, new: 4_372 },
      products: { total: 3_684, new: 3_684 },
      orders: { total: 22_190, new: 22_190 },
      orderItems: { total: 406_829, new: 406_829, alreadyPresent: 0 },
    });
    const { rows } = await ctx.db.pool.query(
      'SELECT event_type, count(*)::int AS n, sum(quantity)::int AS units FROM order_items GROUP BY 1 ORDER BY 1');
    expect(rows.map((r: { event_type: string; n: number }) => [r.event_type, r.n])).toEqual([['purchase', 397_924], ['return', 8_905]]);
  }, 120_000);
});
