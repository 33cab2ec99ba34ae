// The experiments folder's public face: everything outside imports from here.
export { bucketOf, variantFor } from './assignment';
export { attributeOutcomes } from './attribution';
export { ExperimentError, type ExperimentErrorCode } from './experiment-errors';
export {
  ALPHA,
  GUARDRAIL_METRICS,
  METRICS,
  computeResults,
  emptySums,
  resultsCsv,
  resultsFromSums,
  type ExperimentResults,
  type Metric,
  type VariantSums,
} from './experiment-results';
export { ExperimentService } from './experiment-service';
export { ExperimentStore, pinnedModelVersions, type LifecycleAction } from './experiment-store';
export {
  STATUSES,
  SURFACES,
  type Experiment,
  type ExperimentStatus,
  type NewExperiment,
  pinnedModelVersion,
  type Strategy,
  type Surface,
  type Variant,
} from './experiment-types';
export { ExposureRecorder, servedExposure, type Exposure, type ServedExposure } from './exposure-recorder';
export { experimentIdPrefix, parseRecommendationId } from './recommendation-id';
export { ServingExperiments, type Assignment } from './serving-experiments';
