// The overview at the reference size (BENCHMARKS.md, bench/dashboard): computing coverage scans
// the orders and cache tables (about a second there), and every 30 s one overview paid for it.
// Once the figures are older than the TTL they are still served while new ones are computed.
import { AdminReads } from '../../src/serving/admin-reads';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';

describe('AdminReads.coverage: stale figures served while they are recomputed', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.db.pool.query(`INSERT INTO customers (id) VALUES ('c1'), ('c2')`);
    await ctx.db.pool.query(
      `INSERT INTO orders (id, customer_id, source, ordered_at) VALUES ('o1', 'c1', 'test', now()), ('o2', 'c2', 'test', now())`,
    );
    await ctx.db.pool.query(
      `INSERT INTO offline_user_recommendations (user_id, recommendations, recipe_name) VALUES ('c1', '[]', 'user-personalization')`,
    );
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('answers with the figures in hand past the TTL, and with the new ones once computed', async () => {
    const reads = new AdminReads(ctx.db.pool, 1_000);
    const t0 = Date.now();
    expect((await reads.coverage(undefined, t0)).coverage).toBe(50);
    await ctx.db.pool.query(
      `INSERT INTO offline_user_recommendations (user_id, recommendations, recipe_name) VALUES ('c2', '[]', 'user-personalization')`,
    );
    // Past the TTL: the old figures at once (the recomputation runs behind them).
    expect((await reads.coverage(undefined, t0 + 2_000)).coverage).toBe(50);
    // Then the new ones, without another expiry.
    await waitFor(
      'the recomputed coverage',
      async () => (await reads.coverage(undefined, t0 + 2_001)).coverage === 100,
      30_000,
    );
  });

  it('recomputes at once when the batch version changes (a load changes coverage)', async () => {
    const reads = new AdminReads(ctx.db.pool, 60_000);
    const before = await reads.coverage(1);
    await ctx.db.pool.query(`DELETE FROM offline_user_recommendations WHERE user_id = 'c2'`);
    expect((await reads.coverage(2)).coverage).toBe(50);
    expect(before.coverage).toBe(100);
    await ctx.db.pool.query(
      `INSERT INTO offline_user_recommendations (user_id, recommendations, recipe_name) VALUES ('c2', '[]', 'user-personalization')`,
    );
  });
});
