// An engine that trains like the built-in one but whose batch output is mostly failed lines (as
// an external engine's broken batch job would write it): every user-personalization line but one
// in ten carries an `error`. The load guard must refuse such a batch and keep the live one.
import type {
  BatchInferResult,
  EngineContext,
  EvaluationRequest,
  EvaluationResult,
  StepResult,
  TrainingEngine,
  TrainResult,
} from '../../src/engine/training-engine';

export class BadBatchEngine implements TrainingEngine {
  readonly name = 'local' as const;

  constructor(private readonly inner: TrainingEngine) {}

  train(ctx: EngineContext, state?: Record<string, unknown>): Promise<StepResult<TrainResult>> {
    return this.inner.train(ctx, state);
  }

  async batchInfer(ctx: EngineContext, state?: Record<string, unknown>): Promise<StepResult<BatchInferResult>> {
    const step = await this.inner.batchInfer(ctx, state);
    if (step.status !== 'done') return step;
    const key = `${ctx.layout.outputPrefix}user-personalization.jsonl`;
    let text = '';
    for await (const chunk of await ctx.store.get(key)) text += String(chunk);
    const spoiled = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l, i) => {
        if (i % 10 === 0) return l;
        const { input } = JSON.parse(l) as { input: unknown };
        return JSON.stringify({ input, output: null, error: 'InternalError: batch job failed for this input' });
      });
    await ctx.store.put(key, `${spoiled.join('\n')}\n`);
    return step;
  }

  evaluate(ctx: EngineContext, request: EvaluationRequest): Promise<EvaluationResult> {
    return this.inner.evaluate(ctx, request);
  }
}
