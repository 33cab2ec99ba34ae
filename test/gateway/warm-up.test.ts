// The overview's first load after a gateway start (bench/dashboard: 1.9 s at the reference size
// when it waited for the coverage scan, then 1.3 s quiet when its GraphQL still opened the pool's
// connections and ran every resolver for the first time): the gateway does that work before it
// listens, so the first overview after a start finds the figures computed and the connections open.
import { createDatabase, type Database } from '../../src/db/database';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { OVERVIEW_READS_AT_ONCE, WARM_UP_QUERY } from '../../src/gateway/warm-up';
import { startGateway, type Harness } from '../support/gateway-harness';
import { recordQueries } from '../support/query-recorder';
import { seedServing } from '../support/serving-fixtures';
import { createTestContext, type TestContext } from '../support/test-context';

const isCoverageScan = (sql: string): boolean => sql.includes('count(DISTINCT customer_id) FROM orders');
const isHistoryRead = (sql: string): boolean => sql.includes('FROM health_snapshots');
const HOUR_MS = 3_600_000;

describe('gateway warm-up before the first overview', () => {
  let ctx: TestContext;
  let gatewayDb: Database;
  let h: Harness;
  let admin: string;
  let recorded: ReturnType<typeof recordQueries>;
  let connectsDuringStart = 0;
  let connects = 0;

  beforeAll(async () => {
    // No background refresh may take a connection while the first overview is measured here.
    ctx = await createTestContext({ CATALOGUE_REFRESH_SECONDS: '3600', EXPERIMENTS_REFRESH_SECONDS: '3600' });
    await seedServing(ctx.db);
    admin = (await createApiKey(ctx.db.pool, 'admin')).key;
    // The gateway's own pool, as `recs serve` sizes it, with no connection open yet.
    gatewayDb = createDatabase(ctx.config);
    recorded = recordQueries(gatewayDb.pool);
    gatewayDb.pool.on('connect', () => {
      connects++;
    });
    h = await startGateway(
      { ...ctx, db: gatewayDb },
      { batchVersionRefreshMs: HOUR_MS, corsRefreshMs: HOUR_MS, authCacheMs: HOUR_MS },
    );
    connectsDuringStart = connects;
  });
  afterAll(async () => {
    recorded.stop();
    await h.close();
    await gatewayDb.close();
    await ctx.close();
  });

  it("runs the overview's reads before the gateway listens, coverage scan included", () => {
    // startGateway resolves once the gateway listens: no request has been sent yet.
    expect(recorded.sql.some(isCoverageScan)).toBe(true);
    expect(recorded.sql.some(isHistoryRead)).toBe(true);
  });

  it('the first overview opens no connection and scans nothing the warm-up already did', async () => {
    const scansBefore = recorded.sql.filter(isCoverageScan).length;
    const connectsBefore = connects;
    const r = await h.gql<{ systemStatus: { coverage: number } }>(WARM_UP_QUERY, {}, admin);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.systemStatus.coverage).toBe(100);
    expect(recorded.sql.filter(isCoverageScan).length).toBe(scansBefore);
    // Its reads at once ran on connections the warm-up opened; pg would otherwise open one per
    // concurrent read, on the request's time.
    expect(connectsDuringStart).toBeGreaterThanOrEqual(OVERVIEW_READS_AT_ONCE);
    expect(connects).toBe(connectsBefore);
  });
});
