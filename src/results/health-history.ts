// Coverage and freshness over time: each reading of the health figures by the alert rules (after
// every run and on the alerts schedule) is kept, so the dashboard can plot both. The figures
// themselves have one definition, ./health-figures.ts.
import type { Pool } from 'pg';
import type { HealthFigures } from './health-figures';

export interface HealthSnapshotRow {
  takenAt: Date;
  coverage: number;
  freshnessDays: number | null;
  batchVersion: number;
}

export async function recordHealthSnapshot(pool: Pool, f: HealthFigures): Promise<void> {
  await pool.query(
    `INSERT INTO health_snapshots (coverage_percent, freshness_days, batch_version, ordering_customers, customers_with_recommendations)
     VALUES ($1, $2, $3, $4, $5)`,
    [f.coveragePercent, f.freshnessDays, f.batchVersion, f.orderingCustomers, f.customersWithRecommendations],
  );
}

/** Snapshots of the last `days` days, oldest first (at most 5,000: about 200 days hourly). */
export async function readHealthHistory(pool: Pool, days: number, now = new Date()): Promise<HealthSnapshotRow[]> {
  const { rows } = await pool.query<HealthSnapshotRow>(
    `SELECT * FROM (
       SELECT taken_at AS "takenAt", coverage_percent AS coverage, freshness_days AS "freshnessDays", batch_version AS "batchVersion"
         FROM health_snapshots WHERE taken_at > $1::timestamptz - make_interval(days => $2)
        ORDER BY taken_at DESC LIMIT 5000) recent
     ORDER BY "takenAt"`,
    [now, days],
  );
  return rows;
}
