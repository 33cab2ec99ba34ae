// The tuner's budget (src/engine/local/tuning/trial-budget.ts) on an injected clock: what is
// measured before the search (set-up, baseline, the check's untuned trial) plans the trials, and
// what is left of the check is costed from its own measured trial.
import { TrialBudget } from '../../src/engine/local/tuning/trial-budget';

describe('TrialBudget', () => {
  // Issue 16: bench:pipeline at the reference size (2026-12-01 21:11) measured set-up 6.1 s and a
  // baseline of 15.5 s; the check was costed at set-up + two trials (37.0 s) on top, so a 60 s
  // budget held no trial and the untuned parameters were served.
  it('keeps for the check only its trial of the pick: a reference-size budget holds trials', () => {
    let clock = 0;
    const budget = new TrialBudget(60_000, () => clock);
    clock += 8_000; // both splits and their samples
    clock += 6_000; // the baseline trial
    clock += 2_500; // the check's untuned trial, on half a trial's sample
    budget.baselineDone(8_000, 6_000, 2_500);
    expect(budget.checkEstimate()).toBe(2_500);
    // (60 - 16.5 - 2.5) s left = 6 trials of 6 s.
    expect(budget.log().plannedTrials).toBe(6);
    let trials = 0;
    while (budget.canStartTrial()) {
      clock += 6_000;
      budget.trialDone(6_000);
      trials += 1;
    }
    expect(trials).toBe(6);
    expect(budget.decideCheck(false)).toBe(true);
    clock += 2_500;
    budget.checkDone(2_500);
    const log = budget.log();
    expect(log.spentMs).toBeLessThanOrEqual(60_000);
    expect(log).toMatchObject({
      setupMs: 8_000,
      baselineMs: 6_000,
      checkBaseMs: 2_500,
      check: { status: 'ran', ms: 2_500 },
    });
  });

  it('scales what is left of the check with the slowest trial, and skips it when it no longer fits', () => {
    let clock = 0;
    const budget = new TrialBudget(30_000, () => clock);
    clock += 10_000;
    budget.baselineDone(2_000, 6_000, 2_000);
    clock += 12_000; // a trial twice the baseline (a loaded machine, or a costlier model)
    budget.trialDone(12_000);
    expect(budget.checkEstimate()).toBe(4_000);
    expect(budget.canStartTrial()).toBe(false);
    clock += 5_000;
    expect(budget.decideCheck(false)).toBe(false);
    expect(budget.log().check).toMatchObject({ status: 'skipped', estimateMs: 4_000 });
    expect(budget.log().check.reason).toMatch(/^budget: 3000 ms left/);
  });

  it('needs no check when the pick is the untuned parameters', () => {
    const budget = new TrialBudget(30_000, () => 0);
    budget.baselineDone(1_000, 1_000, 1_000);
    expect(budget.decideCheck(true)).toBe(false);
    expect(budget.log().check.status).toBe('not-needed');
  });
});
