// The tuning step of a pipeline run's train stage: carries out tuning-policy.ts's decision (tune
// now, reuse an earlier run's choice, or train untuned) and returns the parameters to train
// with plus the record stored with the model versions (chosen parameters, validation figures,
// search log). The search reads only the run's own interactions.
import type { Logger } from '../../../infra/logger';
import type { TuningDecision } from '../../tuning-policy';
import type { RawInteractions } from '../dataset-reader';
import { paramsFromRecord, type EngineParams } from '../engine-params';
import { tune } from './tuner';

export function tuneForRun(
  raw: RawInteractions,
  base: EngineParams,
  decision: TuningDecision,
  budgetMs: number,
  logger: Logger,
): { params: EngineParams; tuning: Record<string, unknown> } {
  const data = { interactions: raw.length, users: raw.userIds.length, items: raw.itemIds.length };
  if (decision.action === 'untuned') return { params: base, tuning: { status: 'untuned', reason: decision.reason } };
  if (decision.action === 'reuse') {
    const params = paramsFromRecord({ ...base, ...decision.from.chosen });
    return {
      params,
      tuning: {
        status: 'reused',
        reason: decision.reason,
        fromRunId: decision.from.runId,
        tunedAt: decision.from.tunedAt,
        chosen: decision.from.chosen,
        data: decision.from.data,
      },
    };
  }
  const result = tune(raw, base, {
    budgetMs,
    onTrial: (t) => {
      logger.info({ trial: t.n, stage: t.stage, ndcg: t.ndcg, kept: t.kept, ms: t.ms }, 'tuning trial');
    },
  });
  if (result.stoppedBy === 'too-small')
    return {
      params: base,
      tuning: {
        status: 'untuned',
        reason: `too little data to tune: ${result.window.cases} customers with new purchases in the validation window (30 needed)`,
        window: result.window,
      },
    };
  logger.info(
    { chosen: result.chosen, validation: result.validation, ms: result.elapsedMs, stoppedBy: result.stoppedBy },
    'tuned',
  );
  return {
    params: result.params,
    tuning: {
      status: 'tuned',
      reason: decision.reason,
      tunedAt: new Date().toISOString(),
      budgetMs,
      elapsedMs: result.elapsedMs,
      // Baseline, planned trials, check run or skipped: the budget's own account of the search.
      budget: result.budget,
      stoppedBy: result.stoppedBy,
      seed: result.seed,
      chosen: result.chosen,
      window: result.window,
      validation: result.validation,
      learnedEventWeights: result.learnedEventWeights,
      trials: result.trials,
      data,
    },
  };
}
