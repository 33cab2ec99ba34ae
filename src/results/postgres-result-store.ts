// PostgreSQL reads of the cache tables (REFERENCE.md shapes), resolved into hot-layer entries.
import type { Pool } from 'pg';
import { BatchMovedError } from './batch-moved-error';
import type { CatalogRepository } from './catalog-repository';
import type { CachedList, ProductRow, ScoredProductJson, ScoredUserJson } from './serving-types';
import type { ModelVersionLookup } from './model-versions';

export type ListTable = 'user' | 'similar' | 'affinity';

const TABLES: Record<ListTable, { table: string; key: string; column: string }> = {
  user: { table: 'offline_user_recommendations', key: 'user_id', column: 'recommendations' },
  similar: { table: 'offline_similar_items', key: 'product_id', column: 'similar_products' },
  affinity: { table: 'offline_item_affinity', key: 'user_id', column: 'item_affinities' },
};

export interface CachedSegment {
  users: { userId: string; score: number }[];
  modelVersion: string | null;
}

export class CacheRepository {
  constructor(
    private readonly pool: Pool,
    private readonly catalog: CatalogRepository,
    private readonly models: ModelVersionLookup,
  ) {}

  /**
   * Each read returns the cache rows and the newest cache_batches id from one statement, hence one
   * snapshot: a load that commits in between cannot pair one batch's rows with another's version.
   * Throws BatchMovedError when that id is not `version`, the batch the caller is pinned to.
   */
  async list(version: number, kind: ListTable, id: string): Promise<CachedList | null> {
    const t = TABLES[kind];
    const row = await this.read<{ items: unknown; recipe_name: string | null }>(
      version,
      `SELECT t.${t.column} AS items, t.recipe_name FROM ${t.table} t WHERE t.${t.key} = $1`,
      [id],
    );
    return row ? this.resolve(row.items, row.recipe_name) : null;
  }

  /**
   * Many lists of one table at `version` in one statement (the cache warmer's read): the same
   * snapshot rule as list(), the same lists; ids without a row map to null.
   */
  async lists(version: number, kind: ListTable, ids: readonly string[]): Promise<Map<string, CachedList | null>> {
    const t = TABLES[kind];
    const rows = await this.readRows<{ id: string; items: unknown; recipe_name: string | null }>(
      version,
      `SELECT t.${t.key} AS id, t.${t.column} AS items, t.recipe_name FROM ${t.table} t WHERE t.${t.key} = ANY($1::text[])`,
      [ids],
    );
    const found = rows.map((r) => ({ ...r, scored: scoredEntries(r.items) }));
    const products = await this.catalog.productsByIds([...new Set(found.flatMap((r) => r.scored.map((e) => e.product_id)))]);
    const out = new Map<string, CachedList | null>(ids.map((id) => [id, null]));
    for (const r of found) out.set(r.id, await this.build(r.scored, r.recipe_name, products));
    return out;
  }

  /** scope 'global' (value ''), 'category' or 'province'. */
  async popular(version: number, scope: 'global' | 'category' | 'province', value: string): Promise<CachedList | null> {
    const row = await this.read<{ items: unknown; recipe_name: string | null }>(
      version,
      'SELECT t.items, t.recipe_name FROM offline_popular_items t WHERE t.scope = $1 AND t.scope_value = $2',
      [scope, value],
    );
    return row ? this.resolve(row.items, row.recipe_name) : null;
  }

  async segment(version: number, productId: string): Promise<CachedSegment | null> {
    const row = await this.read<{ users: unknown; recipe_name: string | null }>(
      version,
      'SELECT t.users, t.recipe_name FROM offline_item_segments t WHERE t.product_id = $1',
      [productId],
    );
    if (!row) return null;
    const users = (Array.isArray(row.users) ? (row.users as ScoredUserJson[]) : [])
      .filter((u) => typeof u?.user_id === 'string')
      .map((u) => ({ userId: u.user_id, score: typeof u.score === 'number' ? u.score : 0 }));
    return { users, modelVersion: await this.models.forRecipe(row.recipe_name) };
  }

  /** Runs `select` (at most one row) beside the current batch id, in one statement. */
  private async read<R extends object>(version: number, select: string, params: unknown[]): Promise<R | null> {
    return (await this.readRows<R>(version, `${select} LIMIT 1`, params))[0] ?? null;
  }

  /**
   * Runs `select` beside the current batch id, in one statement (one snapshot): its rows, or a
   * BatchMovedError when that id is not `version`.
   */
  private async readRows<R extends object>(version: number, select: string, params: unknown[]): Promise<R[]> {
    const { rows } = await this.pool.query<R & { batch: number; found: boolean | null }>(
      `SELECT b.batch, r.*
         FROM (SELECT coalesce(max(id), 0) AS batch FROM cache_batches) b
         LEFT JOIN LATERAL (SELECT true AS found, s.* FROM (${select}) s) r ON true`,
      params,
    );
    const batch = rows[0]!.batch;
    if (batch !== version) throw new BatchMovedError(version, batch);
    return rows.filter((r) => r.found);
  }

  private async resolve(raw: unknown, recipe: string | null): Promise<CachedList> {
    const scored = scoredEntries(raw);
    return this.build(scored, recipe, await this.catalog.productsByIds(scored.map((e) => e.product_id)));
  }

  /** Products no longer in the catalogue are left out: they cannot be shown or sold. */
  private async build(scored: ScoredProductJson[], recipe: string | null, products: Map<string, ProductRow>): Promise<CachedList> {
    const items = [];
    for (const e of scored) {
      const product = products.get(e.product_id);
      if (product) items.push({ product, score: typeof e.score === 'number' ? e.score : 0 });
    }
    return { items, recipe, modelVersion: await this.models.forRecipe(recipe) };
  }
}

/** The well-formed entries of a cached JSON list. */
function scoredEntries(raw: unknown): ScoredProductJson[] {
  return (Array.isArray(raw) ? (raw as ScoredProductJson[]) : []).filter((e) => typeof e?.product_id === 'string');
}
