// The shapes batch results are served in. A cached list carries its products (so a hot entry
// renders without PostgreSQL) and the model version that produced it (from its Batch).

// The source labels are the schema's RecommendationSource enum (generated from src/schema).
export type { RecommendationSource } from '../schema/__generated__/schema-types';

/** The product fields a list carries with it, so a hot entry renders without PostgreSQL. */
export interface ProductRow {
  id: string;
  name: string | null;
  category: string | null;
  price: number | null;
}

/**
 * Why an item is in a batch list, as the built-in engine's batch output says (its `reasons`
 * field): 'history' names the customer's products that contributed most to its score;
 * 'bought-with' names the product a similar item was bought with, `count` the customers who had
 * both; 'popular-in-province', 'popular-in-category' and 'trending' are the engine's fallback
 * tiers. AWS outputs carry none. 'recent-activity' is never stored: the serving path's
 * re-ranking gives it (src/serving/realtime-blend.ts), naming the product of the shopper's event
 * and the event's type. 'new-product' is never stored either: a product added since the batch
 * blended into a neighbour's similar items (src/serving/new-products.ts).
 */
export interface StoredReason {
  kind:
    | 'history'
    | 'bought-with'
    | 'popular-in-province'
    | 'popular-in-category'
    | 'trending'
    | 'recent-activity'
    | 'new-product';
  productIds: string[];
  count?: number;
  eventType?: string;
}

/** One cached list as stored in the hot layer: products resolved, model version attached. */
export interface CachedList {
  items: { product: ProductRow; score: number; reason?: StoredReason | null }[];
  recipe: string | null;
  modelVersion: string | null;
}

export interface CachedSegment {
  users: { userId: string; score: number }[];
  modelVersion: string | null;
}

/** The raw JSON of the cache tables: `[{"product_id": "...", "score": 0.12}]`. */
export interface ScoredProductJson {
  product_id: string;
  score?: number | null;
  reason?: StoredReason | null;
}

export interface ScoredUserJson {
  user_id: string;
  score?: number | null;
}

export type PopularScope = 'global' | 'category' | 'province';
