// Read-only views for operators: batch jobs (a cursor connection), coverage, freshness, alerts and
// model versions. Coverage figures (src/results, the one definition) are computed at most once
// per `statusTtlMs` (they scan tables), and past it refreshed behind the figures in hand.
import type { Pool } from 'pg';
import { readHealthFigures } from '../results';

export interface BatchJobRow {
  id: number;
  name: string | null;
  arn: string | null;
  recipe: string | null;
  status: string | null;
  runId: number | null;
  startedAt: Date | null;
  completedAt: Date | null;
  failureReason: string | null;
}

export interface CoverageFigures {
  coverage: number;
  freshnessDays: number | null;
  customersWithRecommendations: number;
  orderingCustomers: number;
  productsWithSimilarItems: number;
}

export interface AlertRow {
  id: number;
  kind: string;
  severity: string;
  message: string;
  raisedAt: Date;
}

export interface ModelVersionRow {
  id: number;
  recipe: string;
  engine: string;
  status: string;
  runId: number | null;
  trainedAt: Date | null;
  metrics: Record<string, number> | null;
  /** model_versions.tuning as stored (see src/engine/local/tuning/run-tuning.ts). */
  tuning: unknown;
  /** The parameters it was trained with (engine-specific). */
  params: Record<string, unknown>;
}

export class AdminReads {
  private coverageCache: { at: number; batchVersion: number | undefined; value: Promise<CoverageFigures> } | undefined;
  private coverageRefresh: Promise<CoverageFigures> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly statusTtlMs = 30_000,
  ) {}

  async batchJobs(opts: { first: number; afterId?: number; status?: string; recipe?: string }): Promise<BatchJobRow[]> {
    const { rows } = await this.pool.query<BatchJobRow>(
      `SELECT job_id AS id, job_name AS name, job_arn AS arn, recipe_name AS recipe, status, run_id AS "runId",
              started_at AS "startedAt", completed_at AS "completedAt", failure_reason AS "failureReason"
         FROM batch_job_metadata
        WHERE ($1::int IS NULL OR job_id < $1) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR recipe_name = $3)
        ORDER BY job_id DESC LIMIT $4`,
      [opts.afterId ?? null, opts.status ?? null, opts.recipe ?? null, opts.first],
    );
    return rows;
  }

  /**
   * Coverage and the newest batch's freshness (src/results/health-figures.ts defines both). A new
   * batch version, when the caller knows it, recomputes at once: a load changes coverage. Past the
   * TTL the figures in hand are still served while new ones are computed behind them: at the
   * reference size computing takes about a second (BENCHMARKS.md, bench/dashboard), which every
   * 30 s one overview would otherwise wait for.
   */
  coverage(batchVersion?: number, now = Date.now()): Promise<CoverageFigures> {
    const cached = this.coverageCache;
    if (!cached || (batchVersion !== undefined && cached.batchVersion !== batchVersion)) {
      const value = this.computeCoverage();
      value.catch(() => (this.coverageCache = undefined));
      this.coverageCache = { at: now, batchVersion, value };
      return value;
    }
    if (now - cached.at > this.statusTtlMs && !this.coverageRefresh) {
      const refresh = this.computeCoverage();
      this.coverageRefresh = refresh;
      refresh.then(
        () => {
          // Unless a new batch replaced the entry meanwhile.
          if (this.coverageCache === cached)
            this.coverageCache = { at: now, batchVersion: cached.batchVersion, value: refresh };
          this.coverageRefresh = undefined;
        },
        () => {
          // The next call computes afresh and awaits it, so the error reaches a caller.
          if (this.coverageCache === cached) this.coverageCache = undefined;
          this.coverageRefresh = undefined;
        },
      );
    }
    return cached.value;
  }

  async activeAlerts(): Promise<AlertRow[]> {
    const { rows } = await this.pool.query<AlertRow>(
      `SELECT id, kind, severity, message, raised_at AS "raisedAt" FROM alerts WHERE resolved_at IS NULL ORDER BY raised_at DESC LIMIT 100`,
    );
    return rows;
  }

  async latestModelVersions(): Promise<ModelVersionRow[]> {
    const { rows } = await this.pool.query<ModelVersionRow>(
      `SELECT DISTINCT ON (recipe) id, recipe, engine, status, run_id AS "runId", trained_at AS "trainedAt", metrics, tuning, params
         FROM model_versions ORDER BY recipe, created_at DESC, id DESC`,
    );
    return rows;
  }

  private async computeCoverage(): Promise<CoverageFigures> {
    const f = await readHealthFigures(this.pool);
    return {
      coverage: f.coveragePercent,
      freshnessDays: f.freshnessDays,
      customersWithRecommendations: f.customersWithRecommendations,
      orderingCustomers: f.orderingCustomers,
      productsWithSimilarItems: f.productsWithSimilarItems,
    };
  }
}
