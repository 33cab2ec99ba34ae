// The managed engine: the same TrainingEngine as the built-in one, run on AWS Personalize and S3.
// Every step returns quickly: while AWS works it answers `waiting` with plain-JSON state (ARNs,
// deadlines), and the pipeline calls again after `recheckAfterMs` through a delayed job.
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type {
  BatchInferResult,
  EngineContext,
  EvaluationRequest,
  EvaluationResult,
  StepResult,
  TrainingEngine,
  TrainResult,
} from '../engine/training-engine';
import { createPersonalizeClient } from '../aws-sdk/aws-clients';
import { runtimeOf, type AwsEngineDeps, type AwsRuntime } from './aws-engine-deps';
import { importDatasets, type DatasetImportResult, type ImportMode } from './dataset-import';
import { batchInferOnPersonalize } from './personalize-batch';
import { evaluateOnPersonalize } from './personalize-evaluation';
import { trainOnPersonalize } from './personalize-training';

export class AwsPersonalizeEngine implements TrainingEngine {
  readonly name = 'aws' as const;
  private readonly rt: AwsRuntime;

  constructor(deps: AwsEngineDeps) {
    this.rt = runtimeOf(deps);
  }

  /**
   * The export stage's AWS half: imports the run's CSVs (already in S3 at ctx.layout.*) into the
   * dataset group. Call with no state first, then with the state of each `waiting` answer.
   * FULL replaces a dataset's data; INCREMENTAL adds to it (UPDATE runs).
   */
  importDatasets(
    ctx: EngineContext,
    mode: ImportMode,
    state?: Record<string, unknown>,
  ): Promise<StepResult<DatasetImportResult>> {
    return importDatasets(this.rt, ctx, mode, state);
  }

  startDatasetImports(
    ctx: EngineContext,
    mode: ImportMode = ctx.mode === 'UPDATE' ? 'INCREMENTAL' : 'FULL',
  ): Promise<StepResult<DatasetImportResult>> {
    return importDatasets(this.rt, ctx, mode);
  }

  train(ctx: EngineContext, state?: Record<string, unknown>): Promise<StepResult<TrainResult>> {
    return trainOnPersonalize(this.rt, ctx, state);
  }

  batchInfer(ctx: EngineContext, state?: Record<string, unknown>): Promise<StepResult<BatchInferResult>> {
    return batchInferOnPersonalize(this.rt, ctx, state);
  }

  /** Personalize's solution metrics of the run's solution versions (AWS's names and split). */
  evaluate(ctx: EngineContext, request: EvaluationRequest): Promise<EvaluationResult> {
    return evaluateOnPersonalize(this.rt, ctx, request);
  }
}

/** The engine as start-up builds it for ENGINE=aws: credentials from the SDK's default chain. */
export function createAwsPersonalizeEngine(config: Pick<Config, 'aws' | 'engine'>, db: Database): AwsPersonalizeEngine {
  return new AwsPersonalizeEngine({ config, db, personalize: createPersonalizeClient(config) });
}
