// An engine that follows a script, standing in for an external engine (AWS) whose jobs take
// hours: it lets tests drive the delayed re-check and failure paths of the stage runner.
import type { BatchInferResult, EngineContext, EvaluationResult, StepResult, TrainingEngine, TrainResult } from '../../src/engine/training-engine';

export type ScriptStep<T> = StepResult<T> | Error;

export class ScriptedEngine implements TrainingEngine {
  readonly name = 'aws' as const;
  readonly calls: { step: 'train' | 'batchInfer' | 'evaluate'; state?: Record<string, unknown> }[] = [];

  constructor(private readonly script: { train: ScriptStep<TrainResult>[]; batchInfer: ScriptStep<BatchInferResult>[] }) {}

  async train(_ctx: EngineContext, state?: Record<string, unknown>): Promise<StepResult<TrainResult>> {
    this.calls.push({ step: 'train', state });
    return this.next(this.script.train);
  }

  async batchInfer(_ctx: EngineContext, state?: Record<string, unknown>): Promise<StepResult<BatchInferResult>> {
    this.calls.push({ step: 'batchInfer', state });
    return this.next(this.script.batchInfer);
  }

  /** Scores nothing: runner tests never reach the figures. */
  async evaluate(): Promise<EvaluationResult> {
    this.calls.push({ step: 'evaluate' });
    return { evaluations: [] };
  }

  private next<T>(steps: ScriptStep<T>[]): StepResult<T> {
    const step = steps.shift();
    if (!step) throw new Error('script exhausted');
    if (step instanceof Error) throw step;
    return step;
  }
}
