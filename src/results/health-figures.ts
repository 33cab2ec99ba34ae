// The one definition of the figures the old playbook monitored (REFERENCE.md), used by the alerts,
// systemStatus, /metrics and /ready alike:
// - coverage: % of ordering customers (a row in orders) who have cached recommendations;
// - freshness: days since the served batch was loaded (freshnessDays in ./batch). The loader
//   stamps every row it writes at load time, so this is the age of the newest results.
import type { Pool } from 'pg';
import { freshnessDays, isStale, type Batch } from './batch';
import { readNewestBatch } from './batch-tracker';
import { RESULT_KINDS } from './result-kinds';
import { oneRow } from '../db/one-row';

export interface CoverageFigures {
  /** % (one decimal) of customers with at least one order who have cached recommendations. */
  coveragePercent: number;
  orderingCustomers: number;
  customersWithRecommendations: number;
  productsWithSimilarItems: number;
}

export interface HealthFigures extends CoverageFigures {
  /** Days since the newest batch was loaded; null when none has been. */
  freshnessDays: number | null;
  /** isStale of that batch: the stale_recommendations rule and /ready's batch check. */
  stale: boolean;
  batchVersion: number;
}

const USERS = RESULT_KINDS.userRecommendations;
const SIMILAR = RESULT_KINDS.similarItems;

export async function readCoverage(pool: Pool): Promise<CoverageFigures> {
  const { rows } = await pool.query<{ ordering: number; covered: number; with_recs: number; similar: number }>(
    `SELECT (SELECT count(DISTINCT customer_id) FROM orders)::int AS ordering,
            (SELECT count(*) FROM ${USERS.table} r
              WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = r.user_id))::int AS covered,
            (SELECT count(*) FROM ${USERS.table})::int AS with_recs,
            (SELECT count(*) FROM ${SIMILAR.table})::int AS similar`,
  );
  const r = oneRow(rows, 'health figures');
  return {
    coveragePercent: coveragePercent(r.covered, r.ordering),
    orderingCustomers: r.ordering,
    customersWithRecommendations: r.with_recs,
    productsWithSimilarItems: r.similar,
  };
}

export function coveragePercent(covered: number, ordering: number): number {
  return ordering ? Math.round((1000 * covered) / ordering) / 10 : 0;
}

/** Coverage now, and freshness of `batch` (the newest one when not given). */
export async function readHealthFigures(pool: Pool, batch?: Batch, now = Date.now()): Promise<HealthFigures> {
  const [coverage, served] = await Promise.all([readCoverage(pool), batch ?? readNewestBatch(pool)]);
  return {
    ...coverage,
    freshnessDays: freshnessDays(served, now),
    stale: isStale(served, now),
    batchVersion: served.version,
  };
}
