// The alert rules of REFERENCE.md, evaluated after each run and on their schedule: stale
// recommendations (> 35 days), any FAILED batch job, coverage below 90%.
import type { Database } from '../db/database';
import { MAX_BATCH_AGE_DAYS, readHealthFigures, type HealthFigures } from '../results';
import { raiseAlert, resolveAlert } from './alert-store';
import { oneRow } from '../db/one-row';

export const ALERT_RULES = { maxAgeDays: MAX_BATCH_AGE_DAYS, minCoveragePercent: 90 } as const;

export interface AlertFigures extends HealthFigures {
  failedBatchJobs: number;
}

async function failedBatchJobs(db: Database): Promise<number> {
  const { rows } = await db.pool.query<{ failed: number }>(
    `SELECT count(*)::int AS failed FROM batch_job_metadata WHERE status = 'FAILED'`,
  );
  return oneRow(rows, 'failed batch jobs').failed;
}

export async function checkAlerts(db: Database): Promise<{ figures: AlertFigures; raised: string[] }> {
  const [health, failed] = await Promise.all([readHealthFigures(db.pool), failedBatchJobs(db)]);
  const f: AlertFigures = { ...health, failedBatchJobs: failed };
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
    f.stale,
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
