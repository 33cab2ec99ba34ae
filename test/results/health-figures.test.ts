// Bug 5 (issue 11): coverage and freshness have one definition each. The low_coverage and
// stale_recommendations alerts, systemStatus and /metrics (AdminReads) and /ready read the same
// data and must report the same figures, whichever table holds the newest timestamp.
import { checkAlerts } from '../../src/alerts/check-alerts';
import { readiness } from '../../src/gateway/ops-routes';
import { readNewestBatch } from '../../src/results';
import { AdminReads } from '../../src/serving/admin-reads';
import { createTestContext, type TestContext } from '../support/test-context';

describe('health figures: one coverage and one freshness for alerts, status, metrics and /ready', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext();
    const q = (sql: string, params: unknown[] = []) => ctx.db.pool.query(sql, params);
    await q(`INSERT INTO customers (id) VALUES ('c1'), ('c2'), ('c3')`);
    // c1 and c2 ordered; c2's order has no lines (fully refunded before it was exported).
    await q(
      `INSERT INTO orders (id, customer_id, source, ordered_at) VALUES ('o1', 'c1', 'test', now()), ('o2', 'c2', 'test', now())`,
    );
    await q(`INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, unit_price, occurred_at)
             VALUES ('o1:1', 'o1', 'c1', 'p1', 1, 10, now())`);
    // Recommendations for c2 and c3 (c3 never ordered); rows written 40 days before the batch row.
    await q(`INSERT INTO offline_user_recommendations (user_id, recommendations, recipe_name, updated_at)
             VALUES ('c2', '[]', 'user-personalization', now() - interval '40 days'), ('c3', '[]', 'user-personalization', now() - interval '40 days')`);
    await q(
      `INSERT INTO offline_similar_items (product_id, similar_products, recipe_name, updated_at) VALUES ('p1', '[]', 'similar-items', now() - interval '20 days')`,
    );
    await q(`INSERT INTO cache_batches (mode, loaded_at) VALUES ('FULL', now() - interval '10 days')`);
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('reports the same coverage and freshness everywhere', async () => {
    const { figures } = await checkAlerts(ctx.db);
    const status = await new AdminReads(ctx.db.pool).coverage();
    const served = await readNewestBatch(ctx.db.pool);
    const ready = await readiness({ pool: ctx.db.pool, redis: null, batch: () => served });
    const batch = ready.checks.batch as { ageDays: number | null };

    expect(figures.coveragePercent).toBe(status.coverage);
    expect(figures.orderingCustomers).toBe(status.orderingCustomers);
    expect(Math.round(figures.freshnessDays!)).toBe(Math.round(status.freshnessDays!));
    expect(Math.round(status.freshnessDays!)).toBe(Math.round(batch.ageDays!));
    // The alert fires exactly when /ready calls the batch stale.
    const { rows } = await ctx.db.pool.query(
      `SELECT kind FROM alerts WHERE resolved_at IS NULL AND kind = 'stale_recommendations'`,
    );
    expect(rows.length > 0).toBe(Math.round(batch.ageDays!) > 35);
  });
});
