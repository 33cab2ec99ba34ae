// Retained batches: an experiment's variant may be pinned to a model version, so the batch that
// serves that model must outlive the load that replaces it. A model version is served by the
// newest batch whose provenance names it; when that batch is no longer the newest, its cache
// tables are kept as copies named `<table>_b<version>` (all of them, so a retained batch always
// reads whole). The loader keeps them (renaming the replaced tables, copying the untouched ones),
// and drops every copy no pin needs any more: storage is bounded by one copy of the cache tables
// per pinned batch. Callers (the load stage, experiment moves) say which model versions are pinned.
import type { PoolClient } from 'pg';
import type { Database } from '../db/database';
import { BATCH_COLUMNS, batchFromRow, type Batch, type BatchRow } from './batch';
import { RESULT_KINDS, type ResultKind } from './result-kinds';

/** Serialises loads, pin checks and pin releases: a pin checked can never lose its batch. */
export const BATCH_PIN_LOCK = 7_140_160;

/** Which model versions are pinned, read inside the caller's transaction. */
export type PinnedModelVersions = (client: PoolClient) => Promise<readonly number[]>;

const KINDS = Object.keys(RESULT_KINDS) as ResultKind[];

/** The retained copy of `kind`'s table for batch `version`. */
export function retainedTable(kind: ResultKind, version: number): string {
  return `${RESULT_KINDS[kind].table}_b${Math.trunc(version)}`;
}

const RETAINED = new RegExp(`^(${KINDS.map((k) => RESULT_KINDS[k].table).join('|')})_b(\\d+)$`);

/** The retained copies in this schema: table name and the batch version it holds. */
export async function retainedTables(
  q: Pick<PoolClient, 'query'>,
): Promise<{ table: string; kind: ResultKind; version: number }[]> {
  const { rows } = await q.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename ~ '_b[0-9]+$'`,
  );
  const out: { table: string; kind: ResultKind; version: number }[] = [];
  for (const { tablename } of rows) {
    const m = RETAINED.exec(tablename);
    const kind = KINDS.find((k) => RESULT_KINDS[k].table === m?.[1]);
    if (m && kind) out.push({ table: tablename, kind, version: Number(m[2]) });
  }
  return out;
}

/** For each model version, the newest batch whose provenance names it (absent: none does). */
async function servingBatches(q: Pick<PoolClient, 'query'>, modelVersions: readonly number[]) {
  const { rows } = await q.query<BatchRow & { model_version: number }>(
    `SELECT DISTINCT ON (m) m AS model_version, ${BATCH_COLUMNS.split(', ')
      .map((c) => `b.${c}`)
      .join(', ')}
       FROM unnest($1::int[]) m
       JOIN cache_batches b ON EXISTS (SELECT 1 FROM jsonb_each(b.model_versions) e WHERE e.value = to_jsonb(m))
      ORDER BY m, b.id DESC`,
    [[...new Set(modelVersions)]],
  );
  return new Map(rows.map((r) => [r.model_version, batchFromRow(r)]));
}

async function newestVersion(q: Pick<PoolClient, 'query'>): Promise<number> {
  const { rows } = await q.query<{ id: number }>('SELECT id FROM cache_batches ORDER BY id DESC LIMIT 1');
  return rows[0]?.id ?? 0;
}

/**
 * The batch that serves `modelVersion`, when its results are still there: the newest batch (the
 * live tables) or a retained one (`retained: true`: read from its copies). Null when no batch
 * names the model, or its batch has been replaced and was not kept.
 */
export async function batchOfModelVersion(q: Pick<PoolClient, 'query'>, modelVersion: number): Promise<Batch | null> {
  const batch = (await servingBatches(q, [modelVersion])).get(modelVersion);
  if (!batch) return null;
  if (batch.version === (await newestVersion(q))) return batch;
  const kept = (await retainedTables(q)).filter((t) => t.version === batch.version);
  return kept.length === KINDS.length ? { ...batch, retained: true } : null;
}

/** The batches the pins need kept (the newest batch is the live tables, never a copy). */
export async function batchesToRetain(
  q: Pick<PoolClient, 'query'>,
  pinned: readonly number[],
  newest: number,
): Promise<Set<number>> {
  if (!pinned.length) return new Set();
  const serving = await servingBatches(q, pinned);
  return new Set([...serving.values()].map((b) => b.version).filter((v) => v !== newest));
}

/** Copies the live tables of `kinds` as `version`'s retained copies (before a load changes them). */
export async function copyLiveTables(client: PoolClient, kinds: readonly ResultKind[], version: number): Promise<void> {
  for (const kind of kinds) {
    const copy = retainedTable(kind, version);
    await client.query(`DROP TABLE IF EXISTS "${copy}"`);
    await client.query(`CREATE TABLE "${copy}" (LIKE "${RESULT_KINDS[kind].table}" INCLUDING ALL)`);
    await client.query(`INSERT INTO "${copy}" SELECT * FROM "${RESULT_KINDS[kind].table}"`);
  }
}

/**
 * Renames the live table of `kind` to `version`'s retained copy, constraint included (so the
 * table taking the live name can take the live constraint name).
 */
export async function retireLiveTable(client: PoolClient, kind: ResultKind, version: number): Promise<void> {
  const live = RESULT_KINDS[kind].table;
  const copy = retainedTable(kind, version);
  await client.query(`DROP TABLE IF EXISTS "${copy}"`);
  await client.query(`ALTER TABLE "${live}" RENAME TO "${copy}"`);
  await client.query(`ALTER TABLE "${copy}" RENAME CONSTRAINT "${live}_pkey" TO "${copy}_pkey"`);
}

/** Drops every retained copy whose batch is not in `keep`; returns the batches dropped. */
export async function dropRetainedExcept(
  client: Pick<PoolClient, 'query'>,
  keep: ReadonlySet<number>,
): Promise<number[]> {
  const dropped = new Set<number>();
  for (const t of await retainedTables(client)) {
    if (keep.has(t.version)) continue;
    await client.query(`DROP TABLE IF EXISTS "${t.table}"`);
    dropped.add(t.version);
  }
  return [...dropped];
}

/**
 * After an experiment stops or ships: drops the copies no pinned model version needs any more.
 * Under the pin lock, so a load or a pin check in progress is never undercut.
 */
export async function releaseUnpinnedBatches(db: Database, pinned: PinnedModelVersions): Promise<number[]> {
  return db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [BATCH_PIN_LOCK]);
    const keep = await batchesToRetain(client, await pinned(client), await newestVersion(client));
    return dropRetainedExcept(client, keep);
  });
}
