// The tuner's time budget as a hard bound: the untuned baseline trial, every search trial and the
// per-customer check after the search all count inside TUNING_BUDGET_SECONDS. The baseline is
// measured first; from then on a trial starts only when it and the check still fit (each costed
// by the most expensive trial seen so far), and the check runs only when it fits in what is left.
// What was planned, what ran and what was skipped is recorded in the stored search log.

/** The check trains twice (untuned and pick) on another split, besides building that split. */
const CHECK_TRIALS = 2;

export interface BudgetLog {
  budgetMs: number;
  /** Building the validation split and its cases (measured), and the untuned baseline trial. */
  setupMs: number;
  baselineMs: number;
  /** The cost one trial was planned at when the search stopped (the most expensive seen). */
  trialEstimateMs: number;
  /** How many trials the budget held after the baseline, check kept aside (planned then). */
  plannedTrials: number;
  check: {
    status: 'ran' | 'skipped' | 'not-needed';
    reason: string;
    /** What the check was expected to cost when it was decided. */
    estimateMs: number;
    ms: number;
  };
  /** Measured: baseline + trials + check, from the start of tuning. */
  spentMs: number;
}

export class TrialBudget {
  private trialMs = 0;
  private setupMs = 0;
  private baselineMs = 0;
  private plannedTrials = 0;
  private check: BudgetLog['check'] = { status: 'not-needed', reason: 'no search', estimateMs: 0, ms: 0 };

  private readonly started: number;

  constructor(
    readonly budgetMs: number,
    private readonly now: () => number,
  ) {
    this.started = now();
  }

  elapsed(): number {
    return this.now() - this.started;
  }

  /** After the validation split and the baseline trial: plans how many trials fit. */
  baselineDone(setupMs: number, baselineMs: number): void {
    this.setupMs = setupMs;
    this.baselineMs = baselineMs;
    this.trialMs = Math.max(1, baselineMs);
    const left = this.budgetMs - this.elapsed() - this.checkEstimate();
    this.plannedTrials = Math.max(0, Math.floor(left / this.trialMs));
  }

  trialDone(ms: number): void {
    this.trialMs = Math.max(this.trialMs, ms);
  }

  /** Whether one more trial fits, with the check after it. */
  canStartTrial(): boolean {
    return this.elapsed() + this.trialMs + this.checkEstimate() <= this.budgetMs;
  }

  checkEstimate(): number {
    return this.setupMs + CHECK_TRIALS * this.trialMs;
  }

  /** Decides the check: not needed when the pick is the untuned parameters, skipped when it does not fit. */
  decideCheck(pickIsBase: boolean): boolean {
    const estimateMs = this.checkEstimate();
    if (pickIsBase)
      this.check = { status: 'not-needed', reason: 'the pick is the untuned parameters', estimateMs, ms: 0 };
    else if (this.elapsed() + estimateMs > this.budgetMs)
      this.check = {
        status: 'skipped',
        reason: `budget: ${Math.round(this.budgetMs - this.elapsed())} ms left, the check needs about ${Math.round(estimateMs)} ms`,
        estimateMs,
        ms: 0,
      };
    else this.check = { status: 'ran', reason: 'the pick differs from the untuned parameters', estimateMs, ms: 0 };
    return this.check.status === 'ran';
  }

  checkDone(ms: number): void {
    this.check = { ...this.check, ms };
  }

  log(): BudgetLog {
    return {
      budgetMs: this.budgetMs,
      setupMs: this.setupMs,
      baselineMs: this.baselineMs,
      trialEstimateMs: this.trialMs,
      plannedTrials: this.plannedTrials,
      check: this.check,
      spentMs: this.elapsed(),
    };
  }
}
