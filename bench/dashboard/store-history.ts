// What months of operation leave behind in a store, for the overview to read at full size: a
// pipeline run twice a week with its model versions and cache batch, a health snapshot every hour,
// alerts raised and resolved now and then (two still active), and the four schedules. Seed it
// before seedCacheTables, whose batch is then the newest (the one Redis serves).
import type { Pool } from 'pg';

const DAY_MS = 86_400_000;
const RECIPES = ['popularity-count', 'similar-items', 'user-personalization', 'item-affinity'];
const STAGES = ['export', 'train', 'evaluate', 'batch', 'load'];

export interface HistorySize {
  days: number;
  runsPerWeek: number;
  resolvedAlerts: number;
}

export async function seedStoreHistory(
  pool: Pool,
  size: HistorySize = { days: 180, runsPerWeek: 2, resolvedAlerts: 300 },
  now = Date.now(),
): Promise<{ runs: number; snapshots: number; alerts: number }> {
  const runs = Math.floor((size.days / 7) * size.runsPerWeek);
  for (let i = 0; i < runs; i++) {
    const started = now - (runs - i) * ((7 * DAY_MS) / size.runsPerWeek);
    let at = started;
    const stages: Record<string, unknown> = {};
    for (const [k, name] of STAGES.entries()) {
      const durationMs = 60_000 * (3 + ((i + k) % 7));
      stages[name] = {
        status: 'succeeded',
        startedAt: new Date(at).toISOString(),
        finishedAt: new Date(at + durationMs).toISOString(),
        durationMs,
        attempts: 1,
        counts: { rows: 180_000 + i },
      };
      at += durationMs;
    }
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO pipeline_runs (mode, status, trigger, engine, recipes, stages, created_at, started_at, finished_at, updated_at)
       VALUES ($1, 'succeeded', 'schedule', 'local', $2, $3, $4, $4, $5, $5) RETURNING id`,
      [i % 4 === 0 ? 'FULL' : 'UPDATE', RECIPES, JSON.stringify(stages), new Date(started), new Date(at)],
    );
    const runId = rows[0]?.id;
    for (const recipe of RECIPES)
      await pool.query(
        `INSERT INTO model_versions (run_id, engine, recipe, params, metrics, status, created_at, trained_at)
         VALUES ($1, 'local', $2, '{"factors": 64}', $3, 'trained', $4, $4)`,
        [
          runId,
          recipe,
          JSON.stringify({ precision_at_25: 0.05 + (i % 5) / 200, normalized_discounted_cumulative_gain_at_25: 0.2 }),
          new Date(at),
        ],
      );
    await pool.query(`INSERT INTO cache_batches (run_id, mode, loaded_at) VALUES ($1, 'FULL', $2)`, [
      runId,
      new Date(at),
    ]);
  }
  // Hourly snapshots: coverage around 95%, freshness climbing between runs.
  const snapshots = size.days * 24;
  await pool.query(
    `INSERT INTO health_snapshots (taken_at, coverage_percent, freshness_days, batch_version, ordering_customers, customers_with_recommendations)
     SELECT to_timestamp($1::float8 / 1000) - make_interval(hours => h), 94 + (h % 7) / 3.0, (h % 84) / 24.0, 1 + h / 84, 170000, 162000
       FROM generate_series(0, $2::int - 1) AS h`,
    [now, snapshots],
  );
  await pool.query(
    `INSERT INTO alerts (kind, severity, message, raised_at, resolved_at)
     SELECT 'coverage_low', 'warning', 'coverage below 90%', to_timestamp($1::float8 / 1000) - make_interval(hours => 10 * a),
            to_timestamp($1::float8 / 1000) - make_interval(hours => 10 * a - 2)
       FROM generate_series(1, $2::int) AS a`,
    [now, size.resolvedAlerts],
  );
  await pool.query(
    `INSERT INTO alerts (kind, severity, message) VALUES
       ('pipeline_failed', 'critical', 'the last run failed at stage train'),
       ('webhook_backlog', 'warning', 'webhook deliveries are waiting')`,
  );
  await pool.query(
    `INSERT INTO schedules (name, cron) VALUES ('pipeline', '0 2 1,15 * *'), ('sync', '0 2 * * *'), ('prewarm', '0 3 * * 1'), ('alerts', '0 * * * *')
     ON CONFLICT (name) DO NOTHING`,
  );
  return { runs, snapshots, alerts: size.resolvedAlerts + 2 };
}
