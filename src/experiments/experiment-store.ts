// The `experiments` table and its history: create, read, and the lifecycle moves. A move is one
// transaction under an advisory lock, so "at most one running experiment per surface" holds
// however many admins start experiments at once.
import type { PoolClient } from 'pg';
import type { Database } from '../db/database';
import { oneRow } from '../db/one-row';
import { BATCH_PIN_LOCK, batchOfModelVersion, type Batch } from '../results';
import { ExperimentError } from './experiment-errors';
import {
  pinnedModelVersion,
  type Experiment,
  type ExperimentStatus,
  type HistoryEntry,
  type NewExperiment,
  type Surface,
  type Variant,
} from './experiment-types';
import { validateNewExperiment } from './experiment-validation';

const LOCK = 7_140_014;
const DEFAULT_WINDOW_DAYS = 7;
const DEFAULT_PLANNED = 10_000;

interface Row {
  id: number;
  name: string;
  description: string | null;
  status: ExperimentStatus;
  surfaces: Surface[];
  variants: Variant[];
  control_key: string;
  attribution_window_days: number;
  planned_customers_per_variant: number;
  shipped_variant: string | null;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
}

const toExperiment = (r: Row): Experiment => ({
  id: r.id,
  name: r.name,
  description: r.description,
  status: r.status,
  surfaces: r.surfaces,
  variants: r.variants,
  controlKey: r.control_key,
  attributionWindowDays: r.attribution_window_days,
  plannedCustomersPerVariant: r.planned_customers_per_variant,
  shippedVariant: r.shipped_variant,
  createdAt: r.created_at,
  startedAt: r.started_at,
  endedAt: r.ended_at,
});

export type LifecycleAction = 'start' | 'pause' | 'resume' | 'stop' | 'ship';

/** Where each action may start from, and where it leads. */
const MOVES: Record<LifecycleAction, { from: ExperimentStatus[]; to: ExperimentStatus }> = {
  start: { from: ['DRAFT'], to: 'RUNNING' },
  pause: { from: ['RUNNING'], to: 'PAUSED' },
  resume: { from: ['PAUSED'], to: 'RUNNING' },
  stop: { from: ['DRAFT', 'RUNNING', 'PAUSED', 'SHIPPED'], to: 'STOPPED' },
  ship: { from: ['RUNNING', 'PAUSED', 'STOPPED'], to: 'SHIPPED' },
};

/** Experiments that hold their pins: every one not ended (a draft too, so it can still start). */
const PINNING = `status IN ('DRAFT', 'RUNNING', 'PAUSED')`;

/**
 * The model versions variants of unended experiments are pinned to (the batches the loader keeps),
 * read with the caller's client (the loader reads it inside its own transaction).
 */
export async function pinnedModelVersions(q: Pick<PoolClient, 'query'>): Promise<number[]> {
  const { rows } = await q.query<{ variants: Variant[] }>(`SELECT variants FROM experiments WHERE ${PINNING}`);
  return [...new Set(rows.flatMap((r) => r.variants.map(pinnedModelVersion).filter((m): m is number => m !== null)))];
}

/**
 * A variant pinned to a model version needs that model's batch results: the live batch or a kept
 * one. Under the pin lock, so no load drops it between this check and the experiment's insert.
 */
async function checkPinsAvailable(client: PoolClient, variants: readonly Variant[]): Promise<void> {
  if (!variants.some((v) => pinnedModelVersion(v) !== null)) return;
  await client.query('SELECT pg_advisory_xact_lock($1)', [BATCH_PIN_LOCK]);
  for (const [i, v] of variants.entries()) {
    const m = pinnedModelVersion(v);
    if (m === null || (await batchOfModelVersion(client, m))) continue;
    throw new ExperimentError(
      'INVALID',
      `model version ${m} has no batch results to serve: no loaded batch names it, or its batch was replaced while no experiment pinned it`,
      ['variants', String(i), 'strategy', 'modelVersion'],
    );
  }
}

export class ExperimentStore {
  constructor(private readonly db: Database) {}

  async create(x: NewExperiment): Promise<Experiment> {
    validateNewExperiment(x);
    return this.db.transaction(async (client) => {
      await checkPinsAvailable(client, x.variants);
      const { rows } = await client.query<Row>(
        `INSERT INTO experiments (name, description, surfaces, variants, control_key, attribution_window_days, planned_customers_per_variant)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          x.name.trim(),
          x.description ?? null,
          x.surfaces,
          JSON.stringify(x.variants),
          x.controlKey,
          x.attributionWindowDays ?? DEFAULT_WINDOW_DAYS,
          x.plannedCustomersPerVariant ?? DEFAULT_PLANNED,
        ],
      );
      const created = toExperiment(oneRow(rows, 'INSERT INTO experiments'));
      await this.record(client, created.id, 'create', null, 'DRAFT', null);
      return created;
    });
  }

  /** The batch serving a model version (live or kept), or null: see src/results/batch-retention.ts. */
  batchOfModelVersion(modelVersion: number): Promise<Batch | null> {
    return batchOfModelVersion(this.db.pool, modelVersion);
  }

  async get(id: number): Promise<Experiment | null> {
    const { rows } = await this.db.pool.query<Row>('SELECT * FROM experiments WHERE id = $1', [id]);
    return rows[0] ? toExperiment(rows[0]) : null;
  }

  async list(opts: { status?: ExperimentStatus; first: number; afterId?: number }): Promise<Experiment[]> {
    const { rows } = await this.db.pool.query<Row>(
      `SELECT * FROM experiments WHERE ($1::text IS NULL OR status = $1) AND ($2::int IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [opts.status ?? null, opts.afterId ?? null, opts.first],
    );
    return rows.map(toExperiment);
  }

  /** What serving needs: the running experiments and the shipped ones (newest first). */
  async serving(): Promise<Experiment[]> {
    const { rows } = await this.db.pool.query<Row>(
      `SELECT * FROM experiments WHERE status IN ('RUNNING', 'SHIPPED') ORDER BY ended_at DESC NULLS FIRST, id DESC`,
    );
    return rows.map(toExperiment);
  }

  async history(id: number): Promise<HistoryEntry[]> {
    const { rows } = await this.db.pool.query<{
      action: string;
      from_status: ExperimentStatus | null;
      to_status: ExperimentStatus;
      note: string | null;
      at: Date;
    }>('SELECT action, from_status, to_status, note, at FROM experiment_history WHERE experiment_id = $1 ORDER BY id', [
      id,
    ]);
    return rows.map((r) => ({
      action: r.action,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      note: r.note,
      at: r.at,
    }));
  }

  /**
   * Moves an experiment along its lifecycle. Starting or resuming refuses when another running
   * experiment covers one of its surfaces; shipping needs the winning variant's key.
   */
  async move(id: number, action: LifecycleAction, opts: { variant?: string; note?: string } = {}): Promise<Experiment> {
    return this.db.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
      const { rows } = await client.query<Row>('SELECT * FROM experiments WHERE id = $1 FOR UPDATE', [id]);
      const row = rows[0];
      if (!row) throw new ExperimentError('NOT_FOUND', `no experiment ${id}`, ['id']);
      const move = MOVES[action];
      if (!move.from.includes(row.status))
        throw new ExperimentError(
          'INVALID_TRANSITION',
          `cannot ${action} experiment ${id}: it is ${row.status} (${action} needs ${move.from.join(' or ')})`,
          ['id'],
        );
      if (move.to === 'RUNNING') {
        const busy = await client.query<{ id: number; name: string; surfaces: string[] }>(
          `SELECT id, name, surfaces FROM experiments WHERE status = 'RUNNING' AND id <> $1 AND surfaces && $2::text[] LIMIT 1`,
          [id, row.surfaces],
        );
        const other = busy.rows[0];
        if (other) {
          const shared = other.surfaces.filter((s) => row.surfaces.includes(s as Surface));
          throw new ExperimentError(
            'SURFACE_BUSY',
            `experiment ${other.id} ("${other.name}") is running on ${shared.join(', ')}; pause or stop it first`,
            ['id'],
          );
        }
      }
      let shipped: string | null = row.shipped_variant;
      if (action === 'ship') {
        if (!opts.variant || !row.variants.some((v) => v.key === opts.variant))
          throw new ExperimentError('INVALID', `variant must be one of ${row.variants.map((v) => v.key).join(', ')}`, [
            'variant',
          ]);
        shipped = opts.variant;
      }
      if (action === 'stop') shipped = null;
      const { rows: updated } = await client.query<Row>(
        `UPDATE experiments SET status = $2::varchar, shipped_variant = $3, updated_at = now(),
           started_at = CASE WHEN $2::varchar = 'RUNNING' THEN COALESCE(started_at, now()) ELSE started_at END,
           ended_at = CASE WHEN $2::varchar IN ('STOPPED', 'SHIPPED') THEN now() ELSE ended_at END
         WHERE id = $1 RETURNING *`,
        [id, move.to, shipped],
      );
      const note =
        action === 'ship' ? `shipped ${shipped ?? ''}${opts.note ? `: ${opts.note}` : ''}` : (opts.note ?? null);
      await this.record(client, id, action, row.status, move.to, note);
      return toExperiment(oneRow(updated, 'UPDATE experiments'));
    });
  }

  private async record(
    client: PoolClient,
    id: number,
    action: string,
    from: ExperimentStatus | null,
    to: ExperimentStatus,
    note: string | null,
  ): Promise<void> {
    await client.query(
      'INSERT INTO experiment_history (experiment_id, action, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5)',
      [id, action, from, to, note],
    );
  }
}
