// Evaluation on Personalize: the solution metrics AWS computed when it trained the run's solution
// versions (its own split: 90% of users train, the newest 10% of the others' events are held out),
// under AWS's names. Nothing is retrained: these are the figures of the models the run serves.
import { GetSolutionMetricsCommand } from '@aws-sdk/client-personalize';
import type { EngineContext, EvaluationRequest, EvaluationResult, ModelEvaluation } from '../engine/training-engine';
import { callAws } from '../aws-sdk/aws-call';
import { requireTrainedVersion, type AwsRuntime } from './aws-engine-deps';
import { AwsEngineError } from '../aws-sdk/aws-engine-error';

export async function evaluateOnPersonalize(
  rt: AwsRuntime,
  ctx: EngineContext,
  request: EvaluationRequest,
): Promise<EvaluationResult> {
  if (request.split !== 'users') {
    throw new AwsEngineError('BAD_INPUT', `Personalize evaluates with its own users split only, not ${request.split}`);
  }
  const evaluations: ModelEvaluation[] = [];
  for (const recipe of ctx.recipes) {
    const solutionVersionArn = await requireTrainedVersion(rt, ctx.runId, recipe);
    const out = await callAws(
      'personalize:GetSolutionMetrics',
      () => rt.personalize.send(new GetSolutionMetricsCommand({ solutionVersionArn })),
      rt.retry,
    );
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(out.metrics ?? {}))
      if (typeof v === 'number' && Number.isFinite(v)) metrics[k] = v;
    evaluations.push({
      recipe,
      metrics,
      method: { split: 'users', source: 'personalize:GetSolutionMetrics', solutionVersionArn },
    });
  }
  return { evaluations };
}
