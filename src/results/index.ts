// Batch results: the one list of result kinds, the Batch record requests pin to, the ResultStore
// (PostgreSQL, with the Redis hot layer in front), the loader, the warmer and the health figures.
// Everything outside src/results imports from here.
export {
  NO_BATCH,
  MAX_BATCH_AGE_DAYS,
  freshnessDays,
  isEntryStale,
  isStale,
  modelVersionOf,
  paramsDigest,
  provenanceOf,
  versionOnlyBatch,
  type Batch,
} from './batch';
export { BatchMovedError } from './batch-moved-error';
export {
  BATCH_PIN_LOCK,
  batchOfModelVersion,
  releaseUnpinnedBatches,
  retainedTables,
  type PinnedModelVersions,
} from './batch-retention';
export { BatchTracker, readNewestBatch, type BatchSource } from './batch-tracker';
export {
  parseBatchLine,
  readBatchOutput,
  type BatchInput,
  type BatchLineProblem,
  type BatchRecord,
} from './batch-output-reader';
export { readCoverage, readHealthFigures, type CoverageFigures, type HealthFigures } from './health-figures';
export { HotCache, type HotCacheOptions, type HotCacheStats, type HotLayer } from './hot-cache';
export { RedisMemoryBudget } from './hot-memory-budget';
export { readHealthHistory, recordHealthSnapshot, type HealthSnapshotRow } from './health-history';
export { HOT_ENTRY, batchVersionKey, hotKey } from './hot-keys';
export {
  topCustomersBySpend,
  warmHotLayer,
  type WarmCatalog,
  type WarmDeps,
  type WarmOptions,
  type WarmResult,
} from './hot-layer-warmer';
export { HotLayerUnavailableError } from './hot-layer-unavailable-error';
export { HotResultStore } from './hot-result-store';
export { PostgresResultStore } from './postgres-result-store';
export {
  RESULT_KINDS,
  kindOfOutput,
  recipeOfOutput,
  type ListKind,
  type ResultKind,
  type ResultKindSpec,
} from './result-kinds';
export { loadResults, type LoadRequest, type LoadResult } from './result-loader';
export { type LoadGuard } from './load-guard';
export { LoadRefusedError } from './load-refused-error';
export type { ProductLookup, ResultStore } from './result-store';
export type {
  CachedList,
  StoredReason,
  CachedSegment,
  PopularScope,
  ProductRow,
  RecommendationSource,
  ScoredProductJson,
  ScoredUserJson,
} from './result-types';
