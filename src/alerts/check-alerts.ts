// The alert rules of REFERENCE.md, evaluated after each run and on their schedule: stale
// recommendations (> 35 days), any FAILED batch job, coverage below 90%.
import type { Database } from '../db/database';
import { raiseAlert, resolveAlert } from './alert-store';
import { healthFigures, type HealthFigures } from './health-figures';

export const ALERT_RULES = { maxAgeDays: 35, minCoveragePercent: 90 } as const;

export async function checkAlerts(db: Database): Promise<{ figures: HealthFigures; raised: string[] }> {
  const f = await healthFigures(db);
  const raised: string[] = [];
  const rule = async (kind: string, firing: boolean, message: string, details: Record<string, unknown>) => {
    if (firing) {
      raised.push(kind);
      await raiseAlert(db, { kind, severity: 'critical', message, details });
    } else {
      await resolveAlert(db, kind);
    }
  };
  await rule(
    'stale_recommendations',
    f.freshnessDays === null || f.freshnessDays > ALERT_RULES.maxAgeDays,
    f.freshnessDays === null
      ? 'no recommendations have been loaded yet'
      : `recommendations are ${f.freshnessDays} days old (limit ${ALERT_RULES.maxAgeDays})`,
    { freshnessDays: f.freshnessDays },
  );
  await rule('batch_job_failed', f.failedBatchJobs > 0, `${f.failedBatchJobs} batch job(s) have status FAILED`, {
    failedBatchJobs: f.failedBatchJobs,
  });
  await rule(
    'low_coverage',
    f.orderingCustomers > 0 && f.coveragePercent < ALERT_RULES.minCoveragePercent,
    `coverage is ${f.coveragePercent}% of ordering customers (minimum ${ALERT_RULES.minCoveragePercent}%)`,
    { coveragePercent: f.coveragePercent, orderingCustomers: f.orderingCustomers },
  );
  return { figures: f, raised };
}
