// An engine that follows a script, standing in for an external engine (AWS) whose jobs take
// hours: it lets tests drive the delayed re-check and failure paths of the stage runner.
import type {
  BatchInferResult,
  EngineContext,
  EvaluationResult,
  StepResult,
  TrainingEngine,
  TrainResult,
} from '../../src/engine/training-engine';

export type ScriptStep<T> = StepResult<T> | Error;

export class ScriptedEngine implements TrainingEngine {
  readonly name = 'aws' as const;
  readonly calls: { step: 'train' | 'batchInfer' | 'evaluate'; state?: Record<string, unknown> }[] = [];

  constructor(
    private readonly script: { train: ScriptStep<TrainResult>[]; batchInfer: ScriptStep<BatchInferResult>[] },
  ) {}

  train(_ctx: EngineContext, state?: Record<string, unknown>): Promise<StepResult<TrainResult>> {
    this.calls.push({ step: 'train', state });
    return this.next(this.script.train);
  }

  batchInfer(_ctx: EngineContext, state?: Record<string, unknown>): Promise<StepResult<BatchInferResult>> {
    this.calls.push({ step: 'batchInfer', state });
    return this.next(this.script.batchInfer);
  }

  /** Scores nothing: runner tests never reach the figures. */
  evaluate(): Promise<EvaluationResult> {
    this.calls.push({ step: 'evaluate' });
    return Promise.resolve({ evaluations: [] });
  }

  /** Rejects rather than throws, as the async methods it stands in for would. */
  private next<T>(steps: ScriptStep<T>[]): Promise<StepResult<T>> {
    const step = steps.shift();
    if (!step) return Promise.reject(new Error('script exhausted'));
    if (step instanceof Error) return Promise.reject(step);
    return Promise.resolve(step);
  }
}
