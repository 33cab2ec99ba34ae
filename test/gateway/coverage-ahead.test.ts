// The overview's first load after a gateway start (bench/dashboard: 1.9 s at the reference size,
// most of it the coverage scan): the gateway computes coverage at start, so that first
// systemStatus finds it ready instead of paying for the scan.
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { startGateway, type Harness } from '../support/gateway-harness';
import { recordQueries } from '../support/query-recorder';
import { seedServing } from '../support/serving-fixtures';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';

const isCoverageScan = (sql: string): boolean => sql.includes('count(DISTINCT customer_id) FROM orders');

describe('coverage computed ahead of the first overview', () => {
  let ctx: TestContext;
  let h: Harness;
  let admin: string;
  let recorded: ReturnType<typeof recordQueries>;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedServing(ctx.db);
    admin = (await createApiKey(ctx.db.pool, 'admin')).key;
    recorded = recordQueries(ctx.db.pool);
    h = await startGateway(ctx);
  });
  afterAll(async () => {
    recorded.stop();
    await h.close();
    await ctx.close();
  });

  it('scans at start, before any request, and the first systemStatus does not scan again', async () => {
    await waitFor('the coverage scan at start', () => Promise.resolve(recorded.sql.some(isCoverageScan)));
    const before = recorded.sql.filter(isCoverageScan).length;
    const r = await h.gql<{ systemStatus: { coverage: number } }>('{ systemStatus { coverage } }', {}, admin);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.systemStatus.coverage).toBe(100);
    expect(recorded.sql.filter(isCoverageScan).length).toBe(before);
  });
});
