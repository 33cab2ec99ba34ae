// PostgreSQL reads of the cache tables (REFERENCE.md shapes), resolved into hot-layer entries.
import type { Pool } from 'pg';
import type { CatalogRepository } from './catalog-repository';
import type { CachedList, ScoredProductJson, ScoredUserJson } from './serving-types';
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

  async list(kind: ListTable, id: string): Promise<CachedList | null> {
    const t = TABLES[kind];
    const { rows } = await this.pool.query<{ items: unknown; recipe_name: string | null }>(
      `SELECT ${t.column} AS items, recipe_name FROM ${t.table} WHERE ${t.key} = $1`,
      [id],
    );
    const row = rows[0];
    return row ? this.resolve(row.items, row.recipe_name) : null;
  }

  /** scope 'global' (value ''), 'category' or 'province'. */
  async popular(scope: 'global' | 'category' | 'province', value: string): Promise<CachedList | null> {
    const { rows } = await this.pool.query<{ items: unknown; recipe_name: string | null }>(
      'SELECT items, recipe_name FROM offline_popular_items WHERE scope = $1 AND scope_value = $2',
      [scope, value],
    );
    const row = rows[0];
    return row ? this.resolve(row.items, row.recipe_name) : null;
  }

  async segment(productId: string): Promise<CachedSegment | null> {
    const { rows } = await this.pool.query<{ users: unknown; recipe_name: string | null }>(
      'SELECT users, recipe_name FROM offline_item_segments WHERE product_id = $1',
      [productId],
    );
    const row = rows[0];
    if (!row) return null;
    const users = (Array.isArray(row.users) ? (row.users as ScoredUserJson[]) : [])
      .filter((u) => typeof u?.user_id === 'string')
      .map((u) => ({ userId: u.user_id, score: typeof u.score === 'number' ? u.score : 0 }));
    return { users, modelVersion: await this.models.forRecipe(row.recipe_name) };
  }

  /** Products no longer in the catalogue are left out: they cannot be shown or sold. */
  private async resolve(raw: unknown, recipe: string | null): Promise<CachedList> {
    const scored = (Array.isArray(raw) ? (raw as ScoredProductJson[]) : []).filter(
      (e) => typeof e?.product_id === 'string',
    );
    const products = await this.catalog.productsByIds(scored.map((e) => e.product_id));
    const items = [];
    for (const e of scored) {
      const product = products.get(e.product_id);
      if (product) items.push({ product, score: typeof e.score === 'number' ? e.score : 0 });
    }
    return { items, recipe, modelVersion: await this.models.forRecipe(recipe) };
  }
}
