// The tuner's time budget as a hard bound: the set-up (both splits and their samples), the untuned
// baseline trial, the check's untuned trial, every search trial and the check's trial of the pick
// all count inside TUNING_BUDGET_SECONDS. Everything before the search is measured, not
// estimated: the check's split and its untuned trial run up front, so what is left of the check is
// one trial on its own (smaller) sample, costed as its measured untuned trial scaled by how much
// the most expensive search trial exceeded the baseline. A trial starts only when it and that
// still fit; the check runs only when it fits in what is left. What was planned, what ran and
// what was skipped is recorded in the stored search log.

export interface BudgetLog {
  budgetMs: number;
  /** Building both splits, their samples and cases (measured), and the untuned baseline trial. */
  setupMs: number;
  baselineMs: number;
  /** The check's untuned trial on its own sample (measured before the search). */
  checkBaseMs: number;
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
  private checkBaseMs = 0;
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

  /** After the splits, the baseline trial and the check's untuned trial: plans how many trials fit. */
  baselineDone(setupMs: number, baselineMs: number, checkBaseMs: number): void {
    this.setupMs = setupMs;
    this.baselineMs = Math.max(1, baselineMs);
    this.checkBaseMs = checkBaseMs;
    this.trialMs = this.baselineMs;
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

  /** What is left of the check: its trial of the pick, as slow relative to its untuned one as the search's worst. */
  checkEstimate(): number {
    return this.checkBaseMs * (this.trialMs / this.baselineMs);
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
      checkBaseMs: this.checkBaseMs,
      trialEstimateMs: this.trialMs,
      plannedTrials: this.plannedTrials,
      check: this.check,
      spentMs: this.elapsed(),
    };
  }
}
