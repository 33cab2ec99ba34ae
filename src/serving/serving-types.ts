// Data shapes shared by the serving layer and the resolvers (the "mappers" behind the schema types).

export type RecommendationSource =
  | 'PERSONALIZED'
  | 'SIMILAR_ITEMS'
  | 'ITEM_AFFINITY'
  | 'PERSONALIZED_RANKING'
  | 'CACHED_SCORES'
  | 'POPULAR'
  | 'POPULAR_IN_PROVINCE'
  | 'POPULAR_IN_CATEGORY';

/** The product fields a list carries with it, so a hot entry renders without PostgreSQL. */
export interface ProductRow {
  id: string;
  name: string | null;
  category: string | null;
  price: number | null;
}

/** One cached list as stored in the hot layer: products resolved, model version attached. */
export interface CachedList {
  items: { product: ProductRow; score: number }[];
  recipe: string | null;
  modelVersion: string | null;
}

export interface RecommendationFilterInput {
  excludeInteracted?: boolean | null;
  categories?: string[] | null;
  minPrice?: number | null;
  maxPrice?: number | null;
  excludeProductIds?: string[] | null;
}

export interface RecommendationItemView {
  product: ProductRow;
  score: number;
  rank: number;
  source: RecommendationSource;
}

export interface RecommendationListView {
  items: RecommendationItemView[];
  source: RecommendationSource;
  filled: boolean;
  recommendationId: string;
  modelVersion: string | null;
  batchVersion: number;
  generatedAt: string;
}

export interface SegmentView {
  productId: string;
  users: { userId: string; score: number; rank: number }[];
  modelVersion: string | null;
  batchVersion: number;
  generatedAt: string;
}

/** The raw JSON of the cache tables: `[{"product_id": "...", "score": 0.12}]`. */
export interface ScoredProductJson {
  product_id: string;
  score?: number | null;
}

export interface ScoredUserJson {
  user_id: string;
  score?: number | null;
}
