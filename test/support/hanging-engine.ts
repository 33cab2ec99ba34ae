// An engine whose train never returns, so a test can kill the worker process that runs it at a
// known point (mid-train), as often as it likes. It prints a line each time train starts.
import type {
  BatchInferResult,
  EvaluationResult,
  StepResult,
  TrainingEngine,
  TrainResult,
} from '../../src/engine/training-engine';

export const TRAIN_STARTED = 'hanging-engine: train started';

export class HangingEngine implements TrainingEngine {
  readonly name = 'local' as const;

  train(): Promise<StepResult<TrainResult>> {
    process.stdout.write(`${TRAIN_STARTED}\n`);
    return new Promise<never>(() => undefined);
  }

  batchInfer(): Promise<StepResult<BatchInferResult>> {
    return Promise.reject(new Error('the hanging engine never gets past train'));
  }

  evaluate(): Promise<EvaluationResult> {
    return Promise.reject(new Error('the hanging engine never gets past train'));
  }
}
