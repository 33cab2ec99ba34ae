// The alert rules of REFERENCE.md, evaluated after each run and on their schedule: stale
// recommendations (> 35 days), any FAILED batch job, coverage below 90%; and the store-data
// rules: a Shopify webhook whose attempts all failed, or work owed for over an hour; a Shopify bulk
// first sync whose operation failed or expired (until a later one is under way).
import type { Database } from '../db/database';
import { MAX_BATCH_AGE_DAYS, readHealthFigures, recordHealthSnapshot, type HealthFigures } from '../results';
import { raiseAlert, resolveAlert } from './alert-store';
import { oneRow } from '../db/one-row';
import { webhookCounts } from '../connectors/shopify/webhook-inbox';

/** Owed webhook work older than this means the queue or the workers are not doing it. */
export const WEBHOOK_BACKLOG_ALERT_SECONDS = 3600;

/** Raises or resolves webhook_failed and webhook_backlog; the webhooks worker calls it on a final failure. */
export async function checkWebhookAlert(db: Database): Promise<string[]> {
  const w = await webhookCounts(db.pool);
  const raised: string[] = [];
  if (w.failed > 0) {
    raised.push('webhook_failed');
    await raiseAlert(db, {
      kind: 'webhook_failed',
      severity: 'critical',
      message: `${w.failed} Shopify webhook(s) failed every attempt; fix the cause, then replay them (recs webhooks replay --failed)`,
      details: { ...w },
    });
  } else {
    await resolveAlert(db, 'webhook_failed');
  }
  const backlog = w.oldestOwedSeconds !== null && w.oldestOwedSeconds > WEBHOOK_BACKLOG_ALERT_SECONDS;
  if (backlog) {
    raised.push('webhook_backlog');
    await raiseAlert(db, {
      kind: 'webhook_backlog',
      severity: 'warning',
      message: `Shopify webhook work has been owed for ${Math.round((w.oldestOwedSeconds ?? 0) / 60)} minutes; are the webhooks workers running?`,
      details: { ...w },
    });
  } else {
    await resolveAlert(db, 'webhook_backlog');
  }
  return raised;
}

/** Raises shopify_bulk_failed while a shop's last bulk operation failed; the sync-orders stage calls it too. */
export async function checkBulkSyncAlert(db: Database): Promise<string[]> {
  const { rows } = await db.pool.query<{ shop: string; error: string | null }>(
    `SELECT shop, error FROM shopify_bulk_syncs WHERE status = 'failed' ORDER BY shop`,
  );
  if (!rows.length) {
    await resolveAlert(db, 'shopify_bulk_failed');
    return [];
  }
  await raiseAlert(db, {
    kind: 'shopify_bulk_failed',
    severity: 'critical',
    message: `the Shopify bulk sync of ${rows.map((r) => r.shop).join(', ')} failed: ${rows[0]?.error ?? 'unknown'}`,
    details: { shops: rows.map((r) => r.shop) },
  });
  return ['shopify_bulk_failed'];
}

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
  // Every reading is kept: the dashboard plots coverage and freshness over time from these.
  await recordHealthSnapshot(db.pool, health);
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
  raised.push(...(await checkWebhookAlert(db)));
  raised.push(...(await checkBulkSyncAlert(db)));
  return { figures: f, raised };
}
