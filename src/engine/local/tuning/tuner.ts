// The built-in engine's self-tuning (AWS Personalize's counterpart is performHPO): a greedy search
// over the engine's parameters on the store's own newest interactions. Each trial trains on the
// events before the validation window and is scored by nDCG@k on the window's new target events;
// a change is kept only when it beats the best so far by more than the noise margin (1% and one
// standard error of the paired per-customer difference). The pick is then checked on AWS's
// per-customer split against the untuned parameters. Deterministic for a seed, unless the time
// budget (a hard bound, trial-budget.ts) stops the search (the result says so). Nothing at or
// after `until` is read.
import { buildDataset } from '../dataset';
import type { RawInteractions } from '../dataset-reader';
import type { EngineParams } from '../engine-params';
import { splitInteractions, type Split } from '../evaluation';
import type { SparseRows } from '../item-model';
import { popularityLists, trainModel } from '../local-model';
import { Recommender } from '../recommender';
import { learnEventWeights, scaledWeights } from './event-weights';
import { holdoutCases, pairedGain, scoreRecommender, type HoldoutCase, type TruthRule } from './holdout-cases';
import { SEARCH_STAGES, WEIGHT_FACTORS, type SearchStage } from './search-plan';
import { TrialBudget, type BudgetLog } from './trial-budget';
import { trialSample, type TrialSample } from './trial-sample';
import { validationWindow, type ValidationWindow } from './validation-window';

export interface TuningOptions {
  /**
   * Everything counts inside it: the baseline trial, the search and the check. A trial starts
   * only when it and the check fit (trial-budget.ts).
   */
  budgetMs: number;
  maxTrials?: number;
  k?: number;
  truth?: TruthRule;
  /** Relative gain a change needs beyond one standard error (default 1%). */
  marginShare?: number;
  /** Events at or after this are never read (a test window after the validation one). */
  until?: number;
  /** Fewer validation customers than this: no search, the base parameters stand (default 30). */
  minCases?: number;
  onTrial?: (trial: TuningTrial, done: number) => void;
  /** Injected clock (tests); Date.now by default. */
  now?: () => number;
}

export interface TuningTrial {
  n: number;
  stage: string;
  /** What this trial changed on top of the best parameters at the time. */
  changes: Record<string, unknown>;
  ndcg: number;
  /** Paired gain over the best so far, and its standard error. */
  gain: number;
  se: number;
  kept: boolean;
  ms: number;
}

export interface TuningResult {
  /** The chosen parameters' differences from the base (untuned) ones. */
  chosen: Partial<EngineParams>;
  params: EngineParams;
  /** `sample`: the customers and rows trials trained on (trial-sample.ts). */
  window: ValidationWindow & { cases: number; cutoffIso: string; sample: TrialSample['info'] };
  validation: {
    k: number;
    untunedNdcg: number;
    tunedNdcg: number;
    /**
     * AWS's split (10% of customers, their newest 10% of events): the check. Null figures: not
     * run (the pick was the untuned parameters, or the budget had no room; budget.check says which).
     */
    usersSplit: { untunedNdcg: number | null; tunedNdcg: number | null; cases: number; passed: boolean };
  };
  learnedEventWeights: ReturnType<typeof learnEventWeights>;
  trials: TuningTrial[];
  stoppedBy: 'plan' | 'budget' | 'max-trials' | 'too-small';
  /** What the budget planned and held: baseline, trial estimate, check run or skipped. */
  budget: BudgetLog;
  elapsedMs: number;
  seed: number;
}

/** The pick may lose at most this share of the untuned nDCG on AWS's split (a check, not a target). */
const USERS_SPLIT_TOLERANCE = 0.1;

/**
 * Training rows a trial may use per second of budget: about 15 trials fit whatever the data's
 * size (Retailrocket's 2.4 M rows took over 2 minutes a trial at load 20; trial-sample.ts).
 */
const TRIAL_ROWS_PER_BUDGET_SECOND = 5_000;
/**
 * Validation customers a trial scores (drawn by the seed beyond it): enough to see a 1% gain
 * (the standard error of a paired difference over 5,000 customers is a few thousandths of nDCG),
 * and a bounded scoring cost whatever the store's size (the reference store's window has ~50,000).
 */
const MAX_TRIAL_CASES = 5_000;
/**
 * The check's sample is half a trial's (rows and customers): it only has to catch a pick that
 * loses a tenth of the untuned figure, and it must not eat the budget the search needs (at the
 * reference size the check, costed at two full trials plus its set-up, left room for no trial).
 */
const CHECK_SHARE = 0.5;
/**
 * Products a trial's EASE inverts (the served model keeps easeMaxItems; RP3beta covers the rest in
 * the blend): the inversion is cubic and did not shrink with the sample, so at 1,500 products it
 * was most of a reference-size trial (26 s of a 60 s budget at load 18, with the check's 21 s).
 * Trials compare settings with each other; they need the same kind of model, not the full one.
 */
const TRIAL_EASE_ITEMS = 600;

interface Scorer {
  cases: HoldoutCase[];
  sample: TrialSample['info'];
  score(params: EngineParams): Float64Array;
}

function scorerOn(
  full: RawInteractions,
  fullSplit: Split,
  base: EngineParams,
  k: number,
  rule: TruthRule,
  maxRows: number,
  maxCases: number,
): Scorer {
  const { raw, split, info } = trialSample(full, fullSplit, base.targetEventTypes, maxRows, base.seed, maxCases);
  const ids = buildDataset(raw, base, null, null, { rows: split.train });
  const cases = holdoutCases(raw, split, ids, base.targetEventTypes, rule);
  const cache = new Map<string, SparseRows>();
  return {
    cases,
    sample: info,
    score(chosen) {
      const params = { ...chosen, easeMaxItems: Math.min(chosen.easeMaxItems, TRIAL_EASE_ITEMS) };
      const data = buildDataset(raw, params, null, null, { rows: split.train });
      const model = trainModel(data, params, undefined, true, { similarItems: false, cache });
      const size = Math.max(50, k * 3);
      return scoreRecommender(new Recommender(model, popularityLists(model, size * 2), size), cases, k).ndcg;
    },
  };
}

const mean = (a: Float64Array) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : 0);

function differences(p: EngineParams, base: EngineParams): Partial<EngineParams> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(p))
    if (JSON.stringify(v) !== JSON.stringify(base[key as keyof EngineParams])) out[key] = v;
  return out;
}

export function tune(raw: RawInteractions, base: EngineParams, opts: TuningOptions): TuningResult {
  const now = opts.now ?? Date.now;
  const budget = new TrialBudget(opts.budgetMs, now);
  const k = opts.k ?? 10;
  const rule = opts.truth ?? 'new-target';
  const margin = opts.marginShare ?? 0.01;
  const maxTrials = opts.maxTrials ?? 60;
  const window = validationWindow(raw, base.targetEventTypes, opts.until);
  const until = Number.isFinite(window.until) ? window.until : undefined;
  const split = splitInteractions(raw, 'time', base.seed, window.cutoff, until);
  const maxRows = Math.max(50_000, (opts.budgetMs / 1000) * TRIAL_ROWS_PER_BUDGET_SECOND);
  const scorer = scorerOn(raw, split, base, k, rule, maxRows, MAX_TRIAL_CASES);
  const learned = learnEventWeights(raw, (kk) => split.train[kk] === 1, base);

  const trials: TuningTrial[] = [];
  const windowInfo = {
    ...window,
    cases: scorer.cases.length,
    cutoffIso: new Date(window.cutoff * 1000).toISOString(),
    sample: scorer.sample,
  };
  if (scorer.cases.length < (opts.minCases ?? 30)) {
    const none = { untunedNdcg: null, tunedNdcg: null, cases: 0, passed: true };
    return {
      chosen: {},
      params: base,
      window: windowInfo,
      validation: { k, untunedNdcg: 0, tunedNdcg: 0, usersSplit: none },
      learnedEventWeights: learned,
      trials,
      stoppedBy: 'too-small',
      budget: budget.log(),
      elapsedMs: budget.elapsed(),
      seed: base.seed,
    };
  }
  // The check's split and sample are built now, so that their cost is measured with the set-up.
  const checkScorer = scorerOn(
    raw,
    splitInteractions(raw, 'users', base.seed, undefined, until),
    base,
    k,
    rule,
    maxRows * CHECK_SHARE,
    MAX_TRIAL_CASES * CHECK_SHARE,
  );
  // The baseline is a trial like the others: it counts inside the budget and sets the plan; so
  // does the check's untuned trial, measured here rather than estimated.
  const setupMs = budget.elapsed();
  let best = base;
  let bestScores = scorer.score(base);
  const baselineMs = budget.elapsed() - setupMs;
  const untunedUsers = checkScorer.cases.length ? mean(checkScorer.score(base)) : null;
  budget.baselineDone(setupMs, baselineMs, budget.elapsed() - setupMs - baselineMs);
  const untunedNdcg = mean(bestScores);
  const tried = new Map<string, number>([[JSON.stringify(base), untunedNdcg]]);
  let stoppedBy: TuningResult['stoppedBy'] = 'plan';
  const weightStage: SearchStage = {
    name: 'event weights (learned x factor)',
    options: () =>
      Object.keys(learned.evidence).length === 0
        ? []
        : [
            ...WEIGHT_FACTORS.map((f) => ({ eventWeights: scaledWeights(learned, f) })),
            { eventWeights: Object.fromEntries(raw.eventTypes.map((t) => [t, 1])) },
          ],
  };
  for (const stage of [weightStage, ...SEARCH_STAGES]) {
    if (stoppedBy !== 'plan') break;
    let stageBest = best;
    let stageScores = bestScores;
    for (const option of stage.options(best)) {
      const candidate: EngineParams = { ...best, ...option };
      const key = JSON.stringify(candidate);
      if (tried.has(key)) continue;
      if (trials.length >= maxTrials) {
        stoppedBy = 'max-trials';
        break;
      }
      if (!budget.canStartTrial()) {
        stoppedBy = 'budget';
        break;
      }
      const t0 = now();
      const scores = scorer.score(candidate);
      const ndcg = mean(scores);
      tried.set(key, ndcg);
      // Compared with the stage's best so far; kept only beyond the noise margin.
      const { gain, se } = pairedGain(scores, stageScores);
      const kept = gain > Math.max(margin * mean(stageScores), se);
      if (kept) {
        stageBest = candidate;
        stageScores = scores;
      }
      const ms = now() - t0;
      budget.trialDone(ms);
      const trial = { n: trials.length + 1, stage: stage.name, changes: option, ndcg, gain, se, kept, ms };
      trials.push(trial);
      opts.onTrial?.(trial, trials.length);
    }
    // A stage cut short by the budget still keeps what it found.
    best = stageBest;
    bestScores = stageScores;
  }

  // The check on AWS's per-customer split: the pick must not lose much against the untuned
  // params. Without room for it in the budget the pick stands on its validation margin alone.
  let usersSplit: TuningResult['validation']['usersSplit'] = {
    untunedNdcg: null,
    tunedNdcg: null,
    cases: 0,
    passed: true,
  };
  if (untunedUsers !== null && budget.decideCheck(best === base)) {
    const c0 = now();
    const tunedUsers = mean(checkScorer.score(best));
    const passed = tunedUsers >= untunedUsers * (1 - USERS_SPLIT_TOLERANCE);
    usersSplit = { untunedNdcg: untunedUsers, tunedNdcg: tunedUsers, cases: checkScorer.cases.length, passed };
    budget.checkDone(now() - c0);
  }
  const chosenParams = usersSplit.passed ? best : base;
  return {
    chosen: differences(chosenParams, base),
    params: chosenParams,
    window: windowInfo,
    validation: { k, untunedNdcg, tunedNdcg: usersSplit.passed ? mean(bestScores) : untunedNdcg, usersSplit },
    learnedEventWeights: learned,
    trials,
    stoppedBy,
    budget: budget.log(),
    elapsedMs: budget.elapsed(),
    seed: base.seed,
  };
}
