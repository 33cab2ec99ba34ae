// A Batch is one load of results into the cache tables (a cache_batches row) and everything an
// answer needs to say where it came from: its version (the id hot keys carry), the run that
// produced it, the model version of each recipe, a digest of those models' parameters and its load
// time. Requests pin to the Batch object the tracker holds; provenance and staleness are pure
// functions of it (as Gorse's worker/pipeline.go decides staleness from a digest and a time).
import { createHash } from 'node:crypto';
import { recipeOfOutput } from './result-kinds';

export interface Batch {
  /** cache_batches.id; 0 when nothing has been loaded yet. */
  readonly version: number;
  readonly runId: number | null;
  /** recipe -> model_versions.id of the model whose output this batch serves. */
  readonly modelVersions: Readonly<Record<string, number>>;
  readonly paramsDigest: string | null;
  readonly loadedAt: Date | null;
  /**
   * Set when this batch is no longer the newest but is kept for an experiment pinned to one of its
   * model versions: its lists are read from its retained copies (batch-retention.ts).
   */
  readonly retained?: boolean;
}

export const NO_BATCH: Batch = Object.freeze({
  version: 0,
  runId: null,
  modelVersions: {},
  paramsDigest: null,
  loadedAt: null,
});

/** A batch known only by its version (the Redis mirror, while PostgreSQL is down). */
export function versionOnlyBatch(version: number): Batch {
  return version === 0 ? NO_BATCH : { ...NO_BATCH, version };
}

/** The cache_batches columns a Batch is read from. */
export const BATCH_COLUMNS = 'id, run_id, model_versions, params_digest, loaded_at';

export interface BatchRow {
  id: number | null;
  run_id: number | null;
  model_versions: Record<string, number> | null;
  params_digest: string | null;
  loaded_at: Date | null;
}

export function batchFromRow(row: BatchRow | undefined): Batch {
  if (!row || row.id === null) return NO_BATCH;
  return {
    version: row.id,
    runId: row.run_id,
    modelVersions: row.model_versions ?? {},
    paramsDigest: row.params_digest,
    loadedAt: row.loaded_at,
  };
}

/** modelVersion of rows labelled `recipeName` (a cache row's recipe_name) in `batch`. */
export function modelVersionOf(batch: Batch, recipeName: string | null): string | null {
  if (!recipeName) return null;
  const id = batch.modelVersions[recipeOfOutput(recipeName)];
  return id === undefined ? null : String(id);
}

export interface ModelVersionRow {
  id: number;
  recipe: string;
  params: unknown;
}

/**
 * The provenance of a new batch. Recipes the run trained name the run's model; every other recipe
 * keeps the previous batch's model (an UPDATE run retrains some recipes; tables a load leaves alone
 * still hold the older model's lists). `models` are the run's rows and the previous batch's rows.
 */
export function provenanceOf(
  previous: Batch,
  runId: number,
  models: readonly (ModelVersionRow & { run_id: number | null })[],
): { modelVersions: Record<string, number>; paramsDigest: string | null } {
  const params = new Map(models.map((m) => [m.id, m.params]));
  const chosen = new Map<string, number>(Object.entries(previous.modelVersions));
  // Ascending ids: when a recipe has several rows in the run, the newest names the batch.
  for (const m of models.filter((r) => r.run_id === runId).sort((x, y) => x.id - y.id))
    chosen.set(recipeOfOutput(m.recipe), m.id);
  const recipes = [...chosen.keys()].sort();
  const modelVersions = Object.fromEntries([...chosen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    modelVersions,
    paramsDigest: recipes.length
      ? paramsDigest(recipes.map((r) => [r, params.get(chosen.get(r) ?? -1) ?? null]))
      : null,
  };
}

/** sha256 of the recipes' parameters, key order normalised: equal settings give equal digests. */
export function paramsDigest(byRecipe: readonly (readonly [string, unknown])[]): string {
  return createHash('sha256')
    .update(canonicalJson(Object.fromEntries(byRecipe)))
    .digest('hex')
    .slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Freshness: days since the batch was loaded (two decimals); null when nothing is loaded. */
export function freshnessDays(batch: Batch, now: number): number | null {
  if (!batch.loadedAt) return null;
  return Math.round(((now - batch.loadedAt.getTime()) / 86_400_000) * 100) / 100;
}

/** Recommendations older than this are stale (REFERENCE.md alert rule). */
export const MAX_BATCH_AGE_DAYS = 35;

/** A batch is stale when none is loaded or it is older than MAX_BATCH_AGE_DAYS. */
export function isStale(batch: Batch, now: number): boolean {
  const age = freshnessDays(batch, now);
  return age === null || age > MAX_BATCH_AGE_DAYS;
}

/**
 * Whether a cached entry made under `entry` must be made again for `current`: another batch, or
 * the same models run with other parameters.
 */
export function isEntryStale(entry: { version: number; paramsDigest: string | null }, current: Batch): boolean {
  return entry.version !== current.version || entry.paramsDigest !== current.paramsDigest;
}
