// The one loader for both engines: batch output (JSON Lines) -> cache tables.
// FULL: each output is COPYed into a fresh table built like the live one; then, in one short
// transaction, the new tables take the live names. A reader sees the old batch or the new one,
// never a mix, and the bulk of the work (COPY, indexing) happens outside any lock.
// UPDATE: only changed customers and products are merged into the live tables, in one transaction.
// Each load is one cache_batches row carrying its provenance (model version per recipe, params digest).
import type { PoolClient } from 'pg';
import type { Database } from '../db/database';
import type { ObjectStore } from '../storage/object-store';
import { BATCH_COLUMNS, batchFromRow, provenanceOf, type Batch, type BatchRow, type ModelVersionRow } from './batch';
import type { BatchLineProblem } from './batch-output-reader';
import { kindOfOutput, RESULT_KINDS, type ResultKind } from './result-kinds';
import { excludePurchasedFromStaging } from './purchase-exclusion';
import { copyOutputToStaging } from './staging-writer';
import { checkCoverage, checkFailedShare, type LoadGuard } from './load-guard';
import {
  BATCH_PIN_LOCK,
  batchesToRetain,
  copyLiveTables,
  dropRetainedExcept,
  retireLiveTable,
  type PinnedModelVersions,
} from './batch-retention';

export interface LoadRequest {
  runId: number;
  mode: 'FULL' | 'UPDATE';
  /** Object-store keys of the batch outputs, by output name (`user-personalization`, ...). */
  outputs: Record<string, string>;
  /** UPDATE mode: only these customers and products are replaced. */
  only?: { users: Set<string>; items: Set<string> };
  /** When no personalised output exists, every customer gets the global popularity list. */
  fillUsersFromPopularity: boolean;
  /** When to refuse the batch instead of swapping it in (load-guard.ts). */
  guard: LoadGuard;
  /**
   * The model versions experiments pin (batch-retention.ts): the batch this load replaces is kept
   * when it serves one of them. None given: nothing is kept, and older copies are dropped.
   */
  pinnedModelVersions?: PinnedModelVersions;
  /** EXCLUDE_PURCHASED: customer lists lose every product of their purchase history (purchase-exclusion.ts); default off. */
  excludePurchased?: boolean;
}

export interface LoadResult {
  batchVersion: number;
  batch: Batch;
  rows: Partial<Record<ResultKind, number>>;
  /** Customer lists that lost a purchased product the engine had left in. */
  purchasedExcluded: number;
  failedLines: number;
  /** Every line of the batch outputs, good or failed. */
  lines: number;
  problems: BatchLineProblem[];
}

const MAX_PROBLEMS_KEPT = 50;

function targetsOf(req: LoadRequest): { name: string; key: string; target: ResultKind }[] {
  const out: { name: string; key: string; target: ResultKind }[] = [];
  for (const [name, key] of Object.entries(req.outputs)) {
    const target = kindOfOutput(name);
    if (target === undefined) throw new Error(`unknown batch output "${name}"`);
    if (target !== null) out.push({ name, key, target });
  }
  return out;
}

const staging = (t: ResultKind, mode: LoadRequest['mode']) =>
  `stage_${RESULT_KINDS[t].table}${mode === 'UPDATE' ? '_merge' : ''}`;

async function createStaging(client: PoolClient, t: ResultKind, mode: LoadRequest['mode']): Promise<void> {
  const live = RESULT_KINDS[t].table;
  if (mode === 'FULL') {
    // A real table (not TEMP) so it can take the live name; a leftover from a crashed load goes first.
    await client.query(`DROP TABLE IF EXISTS "${staging(t, mode)}"`);
    await client.query(`CREATE TABLE "${staging(t, mode)}" (LIKE "${live}" INCLUDING ALL)`);
  } else {
    await client.query(`CREATE TEMP TABLE "${staging(t, mode)}" (LIKE "${live}" INCLUDING ALL) ON COMMIT DROP`);
  }
}

async function fillFromPopularity(
  client: PoolClient,
  mode: LoadRequest['mode'],
  only: LoadRequest['only'],
): Promise<number> {
  const r = await client.query(
    `INSERT INTO "${staging('userRecommendations', mode)}" (user_id, recommendations, recipe_name)
     SELECT c.id, p.items, p.recipe_name FROM customers c
       JOIN "${staging('popularItems', mode)}" p ON p.scope = 'global' AND p.scope_value = ''
      WHERE $1::text[] IS NULL OR c.id = ANY($1)`,
    [only ? [...only.users] : null],
  );
  return r.rowCount ?? 0;
}

async function swapIn(
  client: PoolClient,
  targets: ResultKind[],
  lockTimeoutMs: number,
  retireAs: number | null,
): Promise<void> {
  // Fixed order: two loads can never deadlock on each other's locks.
  const ordered = [...targets].sort();
  // Readers queue behind a waiting ACCESS EXCLUSIVE request: a swap stuck behind a long reader
  // must give up (the load fails and its job retries) instead of blocking every reader with it.
  await client.query(`SET LOCAL lock_timeout = ${Math.floor(lockTimeoutMs)}`);
  for (const t of ordered) await client.query(`LOCK TABLE "${RESULT_KINDS[t].table}" IN ACCESS EXCLUSIVE MODE`);
  for (const t of ordered) {
    const live = RESULT_KINDS[t].table;
    const stage = staging(t, 'FULL');
    // The replaced table is kept as the retained copy of the batch it served, when a pin needs it.
    if (retireAs === null) await client.query(`DROP TABLE "${live}"`);
    else await retireLiveTable(client, t, retireAs);
    await client.query(`ALTER TABLE "${stage}" RENAME TO "${live}"`);
    // Keep the constraint name the migrations created, so the schema stays as Prisma knows it.
    await client.query(`ALTER TABLE "${live}" RENAME CONSTRAINT "${stage}_pkey" TO "${live}_pkey"`);
  }
}

async function mergeIn(client: PoolClient, t: ResultKind): Promise<number> {
  const spec = RESULT_KINDS[t];
  const cols = [...spec.keyColumns, spec.listColumn, 'recipe_name'].map((c) => `"${c}"`).join(', ');
  const result = await client.query(
    `INSERT INTO "${spec.table}" (${cols}, updated_at)
     SELECT ${cols}, updated_at FROM "${staging(t, 'UPDATE')}"
     ON CONFLICT (${spec.keyColumns.map((c) => `"${c}"`).join(', ')}) DO UPDATE
       SET "${spec.listColumn}" = EXCLUDED."${spec.listColumn}", recipe_name = EXCLUDED.recipe_name, updated_at = EXCLUDED.updated_at`,
  );
  return result.rowCount ?? 0;
}

export async function loadResults(db: Database, store: ObjectStore, req: LoadRequest): Promise<LoadResult> {
  const problems: BatchLineProblem[] = [];
  let failedLines = 0;
  let lines = 0;
  const onProblem = (p: BatchLineProblem, name: string) => {
    failedLines += 1;
    if (problems.length < MAX_PROBLEMS_KEPT) problems.push({ line: p.line, reason: `${name}.jsonl: ${p.reason}` });
  };
  const outputs = targetsOf(req);
  const rows: LoadResult['rows'] = {};
  const staged = new Set<ResultKind>(outputs.map((o) => o.target));
  const fill = req.fillUsersFromPopularity && !staged.has('userRecommendations') && staged.has('popularItems');
  if (fill) staged.add('userRecommendations');

  const copyOne = (client: PoolClient, o: (typeof outputs)[number]) =>
    copyOutputToStaging(client, store, {
      name: o.name,
      objectKey: o.key,
      target: o.target,
      stagingTable: staging(o.target, req.mode),
      only: req.only,
      onProblem: (p) => {
        onProblem(p, o.name);
      },
    }).then((n) => {
      rows[o.target] = (rows[o.target] ?? 0) + n.rows;
      lines += n.lines;
    });

  let purchasedExcluded = 0;
  const excludePurchased = async (client: PoolClient) => {
    if (req.excludePurchased && staged.has('userRecommendations'))
      purchasedExcluded = await excludePurchasedFromStaging(client, staging('userRecommendations', req.mode));
  };

  const client = await db.pool.connect();
  let inTransaction = false;
  let batch: Batch;
  try {
    if (req.mode === 'UPDATE') {
      await client.query('BEGIN');
      inTransaction = true;
      for (const t of staged) await createStaging(client, t, req.mode);
      for (const o of outputs) await copyOne(client, o);
      checkFailedShare(req.guard, failedLines, lines);
      if (fill) rows.userRecommendations = await fillFromPopularity(client, req.mode, req.only);
      await excludePurchased(client);
      const { batch: b, retireAs } = await beginBatch(client, req, {});
      // A merge changes the live tables in place: a pinned batch is copied whole before it.
      if (retireAs !== null) await copyLiveTables(client, ALL_KINDS, retireAs);
      for (const t of staged) rows[t] = await mergeIn(client, t);
      await client.query('UPDATE cache_batches SET counts = $2 WHERE id = $1', [
        b.version,
        JSON.stringify({ ...rows, failedLines }),
      ]);
      batch = b;
    } else {
      for (const t of staged) await createStaging(client, t, req.mode);
      // PostgreSQL's JSONB parsing is the cost of a load: outputs go in on parallel connections.
      // allSettled: every copy has ended before a failure drops the staging tables.
      const copies = await Promise.allSettled(outputs.map((o) => withClient(db, (c) => copyOne(c, o))));
      const failed = copies.find((c): c is PromiseRejectedResult => c.status === 'rejected');
      if (failed) throw failed.reason;
      checkFailedShare(req.guard, failedLines, lines);
      if (fill) rows.userRecommendations = await fillFromPopularity(client, req.mode, req.only);
      await checkCoverage(client, req.guard, rows, staged);
      await excludePurchased(client);
      for (const t of staged) await client.query(`ANALYZE "${staging(t, 'FULL')}"`);
      await client.query('BEGIN');
      inTransaction = true;
      const { batch: b, retireAs } = await beginBatch(client, req, { ...rows, failedLines });
      // A pinned batch keeps the tables this load leaves alone too (copied before the swap's locks).
      if (retireAs !== null)
        await copyLiveTables(
          client,
          ALL_KINDS.filter((k) => !staged.has(k)),
          retireAs,
        );
      await swapIn(client, [...staged], db.timeouts.swapLockMs, retireAs);
      batch = b;
    }
    await client.query('COMMIT');
    inTransaction = false;
    return { batchVersion: batch.version, batch, rows, purchasedExcluded, failedLines, lines, problems };
  } catch (err) {
    if (inTransaction) await client.query('ROLLBACK');
    if (req.mode === 'FULL') {
      for (const t of staged) await client.query(`DROP TABLE IF EXISTS "${staging(t, 'FULL')}"`);
    }
    throw err;
  } finally {
    client.release();
  }
}

const ALL_KINDS = Object.keys(RESULT_KINDS) as ResultKind[];

/**
 * Inside the load's transaction, under the pin lock: the new batch row, then which retained copies
 * stay. `retireAs` is the replaced batch's version when a pinned model version is served by it
 * (the caller keeps its tables as copies), else null; copies no pin needs are dropped here.
 */
async function beginBatch(
  client: PoolClient,
  req: LoadRequest,
  counts: Record<string, number>,
): Promise<{ batch: Batch; retireAs: number | null }> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [BATCH_PIN_LOCK]);
  const { batch, previous } = await insertBatch(client, req, counts);
  const pinned = req.pinnedModelVersions ? await req.pinnedModelVersions(client) : [];
  const keep = await batchesToRetain(client, pinned, batch.version);
  await dropRetainedExcept(client, keep);
  return { batch, retireAs: previous.version !== 0 && keep.has(previous.version) ? previous.version : null };
}

/**
 * The batch row, inside the load's transaction: the run's models (one model_versions row per
 * recipe, written by train) name the recipes it trained; the others keep the previous batch's.
 */
async function insertBatch(
  client: PoolClient,
  req: LoadRequest,
  counts: Record<string, number>,
): Promise<{ batch: Batch; previous: Batch }> {
  const previous = batchFromRow(
    (await client.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM cache_batches ORDER BY id DESC LIMIT 1`)).rows[0],
  );
  const { rows: models } = await client.query<ModelVersionRow & { run_id: number | null }>(
    'SELECT id, run_id, recipe, params FROM model_versions WHERE run_id = $1 OR id = ANY($2::int[])',
    [req.runId, Object.values(previous.modelVersions)],
  );
  const provenance = provenanceOf(previous, req.runId, models);
  const { rows } = await client.query<BatchRow>(
    `INSERT INTO cache_batches (run_id, mode, counts, model_versions, params_digest) VALUES ($1, $2, $3, $4, $5) RETURNING ${BATCH_COLUMNS}`,
    [req.runId, req.mode, JSON.stringify(counts), JSON.stringify(provenance.modelVersions), provenance.paramsDigest],
  );
  return { batch: batchFromRow(rows[0]), previous };
}

async function withClient<T>(db: Database, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await db.pool.connect();
  try {
    return await fn(c);
  } finally {
    c.release();
  }
}
