// Pipeline run state lives in PostgreSQL (pipeline_runs), so "what happened to run 42?" is one
// query. Stage updates are single atomic jsonb statements: concurrent workers never clobber.
import type { Database } from '../db/database';
import type { StageName } from '../queues/registry';
import {
  RunAlreadyActiveError,
  type PipelineRunView,
  type RunMode,
  type RunStatus,
  type StageState,
} from './pipeline-service';
import { oneRow } from '../db/one-row';

const ACTIVE: RunStatus[] = ['queued', 'running', 'waiting'];
const RUN_LOCK = 724_911_004;

interface RunRow {
  id: number;
  mode: string;
  status: string;
  trigger: string;
  engine: string;
  recipes: string[] | null;
  stages: Record<string, StageState>;
  retune: boolean;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
  force_load: boolean;
}

function toView(r: RunRow): PipelineRunView {
  return {
    id: r.id,
    mode: r.mode as RunMode,
    status: r.status as RunStatus,
    trigger: r.trigger,
    engine: r.engine,
    recipes: r.recipes ?? [],
    stages: r.stages,
    retune: r.retune,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    updatedAt: r.updated_at,
    forceLoad: r.force_load,
  };
}

export class RunStore {
  constructor(private readonly db: Database) {}

  /** Creates a run unless one is active; the advisory lock makes check-and-insert atomic. */
  async create(input: {
    mode: RunMode;
    trigger: string;
    engine: string;
    recipes: string[];
    stages: StageName[];
    retune?: boolean;
    forceLoad?: boolean;
  }): Promise<PipelineRunView> {
    return this.db.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [RUN_LOCK]);
      const active = await client.query<{ id: number }>(
        'SELECT id FROM pipeline_runs WHERE status = ANY($1) ORDER BY id LIMIT 1',
        [ACTIVE],
      );
      if (active.rows[0]) throw new RunAlreadyActiveError(active.rows[0].id);
      const stages = Object.fromEntries(input.stages.map((s) => [s, { status: 'pending' } satisfies StageState]));
      const { rows } = await client.query<RunRow>(
        `INSERT INTO pipeline_runs (mode, status, trigger, engine, recipes, stages, retune, force_load)
         VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          input.mode,
          input.trigger,
          input.engine,
          input.recipes,
          JSON.stringify(stages),
          input.retune ?? false,
          input.forceLoad ?? false,
        ],
      );
      return toView(oneRow(rows, 'INSERT INTO pipeline_runs'));
    });
  }

  async get(id: number): Promise<PipelineRunView | null> {
    const { rows } = await this.db.pool.query<RunRow>('SELECT * FROM pipeline_runs WHERE id = $1', [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  async list(first: number, afterId?: number): Promise<PipelineRunView[]> {
    const { rows } = await this.db.pool.query<RunRow>(
      'SELECT * FROM pipeline_runs WHERE ($1::int IS NULL OR id < $1) ORDER BY id DESC LIMIT $2',
      [afterId ?? null, first],
    );
    return rows.map(toView);
  }

  /** Every active run (normally at most one), oldest first: what the stuck-run sweep inspects. */
  async listActive(): Promise<PipelineRunView[]> {
    const { rows } = await this.db.pool.query<RunRow>(
      'SELECT * FROM pipeline_runs WHERE status = ANY($1) ORDER BY id',
      [ACTIVE],
    );
    return rows.map(toView);
  }

  async active(): Promise<PipelineRunView | null> {
    const { rows } = await this.db.pool.query<RunRow>(
      'SELECT * FROM pipeline_runs WHERE status = ANY($1) ORDER BY id LIMIT 1',
      [ACTIVE],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  /**
   * Merges a patch into one stage's state; a key set to undefined is removed (JSON has no
   * undefined, so a merge alone would keep the old value). Sets the run running when a stage starts.
   */
  async patchStage(id: number, stage: StageName, patch: Partial<StageState>): Promise<void> {
    // Widened on purpose: at run time a key may hold undefined, which Partial's entries do not show.
    const entries: [string, unknown][] = Object.entries(patch);
    const removed = entries.flatMap(([key, value]) => (value === undefined ? [key] : []));
    await this.db.pool.query(
      `UPDATE pipeline_runs
          SET stages = jsonb_set(stages, ARRAY[$2::text], (COALESCE(stages -> $2, '{}'::jsonb) - $5::text[]) || $3::jsonb),
              status = CASE WHEN status IN ('queued', 'waiting') AND $4 THEN 'running' ELSE status END,
              started_at = COALESCE(started_at, CASE WHEN $4 THEN now() END),
              updated_at = now()
        WHERE id = $1`,
      [id, stage, JSON.stringify(patch), patch.status === 'running', removed],
    );
  }

  /** Sets the status of a run that has not finished yet; false when it had (nothing changed). */
  async setStatus(id: number, status: RunStatus, error?: string): Promise<boolean> {
    const finished = status === 'succeeded' || status === 'failed' || status === 'cancelled';
    const { rowCount } = await this.db.pool.query(
      `UPDATE pipeline_runs SET status = $2, error = COALESCE($3, error),
              finished_at = CASE WHEN $4 THEN now() ELSE finished_at END,
              updated_at = now()
        WHERE id = $1 AND status NOT IN ('succeeded', 'failed', 'cancelled')`,
      [id, status, error ?? null, finished],
    );
    return (rowCount ?? 0) > 0;
  }
}
