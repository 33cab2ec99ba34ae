// The ResultStore over PostgreSQL: reads of the cache tables (REFERENCE.md shapes), resolved into
// the lists the hot layer stores, labelled with the model version from the pinned Batch.
import type { Pool } from 'pg';
import { BATCH_COLUMNS, batchFromRow, modelVersionOf, NO_BATCH, type Batch, type BatchRow } from './batch';
import { BatchMovedError } from './batch-moved-error';
import { retainedTable } from './batch-retention';
import { RESULT_KINDS, type ListKind, type ResultKind } from './result-kinds';
import type { ProductLookup, ResultStore } from './result-store';
import type {
  CachedList,
  CachedSegment,
  PopularScope,
  ProductRow,
  ScoredProductJson,
  StoredReason,
  ScoredUserJson,
} from './result-types';
import { oneRow } from '../db/one-row';

const POPULAR = RESULT_KINDS.popularItems;
const SEGMENTS = RESULT_KINDS.itemSegments;

/** The table `batch`'s lists of `kind` are in: the live one, or the retained copy of a kept batch. */
const tableOf = (batch: Batch, kind: ResultKind) =>
  batch.retained ? `"${retainedTable(kind, batch.version)}"` : RESULT_KINDS[kind].table;

/** PostgreSQL's undefined_table: a retained copy dropped since (its experiment stopped). */
const UNDEFINED_TABLE = '42P01';

export class PostgresResultStore implements ResultStore {
  constructor(
    private readonly pool: Pool,
    private readonly catalog: ProductLookup,
  ) {}

  /**
   * Each read returns the cache rows and the newest cache_batches id from one statement, hence one
   * snapshot: a load that commits in between cannot pair one batch's rows with another's version.
   * Throws BatchMovedError when that id is not the version of `batch`, the one the caller is pinned to.
   */
  async list(batch: Batch, kind: ListKind, id: string): Promise<CachedList | null> {
    const t = RESULT_KINDS[kind];
    const row = await this.read<{ items: unknown; recipe_name: string | null }>(
      batch,
      `SELECT t.${t.listColumn} AS items, t.recipe_name FROM ${tableOf(batch, kind)} t WHERE t.${t.keyColumns[0]} = $1`,
      [id],
    );
    return row ? this.resolve(batch, row.items, row.recipe_name) : null;
  }

  /**
   * Many lists of one table at `version` in one statement (the cache warmer's read): the same
   * snapshot rule as list(), the same lists; ids without a row map to null.
   */
  async lists(batch: Batch, kind: ListKind, ids: readonly string[]): Promise<Map<string, CachedList | null>> {
    const t = RESULT_KINDS[kind];
    const key = t.keyColumns[0];
    const rows = await this.readRows<{ id: string; items: unknown; recipe_name: string | null }>(
      batch,
      `SELECT t.${key} AS id, t.${t.listColumn} AS items, t.recipe_name FROM ${tableOf(batch, kind)} t WHERE t.${key} = ANY($1::text[])`,
      [ids],
    );
    const found = rows.map((r) => ({ ...r, scored: scoredEntries(r.items) }));
    const products = await this.catalog.productsByIds([
      ...new Set(found.flatMap((r) => r.scored.map((e) => e.product_id))),
    ]);
    const out = new Map<string, CachedList | null>(ids.map((id) => [id, null]));
    for (const r of found) out.set(r.id, this.build(batch, r.scored, r.recipe_name, products));
    return out;
  }

  /** scope 'global' (value ''), 'category' or 'province'. */
  async popular(batch: Batch, scope: PopularScope, value: string): Promise<CachedList | null> {
    const [scopeColumn, valueColumn] = POPULAR.keyColumns;
    if (valueColumn === undefined) throw new Error(`${POPULAR.table} needs a scope and a value key column`);
    const row = await this.read<{ items: unknown; recipe_name: string | null }>(
      batch,
      `SELECT t.${POPULAR.listColumn} AS items, t.recipe_name FROM ${tableOf(batch, 'popularItems')} t WHERE t.${scopeColumn} = $1 AND t.${valueColumn} = $2`,
      [scope, value],
    );
    return row ? this.resolve(batch, row.items, row.recipe_name) : null;
  }

  async segment(batch: Batch, productId: string): Promise<CachedSegment | null> {
    const row = await this.read<{ users: unknown; recipe_name: string | null }>(
      batch,
      `SELECT t.${SEGMENTS.listColumn} AS users, t.recipe_name FROM ${tableOf(batch, 'itemSegments')} t WHERE t.${SEGMENTS.keyColumns[0]} = $1`,
      [productId],
    );
    if (!row) return null;
    const users = (Array.isArray(row.users) ? (row.users as (ScoredUserJson | null)[]) : [])
      .filter((u): u is ScoredUserJson => typeof u?.user_id === 'string')
      .map((u) => ({ userId: u.user_id, score: typeof u.score === 'number' ? u.score : 0 }));
    return { users, modelVersion: modelVersionOf(batch, row.recipe_name) };
  }

  /** Runs `select` (at most one row) beside the current batch, in one statement. */
  private async read<R extends object>(batch: Batch, select: string, params: unknown[]): Promise<R | null> {
    return (await this.readRows<R>(batch, `${select} LIMIT 1`, params))[0] ?? null;
  }

  /**
   * Runs `select` beside the newest batch, in one statement (one snapshot): its rows, or a
   * BatchMovedError (carrying the newer Batch) when that batch is not `pinned`.
   */
  private async readRows<R extends object>(pinned: Batch, select: string, params: unknown[]): Promise<R[]> {
    // A retained batch's copies never change: no newer load can move them, only drop them.
    if (pinned.retained) {
      try {
        return (await this.pool.query<R>(select, params)).rows;
      } catch (err) {
        if ((err as { code?: unknown }).code === UNDEFINED_TABLE) throw new BatchMovedError(pinned.version, NO_BATCH);
        throw err;
      }
    }
    const { rows } = await this.pool.query<R & { batch: number; found: boolean | null; newest: BatchRow | null }>(
      `SELECT coalesce(b.id, 0) AS batch, CASE WHEN coalesce(b.id, 0) <> ${pinned.version} THEN to_jsonb(b) END AS newest, r.*
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT ${BATCH_COLUMNS} FROM cache_batches ORDER BY id DESC LIMIT 1) b ON true
         LEFT JOIN LATERAL (SELECT true AS found, s.* FROM (${select}) s) r ON true`,
      params,
    );
    const first = oneRow(rows, 'pinned batch read');
    if (first.batch !== pinned.version) throw new BatchMovedError(pinned.version, batchFromJson(first.newest));
    return rows.filter((r) => r.found);
  }

  private async resolve(batch: Batch, raw: unknown, recipe: string | null): Promise<CachedList> {
    const scored = scoredEntries(raw);
    return this.build(batch, scored, recipe, await this.catalog.productsByIds(scored.map((e) => e.product_id)));
  }

  /** Products no longer in the catalogue are left out: they cannot be shown or sold. */
  private build(
    batch: Batch,
    scored: ScoredProductJson[],
    recipe: string | null,
    products: Map<string, ProductRow>,
  ): CachedList {
    const items = [];
    for (const e of scored) {
      const product = products.get(e.product_id);
      if (!product) continue;
      const reason = storedReason(e.reason);
      items.push({ product, score: typeof e.score === 'number' ? e.score : 0, ...(reason ? { reason } : {}) });
    }
    return { items, recipe, modelVersion: modelVersionOf(batch, recipe) };
  }
}

const REASON_KINDS: readonly string[] = [
  'history',
  'bought-with',
  'popular-in-province',
  'popular-in-category',
  'trending',
];

/** An entry's reason when it is well formed, else none (older batches and AWS outputs have none). */
function storedReason(raw: unknown): StoredReason | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as { kind?: unknown; productIds?: unknown; count?: unknown };
  if (typeof r.kind !== 'string' || !REASON_KINDS.includes(r.kind)) return null;
  const ids = Array.isArray(r.productIds) ? r.productIds.filter((x): x is string => typeof x === 'string') : [];
  const count = typeof r.count === 'number' && Number.isFinite(r.count) ? { count: r.count } : {};
  return { kind: r.kind as StoredReason['kind'], productIds: ids, ...count };
}

/** The well-formed entries of a cached JSON list. */
function scoredEntries(raw: unknown): ScoredProductJson[] {
  return (Array.isArray(raw) ? (raw as (ScoredProductJson | null)[]) : []).filter(
    (e): e is ScoredProductJson => typeof e?.product_id === 'string',
  );
}

/** to_jsonb of a cache_batches row gives loaded_at as text. */
function batchFromJson(row: BatchRow | null): Batch {
  return batchFromRow(row ? { ...row, loaded_at: row.loaded_at === null ? null : new Date(row.loaded_at) } : undefined);
}
