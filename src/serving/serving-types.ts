// Data shapes shared by the serving layer and the resolvers (the "mappers" behind the schema types).

// Batch-result shapes live with the batch results; re-exported for the resolvers.
import type { ProductRow, RecommendationSource } from '../results';
export type { CachedList, ProductRow, RecommendationSource, ScoredProductJson, ScoredUserJson } from '../results';

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
