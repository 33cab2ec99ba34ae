// One interface, two engines (built-in and AWS Personalize). Both read the three CSV datasets of
// REFERENCE.md from the object store and write Personalize's JSON Lines batch output back to it,
// so the loader and the API never know which engine ran.
import type { ObjectStore } from '../storage/object-store';
import type { Logger } from '../infra/logger';
import type { PreviousTuning } from './tuning-policy';

export const RECIPES = [
  'popularity-count',
  'similar-items',
  'user-personalization',
  'personalized-ranking',
  'item-affinity',
] as const;
export type RecipeName = (typeof RECIPES)[number];

export function isRecipe(name: string): name is RecipeName {
  return (RECIPES as readonly string[]).includes(name);
}

/** Object-store keys of one run's datasets and outputs. */
export interface RunLayout {
  interactions: string; // runs/<id>/datasets/interactions.csv
  items: string; // runs/<id>/datasets/items.csv
  users: string; // runs/<id>/datasets/users.csv
  modelPrefix: string; // runs/<id>/model/
  outputPrefix: string; // runs/<id>/batch/  -> <recipe>.jsonl (see docs/architecture.md)
}

export function runLayout(runId: number): RunLayout {
  const base = `runs/${runId}`;
  return {
    interactions: `${base}/datasets/interactions.csv`,
    items: `${base}/datasets/items.csv`,
    users: `${base}/datasets/users.csv`,
    modelPrefix: `${base}/model/`,
    outputPrefix: `${base}/batch/`,
  };
}

export interface EngineContext {
  runId: number;
  mode: 'FULL' | 'UPDATE';
  recipes: RecipeName[];
  store: ObjectStore;
  layout: RunLayout;
  logger: Logger;
  /** Reports progress (0-100) with a short message; shown by `recs pipeline run --wait`. */
  progress: (percent: number, message: string) => Promise<void>;
  /** train only: whether the run asked to re-tune, and the newest earlier tuning to reuse. */
  tuning?: { retune: boolean; previous: PreviousTuning | null };
}

/**
 * A step either finishes, or asks to be called again later with the state it returns (long
 * external jobs are re-checked through delayed queue jobs, never by a worker sleeping).
 */
export type StepResult<T> =
  | { status: 'done'; result: T }
  | { status: 'waiting'; recheckAfterMs: number; state: Record<string, unknown>; message: string };

export interface TrainedModel {
  recipe: RecipeName;
  params: Record<string, unknown>;
  dataSnapshot: Record<string, unknown>;
  /** Where `params` came from (tuned, reused, untuned; AWS: its HPO settings), stored with the version. */
  tuning?: Record<string, unknown>;
  externalId?: string; // e.g. a solution version ARN
}

export interface TrainResult {
  models: TrainedModel[];
}

export interface BatchOutput {
  recipe: RecipeName;
  key: string; // object-store key of the JSON Lines file
  lines: number;
  failedLines: number;
  externalId?: string; // e.g. a batch inference job ARN
}

export interface BatchInferResult {
  outputs: BatchOutput[];
}

/**
 * users (AWS's: 10% of customers held out, the newest 10% of their events to predict), time (the
 * newest 10% of events) or random (10% of events). Personalize only knows `users`.
 */
export type SplitKind = 'users' | 'time' | 'random';
export const SPLITS: readonly SplitKind[] = ['users', 'time', 'random'];

export interface EvaluationRequest {
  split: SplitKind;
  /** Cut-off of recall_at_k and map_at_k; AWS's own names carry theirs (at_5, at_10, at_25). */
  k: number;
  /**
   * The run's recorded models (model_versions rows): an engine that retrains to evaluate uses
   * their parameters, not its own current settings, which may have changed since the run.
   */
  trained: readonly { recipe: RecipeName; params: Record<string, unknown> }[];
}

/** Offline figures of one of the run's models, under AWS Personalize's metric names. */
export interface ModelEvaluation {
  recipe: RecipeName;
  metrics: Record<string, number>;
  /** How the figures were made (split, k, data, the parameters or model scored); stored beside them. */
  method: Record<string, unknown>;
}

export interface EvaluationResult {
  evaluations: ModelEvaluation[];
}

export interface TrainingEngine {
  readonly name: 'local' | 'aws';
  /**
   * Engines that keep their own copy of the data (AWS Personalize) import the exported CSVs at
   * the end of export-datasets; FULL replaces the data, INCREMENTAL adds to it (UPDATE runs).
   */
  importDatasets?(
    ctx: EngineContext,
    mode: 'FULL' | 'INCREMENTAL',
    state?: Record<string, unknown>,
  ): Promise<StepResult<unknown>>;
  train(ctx: EngineContext, state?: Record<string, unknown>): Promise<StepResult<TrainResult>>;
  batchInfer(ctx: EngineContext, state?: Record<string, unknown>): Promise<StepResult<BatchInferResult>>;
  /**
   * Scores the models of run ctx.runId for ctx.recipes: the very models (or, for the built-in
   * engine, models trained the same way with the same parameters) that the run trains.
   */
  evaluate(ctx: EngineContext, request: EvaluationRequest): Promise<EvaluationResult>;
}
