// The serving cache tables the loader fills (names and JSON shapes from REFERENCE.md), and which
// batch output feeds which table.
export type CacheTarget = 'userRecommendations' | 'similarItems' | 'itemAffinity' | 'itemSegments' | 'popularItems';

export interface CacheTableSpec {
  table: string;
  keyColumns: string[];
  listColumn: string;
  /** Name of the id field inside each list entry: [{product_id, score}] or [{user_id, score}]. */
  entryId: 'product_id' | 'user_id';
}

export const CACHE_TABLES: Record<CacheTarget, CacheTableSpec> = {
  userRecommendations: { table: 'offline_user_recommendations', keyColumns: ['user_id'], listColumn: 'recommendations', entryId: 'product_id' },
  similarItems: { table: 'offline_similar_items', keyColumns: ['product_id'], listColumn: 'similar_products', entryId: 'product_id' },
  itemAffinity: { table: 'offline_item_affinity', keyColumns: ['user_id'], listColumn: 'item_affinities', entryId: 'product_id' },
  itemSegments: { table: 'offline_item_segments', keyColumns: ['product_id'], listColumn: 'users', entryId: 'user_id' },
  popularItems: { table: 'offline_popular_items', keyColumns: ['scope', 'scope_value'], listColumn: 'items', entryId: 'product_id' },
};

/** Batch output file (one per recipe, `<recipe>.jsonl`) -> the table its lines fill. */
export const OUTPUT_TARGETS: Record<string, CacheTarget | null> = {
  'user-personalization': 'userRecommendations',
  'similar-items': 'similarItems',
  'item-affinity': 'itemSegments',
  'item-affinity-users': 'itemAffinity',
  'popularity-count': 'popularItems',
  // Batch ranking reorders given lists; it is verified and counted, served in-process (rankItems).
  'personalized-ranking': null,
};
