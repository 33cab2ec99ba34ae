// What an experiment is: the surfaces it covers, its variants (each a serving strategy with a
// traffic share) and its lifecycle. Plain data, stored in `experiments` (experiment-store.ts).

export const SURFACES = ['RECOMMENDATIONS', 'SIMILAR_ITEMS', 'RANK_ITEMS', 'REST'] as const;
export type Surface = (typeof SURFACES)[number];

export const STATUSES = ['DRAFT', 'RUNNING', 'PAUSED', 'STOPPED', 'SHIPPED'] as const;
export type ExperimentStatus = (typeof STATUSES)[number];

/** The narrowing a FILTER strategy adds to every list (the RecommendationFilter's fields). */
export interface StrategyFilter {
  excludeInteracted?: boolean | null;
  categories?: string[] | null;
  minPrice?: number | null;
  maxPrice?: number | null;
}

/**
 * How a variant serves: BATCH is the current batch (what serving does without an experiment), or,
 * with `modelVersion`, the batch that serves that model version (kept while the experiment is not
 * stopped, src/results/batch-retention.ts); POPULAR the popular fallback, FILTER the batch
 * narrowed by a filter, HOLDOUT no recommendations.
 */
export type Strategy =
  | { kind: 'BATCH'; modelVersion?: number | null }
  | { kind: 'POPULAR' }
  | { kind: 'FILTER'; filter: StrategyFilter }
  | { kind: 'HOLDOUT' };

/** The model version a variant is pinned to, or null (it serves the live batch). */
export function pinnedModelVersion(v: Variant): number | null {
  return v.strategy.kind === 'BATCH' ? (v.strategy.modelVersion ?? null) : null;
}

export interface Variant {
  /** Short, stable, URL-safe: it is written into every recommendationId of the variant. */
  key: string;
  name: string;
  /** Percent of the experiment's traffic, 1-100; the shares of an experiment add up to 100. */
  share: number;
  strategy: Strategy;
}

export interface Experiment {
  id: number;
  name: string;
  description: string | null;
  status: ExperimentStatus;
  surfaces: Surface[];
  variants: Variant[];
  controlKey: string;
  /** Orders within this many days of a customer's last exposure count for the variant. */
  attributionWindowDays: number;
  /** The customers per variant the statistics are tuned for (narrowest intervals there). */
  plannedCustomersPerVariant: number;
  shippedVariant: string | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

export interface HistoryEntry {
  action: string;
  fromStatus: ExperimentStatus | null;
  toStatus: ExperimentStatus;
  note: string | null;
  at: Date;
}

export interface NewExperiment {
  name: string;
  description?: string | null;
  surfaces: Surface[];
  variants: Variant[];
  controlKey: string;
  attributionWindowDays?: number | null;
  plannedCustomersPerVariant?: number | null;
}
