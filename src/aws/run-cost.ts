// Gathers what an AWS run used and stores its cost estimate (see cost-estimate.ts).
import { DescribeSolutionVersionCommand } from '@aws-sdk/client-personalize';
import type { BatchOutput, EngineContext } from '../engine/training-engine';
import { callAws } from '../aws-sdk/aws-call';
import { requireTrainedVersion, type AwsRuntime } from './aws-engine-deps';
import { estimateCost, formatCost, ratesFrom, saveCostEstimate, type CostEstimate } from './cost-estimate';

export async function recordRunCost(
  rt: AwsRuntime,
  ctx: EngineContext,
  outputs: BatchOutput[],
): Promise<CostEstimate & { summary: string }> {
  let trainingHours = 0;
  for (const recipe of new Set(outputs.map((o) => o.recipe))) {
    const solutionVersionArn = await requireTrainedVersion(rt, ctx.runId, recipe);
    const d = await callAws(
      'personalize:DescribeSolutionVersion',
      () => rt.personalize.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
      rt.retry,
    );
    // Billed training hours, which can exceed elapsed hours.
    trainingHours += d.solutionVersion?.trainingHours ?? 0;
  }
  const runPrefix = ctx.layout.interactions.replace(/datasets\/[^/]+$/, '');
  const objects = await ctx.store.list(runPrefix);
  const datasetKeys = new Set([ctx.layout.interactions, ctx.layout.items, ctx.layout.users]);
  const ingestedBytes = objects.filter((o) => datasetKeys.has(o.key)).reduce((s, o) => s + o.size, 0);
  const storedBytes = objects.reduce((s, o) => s + o.size, 0);
  const batchInputs = outputs.reduce((s, o) => s + o.lines, 0);
  const estimate = estimateCost(
    { trainingHours, batchInputs, ingestedBytes, storedBytes },
    ratesFrom(rt.config.aws.costRates),
  );
  await saveCostEstimate(rt.db, ctx.runId, 'aws', estimate);
  return { ...estimate, summary: `run ${ctx.runId}: ${formatCost(estimate)}` };
}
