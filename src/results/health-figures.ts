// The figures the old playbook monitored (REFERENCE.md): coverage of ordering customers,
// freshness of the newest batch, failed batch jobs.
import type { Database } from '../db/database';

export interface HealthFigures {
  /** % of customers with at least one order line who have cached recommendations. */
  coveragePercent: number;
  orderingCustomers: number;
  customersWithRecommendations: number;
  productsWithSimilarItems: number;
  /** Days since the newest updated_at in offline_user_recommendations; null when empty. */
  freshnessDays: number | null;
  failedBatchJobs: number;
}

export async function healthFigures(db: Database): Promise<HealthFigures> {
  const { rows } = await db.pool.query<{
    ordering: number;
    covered: number;
    with_recs: number;
    with_similar: number;
    newest: Date | null;
    failed: number;
  }>(`
    SELECT
      (SELECT count(DISTINCT customer_id) FROM order_items)::int AS ordering,
      (SELECT count(*) FROM offline_user_recommendations r
        WHERE EXISTS (SELECT 1 FROM order_items oi WHERE oi.customer_id = r.user_id))::int AS covered,
      (SELECT count(*) FROM offline_user_recommendations)::int AS with_recs,
      (SELECT count(*) FROM offline_similar_items)::int AS with_similar,
      (SELECT max(updated_at) AT TIME ZONE 'utc' FROM offline_user_recommendations) AS newest,
      (SELECT count(*) FROM batch_job_metadata WHERE status = 'FAILED')::int AS failed`);
  const r = rows[0]!;
  // updated_at is a TIMESTAMP written in UTC; the query turns it into a timestamptz.
  const newest = r.newest ? r.newest.getTime() : null;
  return {
    coveragePercent: r.ordering ? Math.round((1000 * r.covered) / r.ordering) / 10 : 0,
    orderingCustomers: r.ordering,
    customersWithRecommendations: r.with_recs,
    productsWithSimilarItems: r.with_similar,
    freshnessDays: newest === null ? null : Math.round(((Date.now() - newest) / 86_400_000) * 10) / 10,
    failedBatchJobs: r.failed,
  };
}
