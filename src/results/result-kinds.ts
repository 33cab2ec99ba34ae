// The one list of result kinds: for each kind of cached list, its cache table (names and JSON
// shapes from REFERENCE.md), the batch outputs that fill it and the recipe behind each, the
// hot-layer key kind and the source label its lists are served under. The loader, the stores, the
// warmer and the health figures all read this list; a new kind of list is one entry here.
import type { RecommendationSource } from './result-types';

export type ResultKind = 'userRecommendations' | 'similarItems' | 'itemAffinity' | 'itemSegments' | 'popularItems';

export interface ResultKindSpec {
  table: string;
  keyColumns: [string, ...string[]];
  listColumn: string;
  /** Name of the id field inside each list entry: [{product_id, score}] or [{user_id, score}]. */
  entryId: 'product_id' | 'user_id';
  /** What a batch output line must be keyed by to fill this table. */
  keyedBy: 'user' | 'item' | 'scope';
  /** Batch output file name (`<name>.jsonl`) -> the recipe whose model produced it. */
  outputs: Record<string, string>;
  /** The kind part of this table's hot-layer keys. */
  hotKind: string;
  /** How lists of this kind are labelled when served first in a chain (null: not a product list). */
  source: RecommendationSource | null;
}

export const RESULT_KINDS: Record<ResultKind, ResultKindSpec> = {
  userRecommendations: {
    table: 'offline_user_recommendations',
    keyColumns: ['user_id'],
    listColumn: 'recommendations',
    entryId: 'product_id',
    keyedBy: 'user',
    outputs: { 'user-personalization': 'user-personalization' },
    hotKind: 'user',
    source: 'PERSONALIZED',
  },
  similarItems: {
    table: 'offline_similar_items',
    keyColumns: ['product_id'],
    listColumn: 'similar_products',
    entryId: 'product_id',
    keyedBy: 'item',
    outputs: { 'similar-items': 'similar-items' },
    hotKind: 'similar',
    source: 'SIMILAR_ITEMS',
  },
  itemAffinity: {
    table: 'offline_item_affinity',
    keyColumns: ['user_id'],
    listColumn: 'item_affinities',
    entryId: 'product_id',
    // Derived from the item-affinity segments (src/aws/affinity-users.ts): that recipe's model made it.
    keyedBy: 'user',
    outputs: { 'item-affinity-users': 'item-affinity' },
    hotKind: 'affinity',
    source: 'ITEM_AFFINITY',
  },
  itemSegments: {
    table: 'offline_item_segments',
    keyColumns: ['product_id'],
    listColumn: 'users',
    entryId: 'user_id',
    keyedBy: 'item',
    outputs: { 'item-affinity': 'item-affinity' },
    hotKind: 'segment',
    source: null,
  },
  popularItems: {
    table: 'offline_popular_items',
    keyColumns: ['scope', 'scope_value'],
    listColumn: 'items',
    entryId: 'product_id',
    // AWS's popularity output is per user and the same for everyone: one is kept as the global list.
    keyedBy: 'scope',
    outputs: { 'popularity-count': 'popularity-count' },
    hotKind: 'popular',
    source: 'POPULAR',
  },
};

/** Batch outputs that are verified and counted but fill no table (batch ranking is served in-process). */
const UNTABLED_OUTPUTS = new Set(['personalized-ranking']);

/** Kinds whose lists are product lists read by one id (what ResultStore.list serves). */
export type ListKind = 'userRecommendations' | 'similarItems' | 'itemAffinity';

/** The table a batch output file fills; null for an output that fills none; undefined when unknown. */
export function kindOfOutput(name: string): ResultKind | null | undefined {
  for (const [kind, spec] of Object.entries(RESULT_KINDS) as [ResultKind, ResultKindSpec][]) {
    if (name in spec.outputs) return kind;
  }
  return UNTABLED_OUTPUTS.has(name) ? null : undefined;
}

/**
 * The recipe whose model produced rows labelled `recipeName` (a batch output name; older rows
 * may carry the AWS spelling `aws-<recipe>`).
 */
export function recipeOfOutput(recipeName: string): string {
  const bare = recipeName.replace(/^aws-/, '');
  for (const spec of Object.values(RESULT_KINDS)) {
    const recipe = spec.outputs[bare];
    if (recipe) return recipe;
  }
  return bare;
}
